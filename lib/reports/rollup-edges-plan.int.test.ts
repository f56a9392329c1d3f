import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { errorsOverTime, eventsByAccountRegion, topEventNames, topPrincipals, topSourceIps } from "./overview";
import { topBuckets } from "./s3-data-events";

// The physical design behind a rollup-backed panel's raw edges (prisma/migrations/20261206210000_time_index_covering):
// the partial hours at a range's edges are read from cloudtrail_events_time_keyset_idx alone, which includes every
// column the CloudTrail rollups group and sum. Top principals, source addresses and buckets read leader boards, whose
// edges are the same index ranges (lib/reports/grains.ts rawEdgeRowsSql). Speed is measured by
// bench/report-latency.bench.ts; this checks the plans, with 20,000 analysed rows so the planner chooses as on a real
// table, and the numbers against plain SQL.

let db: TestDatabase;
const START = new Date("2026-11-01T00:00:00Z");
// Partial hours at both edges (03:17 and 21:43) around whole hours, days and a whole week.
const RANGE = { from: new Date("2026-11-03T03:17:00Z"), to: new Date("2026-11-20T21:43:00Z") };

before(async () => {
  db = await createTestDatabase("rollup_edges_plan");
  await db.pool.query(
    `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, aws_region, user_identity_arn, source_ip_address, event_source, event_name, read_only, error_code, raw)
     SELECT CASE WHEN i % 3 = 0 THEN '444455556666' ELSE '111122223333' END, 'e' || i, $1::timestamptz + make_interval(secs => i * 120),
            CASE WHEN i % 4 = 0 THEN 'eu-west-1' ELSE 'us-east-1' END, 'arn:aws:iam::111122223333:user/u' || (i % 13), '198.51.100.' || (i % 17),
            CASE WHEN i % 4 = 3 THEN 'kms.amazonaws.com' ELSE 's3.amazonaws.com' END,
            CASE WHEN i % 4 = 3 THEN 'Decrypt' WHEN i % 4 = 2 THEN 'PutObject' ELSE 'GetObject' END,
            i % 4 <> 2, CASE WHEN i % 9 = 0 THEN 'AccessDenied' END,
            CASE WHEN i % 4 IN (0, 1) THEN jsonb_build_object('requestParameters', jsonb_build_object('bucketName', 'b' || (i % 7), 'key', 'k' || i),
                                                              'additionalEventData', jsonb_build_object('bytesTransferredOut', i % 1000))
                 ELSE '{}'::jsonb END
       FROM generate_series(1, 20000) i`,
    [START],
  );
  // As autovacuum leaves an insert-only table: analysed, its pages marked all-visible (index-only scans need that).
  await db.pool.query("VACUUM ANALYZE cloudtrail_events");
  await db.pool.query("INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events");
});
after(() => db.drop());

/** The plan nodes reading `cloudtrail_events` in a JSON plan: node type and index. */
function eventReads(plan: string): string[] {
  const reads: string[] = [];
  const visit = (node: Record<string, unknown>) => {
    if (node["Relation Name"] === "cloudtrail_events") reads.push(`${node["Node Type"]} ${node["Index Name"] ?? ""}`.trim());
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
  };
  for (const root of JSON.parse(plan) as { Plan: Record<string, unknown> }[]) visit(root.Plan);
  return reads;
}

describe("a rollup-backed panel's raw edges", () => {
  const panels = {
    topEventNames: () => topEventNames({ ...RANGE, limit: 10 }, explaining(db.pool, plans)),
    topPrincipals: () => topPrincipals({ ...RANGE, limit: 10 }, explaining(db.pool, plans)),
    topSourceIps: () => topSourceIps({ ...RANGE, limit: 10 }, explaining(db.pool, plans)),
    eventsByAccountRegion: () => eventsByAccountRegion(RANGE, explaining(db.pool, plans)),
    errorsOverTime: () => errorsOverTime(RANGE, explaining(db.pool, plans)),
    topBuckets: () => topBuckets({ ...RANGE, limit: 10 }, explaining(db.pool, plans)),
  };
  const plans: string[] = [];

  for (const [name, panel] of Object.entries(panels)) {
    it(`${name}: are index-only ranges of the time index`, async () => {
      plans.length = 0;
      await panel();
      const reads = plans.flatMap(eventReads);
      assert.ok(reads.length >= 2, "raw events are read at both edges");
      assert.deepEqual(reads, Array(reads.length).fill("Index Only Scan cloudtrail_events_time_keyset_idx"));
    });
  }

  it("give the raw rows' numbers, the bytes summed from the index too", async () => {
    const buckets = await topBuckets({ ...RANGE, limit: 10 }, db.pool);
    const { rows } = await db.pool.query(
      `SELECT request_bucket_name AS bucket, count(*)::int AS requests, sum(additional_bytes_transferred_out::numeric)::float8 AS bytes
         FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND request_bucket_name IS NOT NULL GROUP BY 1`,
      [RANGE.from, RANGE.to],
    );
    assert.equal(rows.length, 7);
    assert.deepEqual(
      new Map(buckets.map((b) => [b.key.bucket, [b.values.requests, b.values.bytesOut]])),
      new Map(rows.map((r) => [r.bucket, [r.requests, r.bytes]])),
    );
  });
});
