import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { assertExactlyDelivered, cloudTrailObject, doneCount, flowObject, queueDepth, sleep, startWorkerProcess, waitFor, type DeliveredObject } from "../support/fault-harness";
import { startTestAws, type TestAws } from "../support/local-aws";

// Fault 1: the real worker process is killed with SIGKILL again and again (≥ 20 times) while it
// loads objects, then restarted for good: every record is stored exactly once.
// The queue's maxReceiveCount is high here on purpose: each kill costs the messages in flight one
// receive, and this test is about the crash, not the redrive (fault-poison tests the DLQ).

let db: TestDatabase;
let aws: TestAws;
before(async () => {
  db = await createTestDatabase("fault_kill");
  aws = await startTestAws({ maxReceiveCount: 100 });
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

test("kill -9 of the worker mid-object, 26 times, then a restart: nothing lost, nothing doubled", async () => {
  const hour = new Date(Date.UTC(2026, 10, 20, 10));
  const delivered: DeliveredObject[] = [];
  let batch = 0;
  // Delivers 10 more objects; called again whenever the workers got through everything before the last kill.
  const deliverBatch = async () => {
    for (let i = 0; i < 5; i++) {
      const at = new Date(hour.getTime() + (batch * 5 + i) * 300_000);
      const objects = [
        flowObject({ account: "111122223333", region: "us-east-1", hour: at, lines: 30_000, tag: `kill-flow-${batch}-${i}` }),
        cloudTrailObject({ account: "111122223333", region: "us-east-1", hour: at, records: 300, tag: `kill-ct-${batch}-${i}` }),
      ];
      for (const o of objects) await aws.putAndNotify(o.key, o.body);
      delivered.push(...objects);
    }
    batch += 1;
  };
  await deliverBatch();
  await deliverBatch();
  const keys = () => delivered.map((o) => o.key);

  const KILLS = 26;
  let killedMidObject = 0;
  for (let k = 0; k < KILLS; k++) {
    const spawnedAt = (await db.pool.query<{ t: Date }>("SELECT now() AS t")).rows[0]!.t;
    const worker = startWorkerProcess(db.url, aws, { TRAILWATCH_WORKER_CONCURRENCY: "3" });
    // Rows this worker began (a killed worker's rows stay `processing` until they are taken up again).
    const beganByThisWorker = async () =>
      (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ingest_objects WHERE status = 'processing' AND started_at >= $1", [spawnedAt])).rows[0]?.n ?? 0;
    // Wait until it is working on an object (a loaded machine may take many seconds to start a worker),
    // then let it run a varying moment into the load: short, since an object loads in well under a second.
    await waitFor("the worker to begin an object", async () => (await beganByThisWorker()) > 0 || worker.child.exitCode !== null, 30_000).catch(() => undefined);
    await sleep((k * 37) % 150);
    const processing = await beganByThisWorker();
    await worker.kill9();
    if (processing > 0) killedMidObject += 1;
    if ((await doneCount(db.pool, keys())) === delivered.length) await deliverBatch();
  }
  assert.ok(killedMidObject >= 20, `at least 20 kills landed while an object was being loaded (got ${killedMidObject})`);

  const final = startWorkerProcess(db.url, aws);
  try {
    await waitFor("every object to be done", async () => (await doneCount(db.pool, keys())) === delivered.length, 120_000);
    await waitFor("the queue to be empty", async () => (await queueDepth(aws, aws.queueUrl)) === 0, 30_000);
  } finally {
    assert.equal(await final.stop(), 0, "SIGTERM stops the worker gracefully");
  }
  await assertExactlyDelivered(db.pool, delivered);
  assert.equal(await queueDepth(aws, aws.dlqUrl), 0, "no message was dead-lettered");
  const attempts = await db.pool.query<{ retried: number }>("SELECT count(*)::int AS retried FROM ingest_objects WHERE attempts > 1");
  assert.ok((attempts.rows[0]?.retried ?? 0) > 0, "some objects were interrupted and taken up again");
});
