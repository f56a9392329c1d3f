import type { Severity } from "../detect/rule-schema";
import type { OutboxEvent } from "./channel-schema";

/** What every channel is given to say about one alert event. Times are ISO 8601 UTC. */
export interface NotificationMessage {
  /** `opened`, `reopened`, `acknowledged`, `resolved`, `renotify` (still open), or `test` (a test send). */
  event: OutboxEvent | "test";
  alert: {
    id: number;
    ruleId: string;
    ruleTitle: string;
    severity: Severity;
    techniques: string[];
    groupKey: string;
    groupValues: Record<string, string | null>;
    accountId: string | null;
    state: string;
    firstSeen: string;
    lastSeen: string;
    matchCount: number;
  };
  /** The alert's page in the Trailwatch web app. */
  url: string;
  /** When this notification was composed. */
  sentAt: string;
}

const EVENT_WORDS: Record<NotificationMessage["event"], string> = {
  opened: "New alert",
  reopened: "Alert reopened",
  acknowledged: "Alert acknowledged",
  resolved: "Alert resolved",
  renotify: "Alert still open",
  test: "Test notification",
};

/** A one-line subject: `[HIGH] New alert: CloudTrail trail stopped — 111122223333 · arn:…` (at most `max` characters). */
export function subjectLine(message: NotificationMessage, max = 200): string {
  const text = `[${message.alert.severity.toUpperCase()}] ${EVENT_WORDS[message.event]}: ${message.alert.ruleTitle} — ${message.alert.groupKey}`;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The message as plain text lines (email body, SNS message for people). */
export function plainText(message: NotificationMessage): string {
  const a = message.alert;
  return [
    subjectLine(message, 10_000),
    "",
    `Rule:       ${a.ruleTitle} (${a.ruleId})`,
    `Severity:   ${a.severity}`,
    `Group:      ${a.groupKey}`,
    `State:      ${a.state}`,
    `Matches:    ${a.matchCount}`,
    `First seen: ${a.firstSeen}`,
    `Last seen:  ${a.lastSeen}`,
    ...(a.techniques.length ? [`ATT&CK:     ${a.techniques.join(", ")}`] : []),
    "",
    message.url,
  ].join("\n");
}

/** The alert page under the public base URL, e.g. `https://trailwatch.example.com/alerts/42`. */
export function alertUrl(baseUrl: string, alertId: number): string {
  return `${baseUrl.replace(/\/+$/, "")}/alerts/${alertId}`;
}
