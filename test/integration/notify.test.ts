import assert from "node:assert/strict";
import { timingSafeEqual } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { loadConfig, type Config } from "../../lib/config";
import { changeAlertState, listAlerts } from "../../lib/detect/alerts";
import { cloudTrailEvent } from "../../lib/detect/rules/examples";
import { BUILT_IN_RULES } from "../../lib/detect/rules";
import { drainDetectionQueue } from "../../lib/detect/run-detection";
import { importFiles } from "../../lib/ingest/import-files";
import { deleteRule, saveRule } from "../../lib/detect/manage-rules";
import { deriveKey } from "../../lib/app-secret";
import { channelHistory, deleteChannel, getChannelForSending, getChannelView, listChannels, saveChannel, setChannelEnabled } from "../../lib/notify/channels";
import { channelSecretsKey, sealLegacySecrets } from "../../lib/notify/channel-secrets";
import { listDeliveries } from "../../lib/notify/deliveries";
import { addMute, listMutes } from "../../lib/notify/mutes";
import { MAX_ATTEMPTS, processNotifications, retryDelayMs, type NotifyContext } from "../../lib/notify/process-notifications";
import { sendTestNotification } from "../../lib/notify/send-test-notification";
import { slackPayload } from "../../lib/notify/send-slack";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from "../../lib/notify/send-webhook";
import type { NotificationMessage } from "../../lib/notify/notification-message";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { LOCAL_CREDENTIALS, startTestAws, type TestAws } from "../support/local-aws";
import { decodeMail, startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from "../support/receivers";
import { silentLog } from "../support/samples";

// Notifications on the production path: an alert raised by the real detection pass
// reaches a local HTTP server (webhook, Slack format), a local SMTP server and an SNS
// topic on the local AWS server with an SQS queue subscribed to it.

const SIGNING_SECRET = "a-signing-secret-of-some-length";
const SMTP_LOGIN = { username: "trailwatch", password: "smtp-password" };
const RULE = BUILT_IN_RULES.find((r) => r.rule.id === "cloudtrail-logging-stopped")!.rule;

let db: TestDatabase;
let aws: TestAws;
let http: HttpReceiver;
let smtp: SmtpReceiver;
let cfg: Config;
let key: Buffer;
let ctx: NotifyContext;
let dir: string;
let snsQueueUrl: string;
let topicArn: string;
const channelIds = { webhook: 0, slack: 0, email: 0, sns: 0 };

before(async () => {
  [db, aws, http, smtp] = await Promise.all([createTestDatabase("notify"), startTestAws(), startHttpReceiver(), startSmtpReceiver(SMTP_LOGIN)]);
  dir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-notify-"));
  cfg = loadConfig({ AWS_ENDPOINT_URL: aws.endpoint, TRAILWATCH_PUBLIC_URL: "https://trailwatch.example.com", TRAILWATCH_NOTIFY_TIMEOUT_SECONDS: "2", TRAILWATCH_SECRET: "notify-test-installation-secret-0123456789" });
  key = channelSecretsKey(cfg);
  ctx = { pool: db.pool, config: cfg, awsCredentials: LOCAL_CREDENTIALS };

  const sns = new SNSClient({ region: "us-east-1", endpoint: aws.endpoint, credentials: LOCAL_CREDENTIALS });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "security-alerts" }))).TopicArn!;
  snsQueueUrl = aws.server!.createQueueWithDlq("security-alerts-inbox", 5).queueUrl;
  const queueArn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: snsQueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, Attributes: { RawMessageDelivery: "false" } }));
  sns.destroy();

  const actor = "tester";
  channelIds.webhook = await saveChannel(db.pool, { name: "SOC webhook", kind: "webhook", config: { url: `${http.url}/hook` }, secrets: { signingSecret: SIGNING_SECRET } }, { actor, key });
  channelIds.slack = await saveChannel(db.pool, { name: "Slack #security", kind: "slack", secrets: { webhookUrl: `${http.url}/slack/T000/B000/XXXX` } }, { actor, key });
  channelIds.email = await saveChannel(
    db.pool,
    { name: "On-call email", kind: "email", config: { host: "127.0.0.1", port: smtp.port, username: SMTP_LOGIN.username, from: "trailwatch@example.com", to: ["oncall@example.com", "sec@example.com"] }, secrets: { password: SMTP_LOGIN.password } },
    { actor, key },
  );
  channelIds.sns = await saveChannel(db.pool, { name: "SNS topic", kind: "sns", config: { topicArn } }, { actor, key });
});
after(async () => {
  await Promise.all([http?.stop(), smtp?.stop(), aws?.stop()]);
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;
/** Imports CloudTrail records as a local file (same loader and detection queue as the worker), then runs the detection pass for RULE. */
async function ingestAndDetect(records: Record<string, unknown>[]) {
  fileCounter += 1;
  const file = path.join(dir, `111122223333_CloudTrail_us-east-1_20261102T1000Z_n${fileCounter}.json`);
  await writeFile(file, JSON.stringify({ Records: records }));
  await importFiles([file], { pool: db.pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024 });
  return drainDetectionQueue({ pool: db.pool, log: silentLog, rules: [RULE] });
}

const stopLogging = (user: string, minute = 0) =>
  cloudTrailEvent({
    eventTime: `2026-11-02T10:${String(minute).padStart(2, "0")}:00Z`, eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging",
    requestParameters: { name: "management-events" },
    userIdentity: { type: "IAMUser", principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: "111122223333", userName: user },
  });

describe("an alert reaches every channel", () => {
  let alertId = 0;

  test("webhook (signed JSON), Slack message, email and SNS each receive the opened alert, and each delivery is recorded as sent", async () => {
    const detection = await ingestAndDetect([stopLogging("mallory")]);
    assert.equal(detection.changes.length, 1);
    alertId = detection.changes[0]!.alertId;
    const stats = await processNotifications(ctx);
    assert.deepEqual({ routed: stats.routed, sent: stats.sent, failed: stats.failed, retrying: stats.retrying }, { routed: 1, sent: 4, failed: 0, retrying: 0 });

    const [hook] = await http.waitFor("/hook");
    const message = JSON.parse(hook!.body) as NotificationMessage;
    assert.equal(message.event, "opened");
    assert.equal(message.alert.id, Number(alertId));
    assert.equal(message.alert.ruleId, "cloudtrail-logging-stopped");
    assert.equal(message.alert.severity, RULE.severity);
    assert.equal(message.alert.groupKey, "111122223333 · arn:aws:iam::111122223333:user/mallory");
    assert.equal(message.alert.matchCount, 1);
    assert.equal(message.url, `https://trailwatch.example.com/alerts/${alertId}`);
    assert.equal(hook!.headers["content-type"], "application/json");
    assert.equal(hook!.headers["x-trailwatch-event"], "opened");
    const timestamp = String(hook!.headers[TIMESTAMP_HEADER.toLowerCase()]);
    const signature = String(hook!.headers[SIGNATURE_HEADER.toLowerCase()]);
    assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60, "the timestamp is now");
    const expected = Buffer.from(`sha256=${webhookSignature(SIGNING_SECRET, timestamp, hook!.body)}`);
    assert.ok(timingSafeEqual(Buffer.from(signature), expected), "the signature is the HMAC of timestamp.body with the channel's secret");
    assert.notEqual(signature, `sha256=${webhookSignature("another-secret-of-some-length", timestamp, hook!.body)}`);

    const [slack] = await http.waitFor("/slack/T000/B000/XXXX");
    const payload = JSON.parse(slack!.body) as ReturnType<typeof slackPayload>;
    assert.match(payload.text, /^\[HIGH\] New alert: CloudTrail trail stopped/);
    const text = JSON.stringify(payload.blocks);
    for (const part of ["*Severity*\\nhigh", "*Group*\\n111122223333 · arn:aws:iam::111122223333:user/mallory", "*Matches*\\n1", `https://trailwatch.example.com/alerts/${alertId}`]) {
      assert.ok(text.includes(part), `the Slack blocks contain ${part}`);
    }

    const [mail] = await smtp.waitFor(1);
    assert.equal(mail!.from, "trailwatch@example.com");
    assert.deepEqual(mail!.to, ["oncall@example.com", "sec@example.com"]);
    assert.equal(mail!.username, SMTP_LOGIN.username, "the server's AUTH was used with the stored password");
    const decoded = decodeMail(mail!.raw);
    assert.equal(decoded.subject, "[HIGH] New alert: CloudTrail trail stopped, deleted or updated — 111122223333 · arn:aws:iam::111122223333:user/mallory");
    assert.match(decoded.text, /^Group: +111122223333 · arn:aws:iam::111122223333:user\/mallory$/m);
    assert.match(decoded.text, /^Matches: +1$/m);
    assert.ok(decoded.text.includes(`https://trailwatch.example.com/alerts/${alertId}`));

    const received = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: snsQueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
    assert.equal(received.Messages?.length, 1);
    const envelope = JSON.parse(received.Messages![0]!.Body!) as { Type: string; TopicArn: string; Subject?: string; Message: string; MessageAttributes?: Record<string, { Value: string }> };
    assert.equal(envelope.Type, "Notification");
    assert.equal(envelope.TopicArn, topicArn);
    const snsMessage = JSON.parse(envelope.Message) as NotificationMessage;
    assert.equal(snsMessage.alert.id, Number(alertId));
    assert.equal(snsMessage.event, "opened");

    const deliveries = await listDeliveries(db.pool, { alertId });
    assert.deepEqual(deliveries.map((d) => [d.channelName, d.status, d.attempts]).sort(), [
      ["On-call email", "sent", 1], ["SNS topic", "sent", 1], ["SOC webhook", "sent", 1], ["Slack #security", "sent", 1],
    ]);
  });

  test("a second pass sends nothing again; acknowledging is not sent to channels that did not ask for it; resolving is, to those that did", async () => {
    const before = http.requests.length;
    assert.equal((await processNotifications(ctx)).sent, 0);
    await changeAlertState(db.pool, alertId, "acknowledge", "tester");
    const webhook = (await listChannels(db.pool)).find((c) => c.id === channelIds.webhook)!;
    await saveChannel(db.pool, { name: webhook.name, kind: "webhook", config: { url: `${http.url}/hook` }, routing: { ...webhook.routing, events: ["opened", "reopened", "resolved"] } }, { actor: "tester", key, id: channelIds.webhook });
    assert.equal((await processNotifications(ctx)).sent, 0, "nobody asked for acknowledgements");
    await changeAlertState(db.pool, alertId, "resolve", "tester");
    const stats = await processNotifications(ctx);
    assert.equal(stats.sent, 1);
    const hooks = await http.waitFor("/hook", 2);
    assert.equal(JSON.parse(hooks[1]!.body).event, "resolved");
    assert.ok(hooks[1]!.headers[SIGNATURE_HEADER.toLowerCase()], "an edit that leaves the secret out keeps it");
    assert.equal(http.requests.length, before + 1);
  });
});

describe("failures, retries and routing", () => {
  test("a failing channel is retried with backoff and recorded, and never holds the others", async () => {
    http.respond = (p) => (p === "/hook" ? { status: 503, body: "maintenance" } : p === "/slow" ? { status: 200, delayMs: 5_000 } : { status: 200, body: "ok" });
    const slow = await saveChannel(db.pool, { name: "Slow webhook", kind: "webhook", config: { url: `${http.url}/slow` } }, { actor: "tester", key });
    const detection = await ingestAndDetect([stopLogging("trudy")]);
    const alertId = detection.changes[0]!.alertId;
    const t0 = new Date();
    const started = Date.now();
    const first = await processNotifications(ctx, t0);
    assert.ok(Date.now() - started < 4_500, "the slow channel is cut off by the send timeout");
    assert.deepEqual({ sent: first.sent, retrying: first.retrying }, { sent: 3, retrying: 2 });
    let records = await listDeliveries(db.pool, { alertId });
    const hook = records.find((d) => d.channelId === channelIds.webhook)!;
    assert.equal(hook.status, "retrying");
    assert.match(hook.lastError ?? "", /answered 503: maintenance/);
    assert.equal(hook.nextAttemptAt!.getTime(), t0.getTime() + retryDelayMs(1));
    assert.match(records.find((d) => d.channelId === slow)!.lastError ?? "", /no answer within 2000 ms/);

    // Not due yet: nothing is tried. Once due, the recovered endpoint gets it.
    assert.equal((await processNotifications(ctx, new Date(t0.getTime() + 1_000))).retrying, 0);
    http.respond = (p) => (p === "/slow" ? { status: 404, body: "no such hook" } : { status: 200, body: "ok" });
    const second = await processNotifications(ctx, new Date(t0.getTime() + retryDelayMs(1)));
    assert.deepEqual({ sent: second.sent, failed: second.failed }, { sent: 1, failed: 1 }, "404 is permanent: given up at once");
    records = await listDeliveries(db.pool, { alertId });
    assert.deepEqual(records.find((d) => d.channelId === channelIds.webhook)!, { ...records.find((d) => d.channelId === channelIds.webhook)!, status: "sent", attempts: 2, lastError: null });
    const gaveUp = records.find((d) => d.channelId === slow)!;
    assert.equal(gaveUp.status, "failed");
    assert.match(gaveUp.lastError ?? "", /answered 404: no such hook/);
    await db.pool.query("DELETE FROM notification_channels WHERE id = $1", [slow]);
  });

  test("transient failures stop after MAX_ATTEMPTS", async () => {
    http.respond = (p) => (p === "/hook" ? { status: 500 } : { status: 200 });
    const alertId = (await ingestAndDetect([stopLogging("oscar")])).changes[0]!.alertId;
    let now = Date.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await processNotifications(ctx, new Date(now));
      now += retryDelayMs(attempt);
    }
    const hook = (await listDeliveries(db.pool, { alertId })).find((d) => d.channelId === channelIds.webhook)!;
    assert.deepEqual([hook.status, hook.attempts], ["failed", MAX_ATTEMPTS]);
    assert.equal((await processNotifications(ctx, new Date(now + 86_400_000))).failed, 0, "a failed delivery is not tried again");
    http.respond = () => ({ status: 200, body: "ok" });
  });

  test("minimum severity and rule routing pick channels; a muted group is recorded as muted and not sent", async () => {
    const email = (await listChannels(db.pool)).find((c) => c.id === channelIds.email)!;
    await saveChannel(db.pool, { name: email.name, kind: "email", config: email.config as never, routing: { ...email.routing, minSeverity: "critical" } }, { actor: "tester", key, id: channelIds.email });
    const sns = (await listChannels(db.pool)).find((c) => c.id === channelIds.sns)!;
    await saveChannel(db.pool, { name: sns.name, kind: "sns", config: sns.config as never, routing: { ...sns.routing, ruleIds: ["root-console-login"] } }, { actor: "tester", key, id: channelIds.sns });
    await addMute(db.pool, { ruleId: RULE.id, groupKey: "111122223333 · arn:aws:iam::111122223333:user/eve", until: new Date(Date.now() + 3_600_000), reason: "pen test" }, "tester");

    const mails = smtp.mails.length;
    const alertId = (await ingestAndDetect([stopLogging("peggy")])).changes[0]!.alertId;
    await processNotifications(ctx);
    assert.deepEqual((await listDeliveries(db.pool, { alertId })).map((d) => d.channelName).sort(), ["SOC webhook", "Slack #security"], "high < critical; another rule's channel");
    assert.equal(smtp.mails.length, mails);

    const muted = (await ingestAndDetect([stopLogging("eve")])).changes[0]!.alertId;
    const hooks = http.requests.length;
    await processNotifications(ctx);
    const records = await listDeliveries(db.pool, { alertId: muted });
    assert.deepEqual(records.map((d) => d.status), ["muted", "muted"]);
    assert.match(records[0]!.lastError ?? "", /^muted until \d{4}-/);
    assert.equal(http.requests.length, hooks, "nothing was sent for the muted group");
  });

  test("an alert still open is sent again after the channel's re-notify interval, once per interval", async () => {
    const slack = (await listChannels(db.pool)).find((c) => c.id === channelIds.slack)!;
    await saveChannel(db.pool, { name: slack.name, kind: "slack", routing: { ...slack.routing, renotifyMinutes: 60 } }, { actor: "tester", key, id: channelIds.slack });
    const alertId = (await ingestAndDetect([stopLogging("victor")])).changes[0]!.alertId;
    await processNotifications(ctx);
    assert.equal((await processNotifications(ctx, new Date(Date.now() + 30 * 60_000))).renotify, 0, "not yet");
    const later = await processNotifications(ctx, new Date(Date.now() + 61 * 60_000));
    assert.ok(later.renotify >= 1);
    const slackRecords = (await listDeliveries(db.pool, { alertId })).filter((d) => d.channelId === channelIds.slack);
    assert.deepEqual(slackRecords.map((d) => [d.event, d.status]), [["renotify", "sent"], ["opened", "sent"]]);
    assert.equal((await processNotifications(ctx, new Date(Date.now() + 62 * 60_000))).renotify, 0, "just re-notified");
    const open = await listAlerts(db.pool, { ruleId: RULE.id, state: ["open"] });
    assert.ok(open.some((a) => a.id === alertId));
  });
});

describe("channels", () => {
  test("secrets are never listed, and an incomplete new channel is refused at the field", async () => {
    const views = await listChannels(db.pool);
    const text = JSON.stringify(views);
    for (const secret of [SIGNING_SECRET, SMTP_LOGIN.password, "/slack/T000/B000/XXXX"]) assert.ok(!text.includes(secret), `${secret} is not in the listing`);
    assert.deepEqual(views.find((v) => v.id === channelIds.slack)!.secretsSet, ["webhookUrl"]);
    assert.equal((await getChannelForSending(db.pool, channelIds.slack, key))!.kind, "slack");
    await assert.rejects(saveChannel(db.pool, { name: "No URL", kind: "slack" }, { actor: "tester", key }), (e: { issues: { path: unknown[] }[] }) => {
      assert.deepEqual(e.issues[0]!.path, ["secrets", "webhookUrl"]);
      return true;
    });
    await assert.rejects(saveChannel(db.pool, { name: "Bad", kind: "email", config: { host: "h", from: "not-an-address", to: [] } } as never, { actor: "tester", key }), (e: { issues: { path: unknown[] }[] }) => {
      assert.deepEqual(e.issues.map((i) => i.path.join(".")).sort(), ["config.from", "config.to"]);
      return true;
    });
  });

  test("a test send reports success, or the receiver's reason", async () => {
    const before = http.requests.filter((r) => r.path === "/hook").length;
    assert.deepEqual(await sendTestNotification(db.pool, channelIds.webhook, cfg), { ok: true });
    const hooks = await http.waitFor("/hook", before + 1);
    assert.equal(JSON.parse(hooks.at(-1)!.body).event, "test");
    http.respond = () => ({ status: 403, body: "invalid_token" });
    assert.deepEqual(await sendTestNotification(db.pool, channelIds.slack, cfg), { ok: false, error: "127.0.0.1:" + new URL(http.url).port + " answered 403: invalid_token" });
    http.respond = () => ({ status: 200, body: "ok" });
    assert.equal((await sendTestNotification(db.pool, channelIds.sns, cfg, LOCAL_CREDENTIALS)).ok, true);
  });

  test("secrets are sealed at rest; plaintext ones from before are read, then sealed by the notifier, and delivery still signs with the right secret", async () => {
    const stored = await db.pool.query<{ secrets: Record<string, string> }>("SELECT secrets FROM notification_channels");
    const text = JSON.stringify(stored.rows);
    for (const secret of [SIGNING_SECRET, SMTP_LOGIN.password, "/slack/T000/B000/XXXX"]) assert.ok(!text.includes(secret), `${secret} is not stored in plaintext`);
    for (const row of stored.rows) for (const value of Object.values(row.secrets)) assert.match(value, /^enc:v1:/);

    const legacySecret = "legacy-plaintext-signing-secret";
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO notification_channels (name, kind, config, secrets, updated_by) VALUES ('Legacy hook', 'webhook', $1, $2, 'before-encryption') RETURNING id`,
      [{ url: `${http.url}/legacy` }, { signingSecret: legacySecret }],
    );
    const legacyId = Number(rows[0]!.id);
    const verify = async (n: number) => {
      assert.deepEqual(await sendTestNotification(db.pool, legacyId, cfg), { ok: true });
      const request = (await http.waitFor("/legacy", n)).at(-1)!;
      const expected = Buffer.from(`sha256=${webhookSignature(legacySecret, String(request.headers[TIMESTAMP_HEADER.toLowerCase()]), request.body)}`);
      const got = Buffer.from(String(request.headers[SIGNATURE_HEADER.toLowerCase()]));
      assert.ok(got.length === expected.length && timingSafeEqual(got, expected), "signed with the channel's secret");
    };
    await verify(1);
    assert.equal(await sealLegacySecrets(db.pool, key), 1);
    assert.equal(await sealLegacySecrets(db.pool, key), 0, "nothing left to seal");
    const after = await db.pool.query<{ secrets: Record<string, string> }>("SELECT secrets FROM notification_channels WHERE id = $1", [legacyId]);
    assert.ok(!JSON.stringify(after.rows[0]!.secrets).includes(legacySecret));
    await verify(2);
    await assert.rejects(getChannelForSending(db.pool, legacyId, deriveKey("some-other-installation-secret-0123", "channel-secrets")), /cannot be opened/);
    await deleteChannel(db.pool, legacyId, "tester");
  });

  test("editing a channel keeps a secret left blank; disabling and deleting it are recorded, without secrets", async () => {
    const id = await saveChannel(db.pool, { name: "Edit me", kind: "webhook", config: { url: `${http.url}/edit` }, secrets: { signingSecret: "edit-me-signing-secret-0123" } }, { actor: "alice", key });
    await saveChannel(db.pool, { name: "Edited", kind: "webhook", config: { url: `${http.url}/edited` }, secrets: {}, routing: { minSeverity: "high", ruleIds: ["root-console-login"], events: ["opened"], renotifyMinutes: 30 } }, { actor: "bob", key, id });
    const sending = (await getChannelForSending(db.pool, id, key))!;
    assert.equal(sending.kind === "webhook" && sending.secrets.signingSecret, "edit-me-signing-secret-0123");
    const view = (await getChannelView(db.pool, id))!;
    assert.deepEqual([view.name, view.config.url, view.routing], ["Edited", `${http.url}/edited`, { enabled: true, minSeverity: "high", ruleIds: ["root-console-login"], events: ["opened"], renotifyMinutes: 30 }]);
    await setChannelEnabled(db.pool, id, false, "carol");
    assert.equal((await getChannelView(db.pool, id))!.routing.enabled, false);
    await deleteChannel(db.pool, id, "dave");
    const history = await channelHistory(db.pool, { channelId: id });
    assert.deepEqual(history.map((h) => [h.action, h.actor]), [["deleted", "dave"], ["updated", "carol"], ["updated", "bob"], ["created", "alice"]]);
    assert.equal(history[2]!.before!.name, "Edit me");
    assert.equal(history[2]!.after!.name, "Edited");
    assert.deepEqual(history[2]!.after!.secretsSet, ["signingSecret"]);
    assert.ok(!JSON.stringify(history).includes("edit-me-signing-secret"), "history holds no secret");
  });
});

describe("routing a rule from its editor", () => {
  const ruleId = "stop-logging-routed";
  const userRule = { ...RULE, id: ruleId, title: "Trail stopped (routed copy)", enabled: true };

  test("the rule editor's channel picks land on the channels' rule lists, which the notifier reads; removing the last rule leaves a channel with none", async () => {
    const picked = await saveChannel(db.pool, { name: "Picked", kind: "webhook", config: { url: `${http.url}/picked` }, routing: { ruleIds: [] } }, { actor: "tester", key });
    const other = await saveChannel(db.pool, { name: "Not picked", kind: "webhook", config: { url: `${http.url}/not-picked` }, routing: { ruleIds: ["root-console-login"] } }, { actor: "tester", key });
    await saveRule(db.pool, userRule, "erin", "create", { channelIds: [picked] });
    assert.deepEqual((await getChannelView(db.pool, picked))!.routing.ruleIds, [ruleId]);
    assert.deepEqual((await getChannelView(db.pool, other))!.routing.ruleIds, ["root-console-login"]);
    assert.deepEqual((await channelHistory(db.pool, { channelId: picked })).map((h) => [h.action, h.actor]), [["routing", "erin"], ["created", "tester"]]);

    fileCounter += 1;
    const file = path.join(dir, `111122223333_CloudTrail_us-east-1_20261102T1100Z_n${fileCounter}.json`);
    await writeFile(file, JSON.stringify({ Records: [stopLogging("rupert", 30)] }));
    await importFiles([file], { pool: db.pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024 });
    const alertId = (await drainDetectionQueue({ pool: db.pool, log: silentLog, rules: [userRule] })).changes[0]!.alertId;
    await processNotifications(ctx);
    const names = (await listDeliveries(db.pool, { alertId })).map((d) => d.channelName);
    assert.ok(names.includes("Picked") && !names.includes("Not picked"), names.join(", "));
    assert.equal(JSON.parse((await http.waitFor("/picked", 1))[0]!.body).alert.ruleId, ruleId);

    await saveRule(db.pool, userRule, "erin", "update", { channelIds: [other] });
    assert.deepEqual((await getChannelView(db.pool, picked))!.routing.ruleIds, [], "no rule, not every rule");
    assert.deepEqual((await getChannelView(db.pool, other))!.routing.ruleIds, ["root-console-login", ruleId]);
    await saveRule(db.pool, userRule, "erin", "update", { channelIds: [999_999] }).then(
      () => assert.fail("an unknown channel is refused"),
      (e: Error) => assert.equal(e.name, "ChannelNotFoundError"),
    );
  });

  test("deleting a custom rule removes its mutes and its place on channels' rule lists in the same change", async () => {
    await addMute(db.pool, { ruleId, groupKey: null, until: new Date(Date.now() + 3_600_000) }, "tester");
    await addMute(db.pool, { ruleId: RULE.id, groupKey: "111122223333 · someone", until: new Date(Date.now() + 3_600_000) }, "tester");
    assert.equal((await listMutes(db.pool, { ruleId })).length, 1);
    await deleteRule(db.pool, ruleId, "frank");
    assert.equal((await listMutes(db.pool, { ruleId })).length, 0);
    assert.ok((await listMutes(db.pool, { ruleId: RULE.id })).length >= 1, "other rules' mutes stay");
    for (const c of await listChannels(db.pool)) assert.ok(!(c.routing.ruleIds ?? []).includes(ruleId), `${c.name} no longer lists it`);
    const other = (await listChannels(db.pool)).find((c) => c.name === "Not picked")!;
    assert.deepEqual(other.routing.ruleIds, ["root-console-login"]);
    assert.equal((await channelHistory(db.pool, { channelId: other.id }))[0]!.actor, "frank");
  });
});
