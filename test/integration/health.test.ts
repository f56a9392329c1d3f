import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { healthReport } from "../../lib/reports/health";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cloudTrailObject, doneCount, flowObject, queueDepth, startWorkerProcess, waitFor } from "../support/fault-harness";
import { startTestAws, type TestAws } from "../support/local-aws";

// The health report over what the real worker process writes: its heartbeat with the queue and
// DLQ depths it samples, ingest per hour, last success and error, freshness per source.

let db: TestDatabase;
let aws: TestAws;
before(async () => {
  db = await createTestDatabase("health");
  aws = await startTestAws({ maxReceiveCount: 1 });
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

const QUIET = 60 * 60_000;

test("heartbeat, queue and DLQ depth, per-hour counts, last success and error, and freshness going quiet", async () => {
  const hour = new Date(Date.UTC(2026, 10, 22, 5));
  const ct = cloudTrailObject({ account: "101010101010", region: "ap-southeast-2", hour, records: 40, tag: "health-ct" });
  const flow = flowObject({ account: "101010101010", region: "ap-southeast-2", hour, lines: 60, tag: "health-flow" });
  for (const o of [ct, flow]) await aws.putAndNotify(o.key, o.body);
  await aws.send("not json, for the DLQ");

  const worker = startWorkerProcess(db.url, aws, { TRAILWATCH_HEARTBEAT_SECONDS: "1" });
  let running;
  try {
    await waitFor("both objects stored", async () => (await doneCount(db.pool, [ct.key, flow.key])) === 2, 60_000);
    await waitFor("the poison message in the DLQ", async () => (await queueDepth(aws, aws.dlqUrl)) === 1, 30_000);
    await waitFor("a heartbeat that saw the DLQ", async () => (await healthReport(db.pool, { quietAfterMs: QUIET })).queue?.dlqDepth === 1, 20_000);
    running = await healthReport(db.pool, { quietAfterMs: QUIET });
  } finally {
    assert.equal(await worker.stop(), 0);
  }
  assert.equal(running.workers.length, 1);
  assert.equal(running.workers[0]?.state, "running");
  assert.equal(running.workers[0]?.messagesDeleted, 2);
  assert.match(running.workers[0]?.lastError ?? "", /left for retry: message body is not JSON/);
  assert.deepEqual({ backlog: running.queue?.backlog, dlqDepth: running.queue?.dlqDepth }, { backlog: 0, dlqDepth: 1 });
  assert.deepEqual(running.problems, ["1 message(s) in the dead-letter queue"]);
  assert.equal(running.status, "attention");
  assert.equal(running.perHour.length, 24);
  // Summed over the hours: a run across an hour boundary stores the objects in the last hour but one.
  const stored = running.perHour.reduce((sum, h) => ({ objects: sum.objects + h.objects, records: sum.records + h.records }), { objects: 0, records: 0 });
  assert.deepEqual(stored, { objects: 2, records: 100 });
  assert.equal(running.last.lastSuccess?.bucket, aws.bucket);
  assert.deepEqual(
    running.freshness.map((f) => [f.accountId, f.region, f.source, f.state, f.objects, f.records, f.lastDataAt?.toISOString()]).sort(),
    [["101010101010", "ap-southeast-2", "cloudtrail", "OK", 1, 40, hour.toISOString()], ["101010101010", "ap-southeast-2", "vpcflow", "OK", 1, 60, hour.toISOString()]],
  );

  const stopped = await healthReport(db.pool, { quietAfterMs: QUIET });
  assert.equal(stopped.workers[0]?.state, "stopped", "a graceful stop is recorded");
  assert.ok(stopped.problems.includes("no ingest worker is running (no heartbeat in the last 30 s)"));

  const later = await healthReport(db.pool, { quietAfterMs: QUIET, now: new Date(Date.now() + 2 * QUIET) });
  assert.deepEqual(later.freshness.map((f) => f.state), ["INSUFFICIENT_DATA", "INSUFFICIENT_DATA"], "sources that reported and went quiet");
  assert.ok(later.problems.includes("2 source(s) quiet for over 60 min"));
});
