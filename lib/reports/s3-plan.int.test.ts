import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { largestTransfers, topPrincipalsPerBucket } from "./s3-data-events";

// The physical design behind the S3 report's largest transfers (prisma/migrations/20261206150000_s3_largest_transfers_index):
// the panel reads the first entries of cloudtrail_events_bytes_out_idx inside its range instead of sorting every
// S3 data event; and behind its callers per bucket (20261206190100_s3_bucket_callers_index): an index-only scan. Speed is measured by bench/report-latency.bench.ts; this checks the plan names the index, with
// 20,000 analysed rows so the planner chooses as on a real table, and that the rows are the largest.

let db: TestDatabase;
const FROM = new Date("2026-11-01T00:00:00Z");
const TO = new Date("2026-12-01T00:00:00Z");

before(async () => {
  db = await createTestDatabase("s3_plan");
  // GetObject calls with bytes out (some as text, some not numbers), PutObject calls without them, other calls.
  await db.pool.query(
    `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, user_identity_arn, event_source, event_name, raw)
     SELECT '111122223333', 'e' || i, $1::timestamptz + make_interval(secs => i * 120), 'arn:aws:iam::111122223333:user/u' || (i % 13),
            CASE WHEN i % 4 = 3 THEN 'kms.amazonaws.com' ELSE 's3.amazonaws.com' END,
            CASE WHEN i % 4 = 3 THEN 'Decrypt' WHEN i % 4 = 2 THEN 'PutObject' ELSE 'GetObject' END,
            CASE WHEN i % 4 IN (0, 1) THEN jsonb_build_object('requestParameters', jsonb_build_object('bucketName', 'b' || (i % 7), 'key', 'k' || i),
                                                              'additionalEventData', jsonb_build_object('bytesTransferredOut',
                                                                CASE WHEN i % 40 = 0 THEN to_jsonb('n/a'::text) WHEN i % 8 = 1 THEN to_jsonb((i * 7919 % 100003)::text) ELSE to_jsonb(i * 7919 % 100003) END))
                 ELSE '{}'::jsonb END
       FROM generate_series(1, 20000) i`,
    [FROM],
  );
  // As autovacuum leaves an insert-only table: analysed, its pages marked all-visible (index-only scans need that).
  await db.pool.query("VACUUM ANALYZE cloudtrail_events");
  // The busiest buckets come from the `buckets` rollup: its hours are marked as ingest marks them.
  await db.pool.query("INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events");
});
after(() => db.drop());

describe("largest S3 transfers", () => {
  // Over the month the index is the plan; over one day (720 of the rows) the planner may as well sort that day's rows.
  for (const [label, from, to, indexed] of [
    ["over the whole month", FROM, TO, true],
    ["over one day", new Date("2026-11-20T00:00:00Z"), new Date("2026-11-21T00:00:00Z"), false],
  ] as const) {
    it(`are the largest ${label}${indexed ? ", read from the bytes-out index in order" : ""}`, async () => {
      const plans: string[] = [];
      const rows = await largestTransfers({ from, to, limit: 15 }, explaining(db.pool, plans));
      assert.equal(plans.length, 1);
      if (indexed) {
        assert.match(plans[0]!, /cloudtrail_events_bytes_out_idx/);
        assert.doesNotMatch(plans[0]!, /"Node Type":"Sort"/, "no sort of the range's rows (an incremental sort of ties is fine)");
      }
      const raw = await db.pool.query(
        `SELECT event_id, (raw #>> '{additionalEventData,bytesTransferredOut}')::numeric AS bytes FROM cloudtrail_events
          WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND raw #>> '{additionalEventData,bytesTransferredOut}' ~ '^[0-9]+$'
          ORDER BY 2 DESC, event_time DESC LIMIT 15`,
        [from, to],
      );
      assert.equal(raw.rows.length, 15);
      assert.deepEqual(rows.map((r) => [r.eventId, r.bytes]), raw.rows.map((r) => [r.event_id, Number(r.bytes)]));
    });
  }
});

describe("callers per bucket", () => {
  // Without a filter they come from the callers-per-bucket board (bucket-callers.int.test.ts); filtered by account
  // or region, and at a range's edges, from the events, through this index.
  it("are read from the bucket-callers index alone when filtered by account, with the raw rows' numbers", async () => {
    const plans: string[] = [];
    const rows = await topPrincipalsPerBucket({ from: FROM, to: TO, account: "111122223333", buckets: 3, perBucket: 4 }, explaining(db.pool, plans));
    // The first query ranks the buckets (from the `buckets` rollup); the second groups their callers.
    const callers = plans.find((p) => p.includes("cloudtrail_events_bucket_callers_idx"));
    assert.ok(callers, "the callers' query reads the index");
    assert.match(callers, /"Node Type":"Index Only Scan"/);
    assert.doesNotMatch(callers, /"Node Type":"(Seq Scan|Bitmap Heap Scan|Index Scan)"/, "and nothing else");
    const raw = await db.pool.query(
      `SELECT request_bucket_name AS bucket, user_identity_arn AS caller, count(*)::int AS n,
              row_number() OVER (PARTITION BY request_bucket_name ORDER BY count(*) DESC, user_identity_arn COLLATE "C") AS rank
         FROM cloudtrail_events
        WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND event_name = 'GetObject'
          AND request_bucket_name IN (SELECT request_bucket_name FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_name = 'GetObject'
                                       GROUP BY 1 ORDER BY count(*) DESC, request_bucket_name COLLATE "C" LIMIT 3)
        GROUP BY 1, 2`,
      [FROM, TO],
    );
    const expected = raw.rows.filter((r) => Number(r.rank) <= 4);
    assert.equal(expected.length, 12);
    assert.deepEqual(new Map(rows.map((r) => [`${r.key.bucket} ${r.key.principal}`, r.values.requests])), new Map(expected.map((r) => [`${r.bucket} ${r.caller}`, r.n])));
  });
});
