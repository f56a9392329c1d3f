import type { ChannelConfig, ChannelSecrets } from "./channel-schema";
import { subjectLine, type NotificationMessage } from "./notification-message";
import { postJson } from "./send-webhook";
import type { SendContext } from "./send-context";

/**
 * The Slack incoming-webhook payload of a message: `text` (the notification
 * and fallback line) and Block Kit blocks with severity, title, group key,
 * counts and a button linking to the alert.
 * https://api.slack.com/messaging/webhooks, https://api.slack.com/reference/block-kit/blocks
 * Values are escaped for Slack's mrkdwn (`&`, `<`, `>`), so attacker-written fields stay text.
 */
export function slackPayload(message: NotificationMessage): { text: string; blocks: unknown[] } {
  const a = message.alert;
  return {
    text: escapeSlack(subjectLine(message, 300)),
    blocks: [
      { type: "header", text: { type: "plain_text", text: truncate(`${a.severity.toUpperCase()} · ${a.ruleTitle}`, 150) } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Severity*\n${a.severity}` },
          { type: "mrkdwn", text: `*Event*\n${message.event}` },
          { type: "mrkdwn", text: `*Group*\n${truncate(escapeSlack(a.groupKey), 1900)}` },
          { type: "mrkdwn", text: `*Matches*\n${a.matchCount}` },
          { type: "mrkdwn", text: `*First seen*\n${a.firstSeen}` },
          { type: "mrkdwn", text: `*Last seen*\n${a.lastSeen}` },
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(`${a.ruleId}${a.techniques.length ? ` · ATT&CK ${a.techniques.join(", ")}` : ""} · alert #${a.id}`) }] },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open alert" }, url: message.url }] },
    ],
  };
}

/** Posts `slackPayload(message)` to the channel's incoming-webhook URL. Throws NotifyError (Slack answers e.g. 400 `invalid_payload`, 404 `no_service`). */
export async function sendSlack(_config: ChannelConfig<"slack">, secrets: ChannelSecrets<"slack">, message: NotificationMessage, ctx: SendContext): Promise<void> {
  await postJson(secrets.webhookUrl, JSON.stringify(slackPayload(message)), { "Content-Type": "application/json" }, ctx.timeoutMs);
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
