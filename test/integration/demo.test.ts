import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runDemo } from "../../lib/cli/demo";
import { loadConfig } from "../../lib/config";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { silentLog } from "../support/samples";

// The main job's embedded default, minus the web server (the browser tests cover that):
// every demo object goes through S3 + an SQS notification + the worker.
let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("demo");
});
after(async () => {
  await db?.drop();
});

test("trailwatch demo ingests the samples and the generated week through SQS, leaving nothing on the queue", async () => {
  const end = new Date(Date.UTC(2026, 10, 22, 0, 0, 0));
  const stats = await runDemo(loadConfig({ DATABASE_URL: db.url, TRAILWATCH_SQS_WAIT_SECONDS: "1" }), silentLog, { web: false, end });
  assert.equal(stats.retried, 0);
  assert.equal(stats.errors, 0);
  const ledger = await db.pool.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM ingest_objects GROUP BY status ORDER BY status");
  const byStatus = Object.fromEntries(ledger.rows.map((r) => [r.status, r.n]));
  assert.equal(stats.deleted, stats.received, "every message was acknowledged");
  assert.equal(Object.values(byStatus).reduce((a, b) => a + b, 0), stats.received, "one ledger row per announced object");
  assert.equal(byStatus.failed, undefined);
  assert.equal(byStatus.unsupported, 1, "the Parquet sample is recorded as not supported yet");
  const counts = await db.pool.query<{ events: number; flows: number; week: number }>(
    `SELECT (SELECT count(*)::int FROM cloudtrail_events) AS events, (SELECT count(*)::int FROM flow_records) AS flows,
            (SELECT count(*)::int FROM cloudtrail_events WHERE event_time >= $1::timestamptz - interval '7 days' AND event_time < $1) AS week`,
    [end],
  );
  const row = counts.rows[0]!;
  assert.ok(row.week >= 20_000, `a week of events (${row.week})`);
  assert.ok(row.flows >= 50_000, `flow records (${row.flows})`);
  assert.ok(row.events > row.week, "the real sample events are stored too");
});
