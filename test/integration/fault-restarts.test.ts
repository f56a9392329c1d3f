import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import pg from "pg";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { createTestDatabase } from "../support/database";
import {
  assertExactlyDelivered, cloudTrailObject, doneCount, flowObject, freePort, queueDepth, sleep, startFauxqsProcess, startWorkerProcess, waitFor, type DeliveredObject,
} from "../support/fault-harness";
import { startTestAws } from "../support/local-aws";

// Faults 2 and 3: the database and the SQS/S3 server go away and come back while the real
// worker process is loading objects.

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(e));
});

function objects(tag: string, count: number, lines: number): DeliveredObject[] {
  const out: DeliveredObject[] = [];
  for (let i = 0; i < count; i++) {
    const hour = new Date(Date.UTC(2026, 10, 22, i));
    out.push(flowObject({ account: "121212121212", region: "us-west-2", hour, lines, tag: `${tag}-flow-${i}` }));
    out.push(cloudTrailObject({ account: "121212121212", region: "us-west-2", hour, records: 100, tag: `${tag}-ct-${i}` }));
  }
  return out;
}

test("Postgres restarted (twice) while the worker is loading a batch: nothing lost, nothing doubled", async () => {
  // A throwaway embedded PostgreSQL of our own: the shared server on 5432 serves other people's tests.
  const dir = mkdtempSync(path.join(os.tmpdir(), "trailwatch-fault-pg-"));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must reach it
  const port = await freePort();
  let server: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir: dir, port });
  cleanups.push(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await migrate(server.url);
  const pool = new pg.Pool({ connectionString: server.url, max: 3 });
  pool.on("error", () => undefined); // idle connections die with the server; the pool replaces them
  cleanups.push(() => pool.end());
  const aws = await startTestAws({ maxReceiveCount: 30 });
  cleanups.push(() => aws.stop());

  const delivered = objects("pgrestart", 6, 20_000);
  for (const o of delivered) await aws.putAndNotify(o.key, o.body);
  const keys = delivered.map((o) => o.key);
  const worker = startWorkerProcess(server.url, aws, { TRAILWATCH_WORKER_CONCURRENCY: "2" });
  try {
    for (let restart = 0; restart < 2; restart++) {
      await waitFor("the worker to be loading an object", async () => {
        const r = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ingest_objects WHERE status = 'processing' AND started_at > clock_timestamp() - interval '2 seconds'");
        return (r.rows[0]?.n ?? 0) > 0;
      }, 60_000);
      await sleep(200);
      await server.stop();
      await sleep(1500);
      server = await startEmbeddedDatabase({ dataDir: dir, port });
    }
    await waitFor("every object to be done", async () => (await doneCount(pool, keys)) === keys.length, 120_000);
    await waitFor("the queue to be empty", async () => (await queueDepth(aws, aws.queueUrl)) === 0, 30_000);
  } finally {
    assert.equal(await worker.stop(), 0, "the worker survived the outages and stops gracefully");
  }
  await assertExactlyDelivered(pool, delivered);
  assert.equal(await queueDepth(aws, aws.dlqUrl), 0);
  assert.ok(worker.logLines().some((l) => l.includes('"level":50') || l.includes('"level":40')), "the outage is visible in the worker's log");
});

test("the SQS/S3 server restarted while messages are in flight: nothing lost, nothing doubled", async () => {
  const db = await createTestDatabase("fault_sqs_restart");
  cleanups.push(() => db.drop());
  const fx = await startFauxqsProcess({ maxReceiveCount: 10 });
  cleanups.push(() => fx.aws.stop());
  const aws = fx.aws;

  const delivered = objects("sqsrestart", 8, 8_000);
  const keys = delivered.map((o) => o.key);
  const putAll = async () => {
    for (const o of delivered) await aws.putAndNotify(o.key, o.body);
  };
  await putAll();
  const worker = startWorkerProcess(db.url, aws, { TRAILWATCH_WORKER_CONCURRENCY: "3" });
  try {
    await waitFor("some objects stored and others in flight", async () => {
      const r = await db.pool.query<{ done: number; processing: number }>(
        "SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'processing')::int AS processing FROM ingest_objects",
      );
      return (r.rows[0]?.done ?? 0) >= 2 && (r.rows[0]?.processing ?? 0) >= 1;
    }, 60_000);
    await fx.kill(); // in-flight receipt handles die with it: their DeleteMessage and keepalive calls fail
    await sleep(2500);
    await fx.restart();
    // fauxqs keeps no state, so the bucket and queue come back empty. Putting every object again
    // (same bytes, same ETag) and announcing each once more models S3 as it is — objects durable —
    // with SQS's at-least-once delivery at its worst: every notification redelivered, including
    // those whose objects were already stored and those whose delete was lost in the outage.
    await putAll();
    await waitFor("every object to be done", async () => (await doneCount(db.pool, keys)) === keys.length, 120_000);
    await waitFor("the queue to be empty", async () => (await queueDepth(aws, aws.queueUrl)) === 0, 30_000);
  } finally {
    assert.equal(await worker.stop(), 0, "the worker survived the outage and stops gracefully");
  }
  await assertExactlyDelivered(db.pool, delivered);
  assert.ok(worker.logLines().some((l) => l.includes("ReceiveMessage failed")), "the outage is visible in the worker's log");
});
