import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { s3ObjectCreatedNotification } from "../../lib/aws/s3-notification";
import { requestOperation } from "../../lib/ops/ops-requests";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { assertExactlyDelivered, cloudTrailObject, doneCount, queueDepth, startWorkerProcess, waitFor, type WorkerProcess } from "../support/fault-harness";
import { startTestAws, type TestAws } from "../support/local-aws";

// Admin requests carried out by the real worker process: a DLQ replay after the cause is fixed
// ingests the object exactly once, and reprocessing a stored object stores nothing twice.

let db: TestDatabase;
let aws: TestAws;
let worker: WorkerProcess | undefined;
before(async () => {
  db = await createTestDatabase("ops_requests");
  aws = await startTestAws({ maxReceiveCount: 1 });
});
after(async () => {
  await worker?.stop();
  await aws?.stop();
  await db?.drop();
});

async function finished(id: string): Promise<{ result: string | null; error: string | null } | null> {
  const r = await db.pool.query<{ result: string | null; error: string | null }>("SELECT result, error FROM ops_requests WHERE id = $1 AND finished_at IS NOT NULL", [id]);
  return r.rows[0] ?? null;
}

test("a DLQ replay after the object is fixed ingests it exactly once; replaying again and reprocessing change nothing", async () => {
  const object = cloudTrailObject({ account: "131313131313", region: "eu-central-1", hour: new Date(Date.UTC(2026, 10, 22, 3)), records: 25, tag: "replay" });
  const etag = createHash("md5").update(object.body).digest("hex");
  // Announced before it exists (say, a bucket policy denied the worker): GetObject fails, the message is dead-lettered.
  await aws.send(s3ObjectCreatedNotification({ bucket: aws.bucket, key: object.key, size: object.body.length, etag }));
  worker = startWorkerProcess(db.url, aws);
  await waitFor("the message in the DLQ", async () => (await queueDepth(aws, aws.dlqUrl)) === 1, 30_000);
  const failed = await db.pool.query<{ id: string; status: string; reason: string }>("SELECT id::text, status, reason FROM ingest_objects WHERE key = $1", [object.key]);
  assert.equal(failed.rows[0]?.status, "failed");
  assert.match(failed.rows[0]?.reason ?? "", /NoSuchKey/);

  await aws.put(object.key, object.body); // the fix
  const first = await requestOperation(db.pool, { action: "replay-dlq", actor: "test" });
  const again = await requestOperation(db.pool, { action: "replay-dlq", actor: "test" });
  assert.equal(again, first, "asking twice while the request is open is asking once");
  await waitFor("the replay to finish", async () => (await finished(first)) !== null, 30_000);
  assert.deepEqual(await finished(first), { result: "1 message(s) moved from the dead-letter queue to the ingest queue", error: null });
  await waitFor("the object to be stored", async () => (await doneCount(db.pool, [object.key])) === 1, 30_000);
  await assertExactlyDelivered(db.pool, [object]);

  const second = await requestOperation(db.pool, { action: "replay-dlq", actor: "test" });
  assert.notEqual(second, first);
  await waitFor("the second replay to finish", async () => (await finished(second)) !== null, 30_000);
  assert.equal((await finished(second))?.result, "0 message(s) moved from the dead-letter queue to the ingest queue");

  const reprocess = await requestOperation(db.pool, { action: "reprocess-object", objectId: BigInt(failed.rows[0]!.id), actor: "test" });
  await waitFor("the reprocess request to finish", async () => (await finished(reprocess)) !== null, 30_000);
  assert.match((await finished(reprocess))?.result ?? "", /sent to the queue \(was done\)/);
  await waitFor("the object to be done again", async () => (await doneCount(db.pool, [object.key])) === 1 && (await queueDepth(aws, aws.queueUrl)) === 0, 30_000);
  const ledger = await db.pool.query("SELECT status, attempts, records_stored, records_duplicate FROM ingest_objects WHERE key = $1", [object.key]);
  assert.deepEqual(ledger.rows, [{ status: "done", attempts: 3, records_stored: 25, records_duplicate: 0 }]);
  await assertExactlyDelivered(db.pool, [object]);
  await assert.rejects(requestOperation(db.pool, { action: "reprocess-object", objectId: 999_999n, actor: "test" }), /no ledger object 999999/);
});
