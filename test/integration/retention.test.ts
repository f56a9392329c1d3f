import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../lib/config";
import { ingestObject } from "../../lib/ingest/ingest-object";
import { enforceRetention, retentionPolicy } from "../../lib/ops/enforce-retention";
import { healthReport } from "../../lib/reports/health";
import { Readable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cloudTrailObject, flowObject } from "../support/fault-harness";
import { silentLog } from "../support/samples";

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("retention");
});
after(async () => {
  await db?.drop();
});

test("retention per source deletes only events older than its days, records the run, and shows on the health report", async () => {
  const now = new Date(Date.UTC(2026, 10, 22, 12));
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const objects = [
    cloudTrailObject({ account: "161616161616", region: "us-east-1", hour: daysAgo(100), records: 30, tag: "ret-old-ct" }),
    cloudTrailObject({ account: "161616161616", region: "us-east-1", hour: daysAgo(10), records: 20, tag: "ret-new-ct" }),
    flowObject({ account: "161616161616", region: "us-east-1", hour: daysAgo(40), lines: 7000, tag: "ret-old-flow" }),
    flowObject({ account: "161616161616", region: "us-east-1", hour: daysAgo(5), lines: 40, tag: "ret-new-flow" }),
  ];
  for (const o of objects) {
    await ingestObject({ bucket: "b", key: o.key, etag: o.key, size: o.body.length, body: Readable.from([o.body]) }, { pool: db.pool, log: silentLog, batchRows: 5000, maxRecordBytes: 1 << 20, messageId: null });
  }
  const policy = retentionPolicy(loadConfig({ TRAILWATCH_RETENTION_DAYS: "365", TRAILWATCH_RETENTION_DAYS_VPCFLOW: "30", TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL: "" }));
  assert.deepEqual(policy, { cloudtrail: 365, vpcflow: 30 });
  assert.deepEqual(retentionPolicy(loadConfig({})), { cloudtrail: 0, vpcflow: 0 }, "kept forever by default");

  const first = await enforceRetention(db.pool, { cloudtrail: 30, vpcflow: 30 }, now);
  assert.deepEqual(first.map((r) => [r.source, r.rowsDeleted]), [["cloudtrail", 30], ["vpcflow", 7000]], "batches of 5000 until none is left");
  const left = await db.pool.query<{ ct: number; flows: number }>("SELECT (SELECT count(*)::int FROM cloudtrail_events) AS ct, (SELECT count(*)::int FROM flow_records) AS flows");
  assert.deepEqual(left.rows[0], { ct: 20, flows: 40 });
  const again = await enforceRetention(db.pool, { cloudtrail: 30, vpcflow: 0 }, now);
  assert.deepEqual(again.map((r) => [r.source, r.rowsDeleted]), [["cloudtrail", 0]], "0 days keeps a source untouched");

  const report = await healthReport(db.pool, { quietAfterMs: 3_600_000, retention: { cloudtrail: 30, vpcflow: 0 } });
  assert.deepEqual(report.retention.map((r) => [r.source, r.days, r.lastRun?.rowsDeleted]), [["cloudtrail", 30, 0], ["vpcflow", 0, 7000]]);
  const ledger = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ingest_objects");
  assert.equal(ledger.rows[0]?.n, 4, "the ledger keeps what was seen");
});
