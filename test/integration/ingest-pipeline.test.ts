import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { runWorker, type WorkerStats } from "../../lib/ingest/run-worker";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestAws, type TestAws } from "../support/local-aws";
import { sharedSample, silentLog } from "../support/samples";

const CT_KEY = "AWSLogs/012345678901/CloudTrail/eu-west-1/2017/05/01/012345678901_CloudTrail_eu-west-1_20170501T1015Z_Mu0KsOhtH1ar15ZZ.json.gz";
const FLOW_KEY =
  "AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/aws-region=eu-west-2/year=2022/month=02/day=21/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log.gz";

let db: TestDatabase;
let aws: TestAws;

before(async () => {
  db = await createTestDatabase("pipeline");
  aws = await startTestAws({ maxReceiveCount: 2 });
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

/** Runs the real worker loop against the local queue until it is idle (or `until` holds). */
async function drain(options: { visibilitySeconds?: number; until?: () => Promise<boolean>; timeoutMs?: number } = {}): Promise<WorkerStats> {
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(), options.timeoutMs ?? 30_000);
  let watcher: Promise<void> | undefined;
  if (options.until) {
    const until = options.until;
    watcher = (async () => {
      while (!stop.signal.aborted && !(await until())) await new Promise((r) => setTimeout(r, 200));
      stop.abort();
    })();
  }
  const stats = await runWorker({
    sqs: aws.sqs, s3: aws.s3, pool: db.pool, log: silentLog, queueUrl: aws.queueUrl,
    concurrency: 3, waitSeconds: 1, visibilitySeconds: options.visibilitySeconds ?? 30,
    batchRows: 2, // small batches exercise the staging merge many times per object
    maxRecordBytes: 1024 * 1024, signal: stop.signal, stopWhenIdle: !options.until,
  });
  clearTimeout(deadline);
  await watcher;
  return stats;
}

async function queueDepth(url: string): Promise<number> {
  const res = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const res = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params);
  return Number(res.rows[0]?.n);
}

describe("SQS → S3 → Postgres", () => {
  test("stores exactly the records of delivered CloudTrail and flow-log objects", async () => {
    const ctFile = await sharedSample("cloudtrail/openregister-deployment/cloudtrail-logs-compressed.gz");
    const flowFile = await sharedSample("vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log");
    await aws.putAndNotify(CT_KEY, ctFile);
    await aws.putAndNotify(FLOW_KEY, gzipSync(flowFile));

    const stats = await drain();
    assert.equal(stats.deleted, 2);
    assert.equal(await queueDepth(aws.queueUrl), 0);

    // Oracle independent of our parsers: the files read whole.
    const { gunzipSync } = await import("node:zlib");
    const expectedIds = (JSON.parse(gunzipSync(ctFile).toString()) as { Records: { eventID: string }[] }).Records.map((r) => r.eventID).sort();
    const stored = await db.pool.query<{ event_id: string }>("SELECT event_id FROM cloudtrail_events ORDER BY event_id");
    assert.deepEqual(stored.rows.map((r) => r.event_id), expectedIds);

    const flowLines = flowFile.toString().trim().split("\n").slice(1);
    const flows = await db.pool.query<{ srcaddr: string; dstport: number; bytes: number; line_number: number }>(
      "SELECT host(srcaddr) AS srcaddr, dstport, bytes, line_number FROM flow_records ORDER BY line_number",
    );
    assert.equal(flows.rows.length, flowLines.length);
    const firstFields = flowLines[0]!.split(" ");
    assert.deepEqual(flows.rows[0], { srcaddr: firstFields[3], dstport: Number(firstFields[6]), bytes: firstFields[9], line_number: 2 }, "bigint arrives as text");

    const ledger = await db.pool.query("SELECT key, kind, status, records_stored FROM ingest_objects ORDER BY kind");
    assert.deepEqual(ledger.rows, [
      { key: CT_KEY, kind: "cloudtrail", status: "done", records_stored: expectedIds.length },
      { key: FLOW_KEY, kind: "vpcflow", status: "done", records_stored: flowLines.length },
    ]);
  });

  test("the same notification delivered twice stores nothing new", async () => {
    const body = gzipSync(await sharedSample("cloudtrail/openregister-deployment/cloudtrail-logs-uncompressed.log"));
    const key = "AWSLogs/012345678901/CloudTrail/eu-west-1/2017/05/01/012345678901_CloudTrail_eu-west-1_20170501T1020Z_twice.json.gz";
    const notification = await aws.putAndNotify(key, body);
    await aws.send(notification);
    const before = await count("cloudtrail_events");
    const stats = await drain();
    assert.equal(stats.deleted, 2, "both copies are acknowledged");
    assert.equal(await count("cloudtrail_events"), before, "the events were already stored under their eventIDs");
    const ledger = await db.pool.query("SELECT status, records_stored, records_duplicate FROM ingest_objects WHERE key = $1", [key]);
    assert.deepEqual(ledger.rows, [{ status: "done", records_stored: 0, records_duplicate: 2 }]);
  });

  test("decodes SNS-wrapped, EventBridge and CloudTrail-SNS notifications and acknowledges s3:TestEvent", async () => {
    const flow = await sharedSample("vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T2025Z_55a7d2af.log");
    const keys = ["via sns/flow+1.log", "via-eventbridge/ünïcode=flow.log", "AWSLogs/111111111111/vpcflowlogs/eu-west-2/2022/02/21/cloudtrail-sns-flow.log"];
    const etags = [];
    for (const key of keys) etags.push(await aws.put(key, flow));
    const s3Notification = JSON.stringify({
      Records: [{ eventVersion: "2.1", eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: aws.bucket }, object: { key: "via+sns/flow%2B1.log", size: flow.length, eTag: etags[0] } } }],
    });
    await aws.send(JSON.stringify({ Type: "Notification", MessageId: "m-1", TopicArn: "arn:aws:sns:us-east-1:111122223333:logs", Subject: "Amazon S3 Notification", Message: s3Notification }));
    await aws.send(
      JSON.stringify({
        version: "0", id: "e-1", "detail-type": "Object Created", source: "aws.s3", account: "111122223333", time: "2024-01-01T00:00:00Z", region: "us-east-1", resources: [],
        detail: { version: "0", bucket: { name: aws.bucket }, object: { key: keys[1], size: flow.length, etag: etags[1] }, reason: "PutObject" },
      }),
    );
    await aws.send(JSON.stringify({ Type: "Notification", MessageId: "m-2", TopicArn: "arn:aws:sns:us-east-1:111122223333:ct", Message: JSON.stringify({ s3Bucket: aws.bucket, s3ObjectKey: [keys[2]] }) }));
    await aws.send(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Time: "2024-01-01T00:00:00.000Z", Bucket: aws.bucket, RequestId: "R", HostId: "H" }));

    const stats = await drain();
    assert.equal(stats.deleted, 4);
    const lines = flow.toString().trim().split("\n").length - 1;
    for (const key of keys) {
      const ledger = await db.pool.query("SELECT status, kind, records_stored FROM ingest_objects WHERE key = $1", [key]);
      assert.deepEqual(ledger.rows, [{ status: "done", kind: "vpcflow", records_stored: lines }], key);
    }
    const tests = await db.pool.query("SELECT outcome, shape FROM message_log WHERE outcome = 'test'");
    assert.equal(tests.rows.length, 1);
  });

  test("a bad object is recorded with its reason and the good objects around it are stored", async () => {
    const good = await sharedSample("cloudtrail/openregister-deployment/cloudtrail-logs-compressed.gz");
    const truncated = gzipSync(Buffer.from(JSON.stringify({ Records: Array.from({ length: 50 }, (_, i) => ({ eventID: `t-${i}`, eventTime: "2024-01-01T00:00:00Z" })) }))).subarray(0, 200);
    const badKey = "AWSLogs/999999999999/CloudTrail/us-east-1/2024/01/01/999999999999_CloudTrail_us-east-1_20240101T0000Z_truncated.json.gz";
    const goodKey = "AWSLogs/012345678901/CloudTrail/eu-west-1/2017/05/01/012345678901_CloudTrail_eu-west-1_20170501T1030Z_neighbour.json.gz";
    await aws.putAndNotify(badKey, truncated);
    await aws.send(JSON.stringify({ Records: [{ eventVersion: "2.1", eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: aws.bucket }, object: { key: "missing/object.json.gz", size: 10, eTag: "0123" } } }] }));
    await aws.putAndNotify(goodKey, good);

    await drain({ visibilitySeconds: 1, until: async () => (await queueDepth(aws.dlqUrl)) >= 2, timeoutMs: 30_000 });

    const rows = await db.pool.query<{ key: string; status: string; reason: string }>("SELECT key, status, reason FROM ingest_objects WHERE key = ANY($1) ORDER BY key", [[badKey, goodKey, "missing/object.json.gz"]]);
    const byKey = Object.fromEntries(rows.rows.map((r) => [r.key, r]));
    assert.equal(byKey[goodKey]?.status, "done");
    assert.equal(byKey[badKey]?.status, "failed");
    assert.match(byKey[badKey]?.reason ?? "", /unexpected end of file|truncated|end/i);
    assert.equal(byKey["missing/object.json.gz"]?.status, "failed");
    assert.match(byKey["missing/object.json.gz"]?.reason ?? "", /NoSuchKey/);
    assert.equal(await count("cloudtrail_events WHERE recipient_account_id = '999999999999'"), 0, "nothing of the truncated object is half-stored");
    assert.equal(await queueDepth(aws.dlqUrl), 2, "both poison messages reached the DLQ");
  });

  test("a message that is not understood is logged with its reason and reaches the DLQ after maxReceiveCount", async () => {
    const dlqBefore = await queueDepth(aws.dlqUrl);
    await aws.send("this is not JSON {");
    await drain({ visibilitySeconds: 1, until: async () => (await queueDepth(aws.dlqUrl)) > dlqBefore, timeoutMs: 30_000 });
    const logged = await db.pool.query<{ outcome: string; shape: string; reason: string; receive_count: number }>("SELECT outcome, shape, reason, receive_count FROM message_log WHERE outcome = 'rejected'");
    assert.equal(logged.rows.length, 1);
    assert.equal(logged.rows[0]?.shape, "not-json");
    assert.ok((logged.rows[0]?.receive_count ?? 0) >= 2, "received maxReceiveCount times before the redrive");
    assert.equal(await queueDepth(aws.dlqUrl), dlqBefore + 1);
  });
});
