import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { assertExactlyDelivered, cloudTrailObject, doneCount, flowObject, queueDepth, sleep, startWorkerProcess, waitFor, type DeliveredObject } from "../support/fault-harness";
import { startTestAws, type TestAws } from "../support/local-aws";
import { s3ObjectCreatedNotification } from "../../lib/aws/s3-notification";

// Faults 4–6, with the real worker process: SQS's at-least-once delivery (the same notification
// twice, two workers on one queue), notifications out of order and late, and an object slower
// than the visibility timeout. The tests share one database; the oracle checks everything
// delivered so far after each.

let db: TestDatabase;
let aws: TestAws;
const delivered: DeliveredObject[] = [];
before(async () => {
  db = await createTestDatabase("fault_delivery");
  aws = await startTestAws({ maxReceiveCount: 5 });
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

const ACCOUNT = "444455556666";
const hourAt = (h: number) => new Date(Date.UTC(2026, 10, 21, h));

test("the same notification delivered twice (and three times), consumed by two workers at once: each record once", async () => {
  const objects: DeliveredObject[] = [];
  for (let i = 0; i < 8; i++) {
    objects.push(flowObject({ account: ACCOUNT, region: "eu-west-1", hour: hourAt(i), lines: 3000, tag: `dup-flow-${i}` }));
    objects.push(cloudTrailObject({ account: ACCOUNT, region: "eu-west-1", hour: hourAt(i), records: 200, tag: `dup-ct-${i}` }));
  }
  const notifications: string[] = [];
  for (const o of objects) notifications.push(await aws.putAndNotify(o.key, o.body));
  for (const [i, n] of notifications.entries()) {
    await aws.send(n);
    if (i % 3 === 0) await aws.send(n);
  }
  delivered.push(...objects);
  const keys = objects.map((o) => o.key);
  const a = startWorkerProcess(db.url, aws);
  const b = startWorkerProcess(db.url, aws);
  try {
    await waitFor("every object to be done", async () => (await doneCount(db.pool, keys)) === keys.length, 90_000);
    await waitFor("every copy of every message to be consumed", async () => (await queueDepth(aws, aws.queueUrl)) === 0, 30_000);
  } finally {
    assert.deepEqual(await Promise.all([a.stop(), b.stop()]), [0, 0]);
  }
  await assertExactlyDelivered(db.pool, delivered);
  const bothWorked = [a, b].map((w) => w.logLines().filter((l) => l.includes('"object ingested"') || l.includes('"msg":"object ingested"')).length);
  assert.ok(bothWorked.every((n) => n > 0), `both workers ingested objects (${bothWorked.join(" / ")})`);
  assert.equal(await queueDepth(aws, aws.dlqUrl), 0);
});

test("notifications out of order, and late ones for an earlier hour after later hours are stored", async () => {
  const hours = [9, 10, 11, 12, 13, 14];
  const objects = new Map(hours.map((h) => [h, [
    flowObject({ account: ACCOUNT, region: "eu-west-1", hour: hourAt(h), lines: 500, tag: `late-flow-${h}` }),
    cloudTrailObject({ account: ACCOUNT, region: "eu-west-1", hour: hourAt(h), records: 50, tag: `late-ct-${h}` }),
  ]]));
  // Uploaded in order, announced out of order; hours 9 and 10 only after the later ones are stored.
  for (const h of hours) for (const o of objects.get(h)!) await aws.put(o.key, o.body);
  const announce = async (h: number) => {
    for (const o of objects.get(h)!) {
      await aws.send(s3ObjectCreatedNotification({ bucket: aws.bucket, key: o.key, size: o.body.length, etag: await etagOf(o) }));
      delivered.push(o);
    }
  };
  const etagOf = async (o: DeliveredObject) => (await import("node:crypto")).createHash("md5").update(o.body).digest("hex");
  for (const h of [13, 11, 14, 12]) await announce(h);
  const worker = startWorkerProcess(db.url, aws);
  try {
    const later = [11, 12, 13, 14].flatMap((h) => objects.get(h)!.map((o) => o.key));
    await waitFor("the later hours to be stored", async () => (await doneCount(db.pool, later)) === later.length, 60_000);
    await announce(10);
    await sleep(500);
    await announce(9);
    const all = hours.flatMap((h) => objects.get(h)!.map((o) => o.key));
    await waitFor("the late hours to be stored too", async () => (await doneCount(db.pool, all)) === all.length, 60_000);
  } finally {
    assert.equal(await worker.stop(), 0);
  }
  await assertExactlyDelivered(db.pool, delivered);
  const earliest = await db.pool.query<{ t: Date }>("SELECT min(event_time) AS t FROM cloudtrail_events WHERE event_id LIKE 'late-ct-%'");
  assert.equal(earliest.rows[0]?.t.toISOString(), hourAt(9).toISOString(), "the late hour's events are stored under their own time");
});

test("an object slower than the visibility timeout is kept invisible by the keepalive and processed once", async () => {
  // Visibility 3 s; the object's load is held up for ~10 s by a lock another session holds on
  // flow_records (as a long report or a VACUUM FULL would), so it takes over three timeouts.
  const object = flowObject({ account: ACCOUNT, region: "eu-west-1", hour: hourAt(20), lines: 2000, tag: "slow-flow" });
  const blocker = await db.pool.connect();
  await blocker.query("BEGIN");
  await blocker.query("LOCK TABLE flow_records IN SHARE MODE");
  await aws.putAndNotify(object.key, object.body);
  delivered.push(object);
  const worker = startWorkerProcess(db.url, aws, { TRAILWATCH_SQS_VISIBILITY_SECONDS: "3", TRAILWATCH_WORKER_CONCURRENCY: "4" });
  try {
    await waitFor("the worker to start the object", async () => (await db.pool.query("SELECT 1 FROM ingest_objects WHERE key = $1 AND status = 'processing'", [object.key])).rowCount === 1, 30_000);
    const heldSince = Date.now();
    while (Date.now() - heldSince < 10_000) {
      await sleep(1000);
      const res = await aws.sqs.send(new (await import("@aws-sdk/client-sqs")).GetQueueAttributesCommand({ QueueUrl: aws.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
      assert.equal(res.Attributes?.ApproximateNumberOfMessages, "0", "the message never becomes visible again while it is worked on");
    }
    await blocker.query("COMMIT");
    await waitFor("the object to be done", async () => (await doneCount(db.pool, [object.key])) === 1, 30_000);
    await waitFor("its message to be deleted", async () => (await queueDepth(aws, aws.queueUrl)) === 0, 10_000);
  } finally {
    await blocker.query("ROLLBACK").catch(() => undefined);
    blocker.release();
    assert.equal(await worker.stop(), 0);
  }
  const ledger = await db.pool.query<{ attempts: number; duration_ms: number }>("SELECT attempts, duration_ms FROM ingest_objects WHERE key = $1", [object.key]);
  assert.equal(ledger.rows[0]?.attempts, 1, "one attempt: the message was never handed out twice");
  assert.ok((ledger.rows[0]?.duration_ms ?? 0) >= 9_000, `the attempt really outlasted three visibility timeouts (${ledger.rows[0]?.duration_ms} ms)`);
  await assertExactlyDelivered(db.pool, delivered);
});
