// The system under test for the browser tests, started by global-setup.ts:
// a fresh database, a local SQS/S3 server, the whole demo week (ending at the current
// hour) uploaded and announced by S3 event notifications, the real worker loop, then
// `next start`; after that the worker, detector and notifier keep running for what the tests
// deliver. The reports need the week: its incidents happen on days 1–6.
// Writes what was delivered to E2E_STATE_FILE and runs until SIGTERM.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { generateDemoWeek } from "../lib/demo/generate-demo-week";
import { detectOnce } from "../lib/detect/run-detection";
import { newWorkerStats, runWorker } from "../lib/ingest/run-worker";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { s3ObjectCreatedNotification } from "../lib/aws/s3-notification";
import { startHeartbeat } from "../lib/ops/heartbeat";
import { startOpsRunner } from "../lib/ops/ops-requests";
import { startWeb } from "../lib/cli/web";
import { loadConfig } from "../lib/config";
import { startDetector } from "../lib/detect/run-detector";
import { startNotifier } from "../lib/notify/run-notifier";
import { createTestDatabase } from "../test/support/database";
import { startTestAws } from "../test/support/local-aws";
import { silentLog } from "../test/support/samples";
import { createUser } from "../lib/auth/users";
import { E2E_USERS } from "./e2e-users";
import { refreshRollups, startRollupRefresh } from "../lib/reports/rollups";
import { searchFixtureObject } from "./search-fixtures";
import { xssCorpusObjects } from "./xss-corpus";

const end = new Date();
end.setUTCMinutes(0, 0, 0);
const db = await createTestDatabase("e2e");
const aws = await startTestAws();
const delivered = generateDemoWeek({ end });
for (const object of delivered) await aws.putAndNotify(object.key, object.body);
// Events whose fields an attacker wrote (enough of them to rank in the top tables), to prove the UI renders them as text.
const HOSTILE = `<img src=x onerror="window.__xss=1">`;
const hostile = {
  eventVersion: "1.08", eventTime: new Date(end.getTime() - 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  eventSource: "iam.amazonaws.com", eventName: HOSTILE, awsRegion: "us-east-1", sourceIPAddress: "203.0.113.66",
  userAgent: `<script>window.__xss=1</script>`, recipientAccountId: "111122223333",
  userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/<b>mallory</b>", accountId: "111122223333", userName: "mallory" },
};
const hostileRecords = Array.from({ length: 1000 }, (_, i) => ({ ...hostile, eventID: `e2e-hostile-${i}` }));
delivered.push({ key: "AWSLogs/111122223333/CloudTrail/us-east-1/hostile.json.gz", body: gzipSync(JSON.stringify({ Records: hostileRecords })), kind: "cloudtrail", records: hostileRecords.length });
await aws.putAndNotify(delivered.at(-1)!.key, delivered.at(-1)!.body);
// An incident the detection rules must raise (a trail stopped), by a principal whose name is
// attacker-written markup, for the Alerts pages.
const STOPPER_ARN = `arn:aws:iam::111122223333:user/<img src=x onerror="window.__xss=1">`;
const stopLogging = {
  ...hostile, eventID: "e2e-stop-logging", eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging",
  requestParameters: { name: "management-events" }, userAgent: "aws-cli/2.15.0",
  userIdentity: { ...hostile.userIdentity, arn: STOPPER_ARN, userName: `<img src=x onerror="window.__xss=1">` },
};
delivered.push({ key: "AWSLogs/111122223333/CloudTrail/us-east-1/stop-logging.json.gz", body: gzipSync(JSON.stringify({ Records: [stopLogging] })), kind: "cloudtrail", records: 1 });
await aws.putAndNotify(delivered.at(-1)!.key, delivered.at(-1)!.body);
// Records of e2e/search.spec.ts (a principal changing a policy twice, a role session, an IAM Identity Center user, a hostile event).
delivered.push(searchFixtureObject(end));
await aws.putAndNotify(delivered.at(-1)!.key, delivered.at(-1)!.body);
// The XSS corpus of e2e/xss-corpus.spec.ts: payloads in every attacker-written field, a CloudTrail and a flow-log file.
for (const object of xssCorpusObjects(end)) {
  delivered.push(object);
  await aws.putAndNotify(object.key, object.body);
}
/** The real worker loop over the local queue, until it is idle. */
const drain = () =>
  runWorker({
    sqs: aws.sqs, s3: aws.s3, pool: db.pool, log: silentLog, queueUrl: aws.queueUrl, concurrency: 4, waitSeconds: 1,
    visibilitySeconds: 60, batchRows: 5000, maxRecordBytes: 1024 * 1024, signal: new AbortController().signal, stopWhenIdle: true,
  });
const stats = await drain();
// Poison: a truncated gzip object and a message that is not JSON, to show them on the Ingest page.
const BROKEN_KEY = "AWSLogs/111122223333/CloudTrail/us-east-1/broken.json.gz";
await aws.putAndNotify(BROKEN_KEY, gzipSync(JSON.stringify({ Records: hostileRecords })).subarray(0, 100));
await aws.send("<not json>");
await drain();
await detectOnce({ pool: db.pool, log: silentLog });
// The rollups of the week, as the worker's refresh loop keeps them in production (a first page would otherwise
// rebuild the whole week while its panels wait).
await refreshRollups(db.pool);
// A message dead-lettered earlier (its object was missing then) whose object has since been put:
// replaying the DLQ from the Ledger page must ingest it exactly once.
const REPLAY_KEY = "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/22/111122223333_vpcflowlogs_us-east-1_fl-0e2e0e2e0e2e0e2e0_20261122T0000Z_replay.log";
const REPLAY_LINES = 5;
const replayBody = ["version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
  ...Array.from({ length: REPLAY_LINES }, (_, i) => `2 111122223333 eni-0e2e 198.51.100.${i + 1} 10.0.0.5 4444${i} 22 6 3 180 1763769600 1763769660 REJECT OK`)].join("\n") + "\n";
const replayEtag = await aws.put(REPLAY_KEY, replayBody);
await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.dlqUrl, MessageBody: s3ObjectCreatedNotification({ bucket: aws.bucket, key: REPLAY_KEY, size: Buffer.byteLength(replayBody), etag: replayEtag }) }));
// One user per role (e2e/e2e-users.ts); global-setup.ts signs each in and keeps its browser state.
for (const user of Object.values(E2E_USERS)) await createUser(db.pool, user);
const port = Number(process.env.PORT ?? 3111);
const web = await startWeb({ databaseUrl: db.url, port, log: silentLog, env: { TRAILWATCH_PUBLIC_URL: `http://127.0.0.1:${port}` } });
// From here on a worker runs as in production: it consumes what a test delivers, detection runs
// after each object, the notifier sends what the alerts' outbox holds, its heartbeat feeds the
// Health page, and it carries out the admin requests made in the UI.
const running = new AbortController();
const workerStats = newWorkerStats();
const heartbeat = startHeartbeat({ pool: db.pool, sqs: aws.sqs, queueUrl: aws.queueUrl, log: silentLog, stats: workerStats, signal: running.signal, everyMs: 1000 });
const ops = startOpsRunner({ pool: db.pool, sqs: aws.sqs, queueUrl: aws.queueUrl, log: silentLog, signal: running.signal, everyMs: 500 });
const notifier = startNotifier({ pool: db.pool, config: loadConfig({ TRAILWATCH_PUBLIC_URL: web.url, TRAILWATCH_NOTIFY_TIMEOUT_SECONDS: "5" }), log: silentLog, signal: running.signal, pollMs: 500 });
const detector = startDetector({ pool: db.pool, log: silentLog, signal: running.signal, pollMs: 1000, afterPass: notifier.wake });
const rollups = startRollupRefresh({ pool: db.pool, log: silentLog, signal: running.signal, everyMs: 1000 });
const worker = runWorker({
  sqs: aws.sqs, s3: aws.s3, pool: db.pool, log: silentLog, queueUrl: aws.queueUrl, concurrency: 2, waitSeconds: 1,
  visibilitySeconds: 60, batchRows: 5000, maxRecordBytes: 1024 * 1024, signal: running.signal, stats: workerStats, afterMessage: detector.wake,
});
writeFileSync(
  process.env.E2E_STATE_FILE ?? "e2e/.stack-state.json",
  JSON.stringify({
    url: web.url,
    databaseUrl: db.url,
    deliveredObjects: delivered.length,
    weekFrom: new Date(end.getTime() - 7 * 86_400_000).toISOString(),
    weekTo: end.toISOString(),
    deliveredCloudTrailRecords: delivered.filter((o) => o.kind === "cloudtrail").reduce((n, o) => n + o.records, 0),
    deletedMessages: stats.deleted,
    hostileEventName: HOSTILE,
    brokenKey: BROKEN_KEY,
    replay: { key: REPLAY_KEY, lines: REPLAY_LINES },
    stopLogging: { eventId: stopLogging.eventID, principalArn: STOPPER_ARN },
    hostilePrincipalArn: hostile.userIdentity.arn,
    aws: { endpoint: aws.endpoint, bucket: aws.bucket, queueUrl: aws.queueUrl },
  }),
);
process.once("SIGTERM", async () => {
  running.abort();
  await Promise.all([worker, heartbeat.done, ops.done, detector.done, notifier.done, rollups.done]);
  web.child.kill("SIGTERM");
  await new Promise((r) => web.child.once("exit", r));
  await aws.stop();
  await db.drop();
  process.exit(0);
});
