import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { assertExactlyDelivered, cloudTrailObject, doneCount, flowObject, queueDepth, startWorkerProcess, waitFor, type DeliveredObject } from "../support/fault-harness";
import { startTestAws, type TestAws } from "../support/local-aws";

// Fault 7: poison inputs between good objects, through the real worker process. Each poison ends
// in the ledger, its refused records or the message log with a reason; messages that can never
// succeed (not JSON, no such object, a truncated gzip) reach the DLQ after maxReceiveCount; objects
// whose content is permanently refused (a gzip bomb) are final `rejected` ledger entries (reprocess
// them after raising the limit), and refused records or lines leave the rest of their file stored.

let db: TestDatabase;
let aws: TestAws;
before(async () => {
  db = await createTestDatabase("fault_poison");
  aws = await startTestAws({ maxReceiveCount: 2 });
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

const ACCOUNT = "777788889999";
const HOUR = new Date(Date.UTC(2026, 10, 21, 6));

test("poison inputs are refused with their reasons, poison messages reach the DLQ, the good data around them is stored", async () => {
  const good: DeliveredObject[] = [
    cloudTrailObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, records: 30, tag: "poison-good-ct-1" }),
    flowObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, lines: 200, tag: "poison-good-flow-1" }),
    // A record over 256 KB among normal ones (TRAILWATCH_MAX_RECORD_BYTES=262144 below).
    cloudTrailObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, records: 5, tag: "poison-big-record", oversized: [2] }),
    // A corrupt line in the middle of a flow log.
    flowObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, lines: 100, tag: "poison-corrupt-line", corruptLines: [51] }),
    // Keys with a space, +, %, =, and Unicode, as S3 encodes them in the notification.
    flowObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, lines: 20, tag: "odd",
      key: `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/2026/11/21/odd key+plus%25 percent=eq ünïcødé 日本.log.gz` }),
    cloudTrailObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, records: 3, tag: "odd-ct",
      key: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/21/a b+c%d=e/ü 𝄞.json.gz` }),
    cloudTrailObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, records: 30, tag: "poison-good-ct-2" }),
  ];
  const truncatedKey = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/21/${ACCOUNT}_CloudTrail_us-east-1_20261121T0600Z_truncated.json.gz`;
  const bombKey = `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/2026/11/21/${ACCOUNT}_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261121T0600Z_bomb.log.gz`;
  const missingKey = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/21/never uploaded.json.gz`;
  const bomb = gzipSync(Buffer.concat([Buffer.from("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"), Buffer.alloc(32 * 1024 * 1024, " ")]));

  await aws.putAndNotify(good[0]!.key, good[0]!.body);
  await aws.send("this is not JSON {");
  await aws.putAndNotify(good[1]!.key, good[1]!.body);
  await aws.send(JSON.stringify({ Records: [{ eventVersion: "2.1", eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: aws.bucket }, object: { key: encodeURIComponent(missingKey).replace(/%2F/g, "/").replace(/%20/g, "+"), size: 10, eTag: "0123456789abcdef0123456789abcdef" } } }] }));
  await aws.putAndNotify(truncatedKey, cloudTrailObject({ account: ACCOUNT, region: "us-east-1", hour: HOUR, records: 50, tag: "truncated" }).body.subarray(0, 300));
  await aws.putAndNotify(bombKey, bomb);
  for (const o of good.slice(2)) await aws.putAndNotify(o.key, o.body);

  const worker = startWorkerProcess(db.url, aws, { TRAILWATCH_MAX_OBJECT_BYTES: String(1024 * 1024), TRAILWATCH_MAX_RECORD_BYTES: String(256 * 1024) });
  try {
    await waitFor("the good objects to be stored", async () => (await doneCount(db.pool, good.map((o) => o.key))) === good.length, 60_000);
    await waitFor("the three poison messages to reach the DLQ", async () => (await queueDepth(aws, aws.dlqUrl)) === 3, 60_000);
    await waitFor("the queue to be empty", async () => (await queueDepth(aws, aws.queueUrl)) === 0, 30_000);
  } finally {
    assert.equal(await worker.stop(), 0);
  }

  await assertExactlyDelivered(db.pool, good);

  const ledger = await db.pool.query<{ key: string; status: string; reason: string | null }>("SELECT key, status, reason FROM ingest_objects WHERE key = ANY($1)", [[truncatedKey, bombKey, missingKey]]);
  const byKey = Object.fromEntries(ledger.rows.map((r) => [r.key, r]));
  assert.equal(byKey[truncatedKey]?.status, "failed");
  assert.match(byKey[truncatedKey]?.reason ?? "", /unexpected end of file/);
  assert.equal(byKey[missingKey]?.status, "failed");
  assert.match(byKey[missingKey]?.reason ?? "", /NoSuchKey/);
  assert.equal(byKey[bombKey]?.status, "rejected", "a gzip bomb is final: reading it again would refuse it again");
  assert.match(byKey[bombKey]?.reason ?? "", /ObjectTooLargeError: content is larger than TRAILWATCH_MAX_OBJECT_BYTES \(1048576 bytes\) after gunzip of only \d+ compressed bytes/);

  const refused = await db.pool.query<{ key: string; position: number; reason: string }>(
    "SELECT o.key, r.position, r.reason FROM ingest_rejections r JOIN ingest_objects o ON o.id = r.object_id ORDER BY o.key",
  );
  assert.deepEqual(refused.rows.map((r) => [r.key, r.position]), [[good[2]!.key, 2], [good[3]!.key, 51]]);
  assert.match(refused.rows[0]!.reason, /record 2: \d+ bytes, over the 262144-byte limit/);
  assert.match(refused.rows[1]!.reason, /line 51/);

  const messages = await db.pool.query<{ outcome: string; shape: string; reason: string }>("SELECT outcome, shape, reason FROM message_log");
  assert.deepEqual(messages.rows.map((m) => [m.outcome, m.shape]), [["rejected", "not-json"]]);
  assert.match(messages.rows[0]!.reason, /not JSON/);
});
