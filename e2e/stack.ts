// The system under test for the browser tests, started by global-setup.ts:
// a fresh database, a local SQS/S3 server, the whole demo week (ending at the current
// hour) uploaded and announced by S3 event notifications, the real worker loop, then
// `next start`. The reports need the week: its incidents happen on days 1–6.
// Writes what was delivered to E2E_STATE_FILE and runs until SIGTERM.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { generateDemoWeek } from "../lib/demo/generate-demo-week";
import { runWorker } from "../lib/ingest/run-worker";
import { startWeb } from "../lib/cli/web";
import { createTestDatabase } from "../test/support/database";
import { startTestAws } from "../test/support/local-aws";
import { silentLog } from "../test/support/samples";

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
const web = await startWeb({ databaseUrl: db.url, port: Number(process.env.PORT ?? 3111), log: silentLog });
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
  }),
);
process.once("SIGTERM", async () => {
  web.child.kill("SIGTERM");
  await new Promise((r) => web.child.once("exit", r));
  await aws.stop();
  await db.drop();
  process.exit(0);
});
