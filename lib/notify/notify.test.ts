import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { channelInputSchema } from "./channel-schema";
import { plainText, subjectLine, type NotificationMessage } from "./notification-message";
import { isPermanentStatus } from "./notify-error";
import { retryDelayMs } from "./process-notifications";
import { slackPayload } from "./send-slack";
import { webhookSignature } from "./send-webhook";

const message: NotificationMessage = {
  event: "opened",
  alert: {
    id: 7, ruleId: "cloudtrail-logging-stopped", ruleTitle: "CloudTrail trail stopped", severity: "high", techniques: ["T1562.008"],
    groupKey: "111122223333 · arn:aws:iam::111122223333:user/<b>mallory</b> & co", groupValues: {}, accountId: "111122223333", state: "open",
    firstSeen: "2026-11-02T10:00:00.000Z", lastSeen: "2026-11-02T10:05:00.000Z", matchCount: 3,
  },
  url: "https://trailwatch.example.com/alerts/7",
  sentAt: "2026-11-02T10:06:00.000Z",
};

test("the webhook signature is HMAC-SHA256 of timestamp.body, hex", () => {
  const expected = createHmac("sha256", "secret-secret-secret").update("1700000000.{\"a\":1}").digest("hex");
  assert.equal(webhookSignature("secret-secret-secret", "1700000000", "{\"a\":1}"), expected);
});

test("Slack text escapes markup an attacker could write into a group key, and links to the alert", () => {
  const payload = slackPayload(message);
  const text = JSON.stringify(payload);
  assert.ok(!text.includes("<b>"), "no raw angle brackets");
  assert.ok(text.includes("&lt;b&gt;mallory&lt;/b&gt; &amp; co"));
  assert.ok(text.includes(message.url));
  assert.match(payload.text, /^\[HIGH\] New alert: CloudTrail trail stopped/);
});

test("subject lines are cut at the limit; the text body names every field", () => {
  assert.equal(subjectLine(message, 40).length, 40);
  assert.ok(subjectLine(message, 40).endsWith("…"));
  for (const part of ["Severity:   high", "Matches:    3", "ATT&CK:     T1562.008", message.url]) assert.ok(plainText(message).includes(part), part);
});

test("retry delays double from 30 s and stop at an hour; 4xx but 408/429 are permanent", () => {
  assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000]);
  assert.equal(retryDelayMs(20), 3_600_000);
  assert.deepEqual([400, 401, 404, 408, 429, 500, 503].map(isPermanentStatus), [true, true, true, false, false, false, false]);
});

test("channel input is validated per kind, with paths at the field", () => {
  const bad = channelInputSchema.safeParse({ name: "x", kind: "sns", config: { topicArn: "arn:aws:sqs:us-east-1:111122223333:q" }, routing: { events: [], minSeverity: "urgent" } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues.map((i) => i.path.join(".")).sort(), ["config.topicArn", "routing.events", "routing.minSeverity"]);
  const ok = channelInputSchema.parse({ name: "hook", kind: "webhook", config: { url: "https://example.com/h" } });
  assert.deepEqual(ok.routing, { enabled: true, minSeverity: "info", ruleIds: null, events: ["opened", "reopened"], renotifyMinutes: null });
});
