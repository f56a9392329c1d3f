import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { largestTransfers } from "./s3-data-events";

// The physical design behind the S3 report's largest transfers (prisma/migrations/20261206150000_s3_largest_transfers_index):
// the panel reads the first entries of cloudtrail_events_bytes_out_idx inside its range instead of sorting every
// S3 data event. Speed is measured by bench/report-latency.bench.ts; this checks the plan names the index, with
// 20,000 analysed rows so the planner chooses as on a real table, and that the rows are the largest.

let db: TestDatabase;
const FROM = new Date("2026-11-01T00:00:00Z");
const TO = new Date("2026-12-01T00:00:00Z");

before(async () => {
  db = await createTestDatabase("s3_plan");
  // GetObject calls with bytes out (some as text, some not numbers), PutObject calls without them, other calls.
  await db.pool.query(
    `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, event_source, event_name, raw)
     SELECT '111122223333', 'e' || i, $1::timestamptz + make_interval(secs => i * 120),
            CASE WHEN i % 4 = 3 THEN 'kms.amazonaws.com' ELSE 's3.amazonaws.com' END,
            CASE WHEN i % 4 = 3 THEN 'Decrypt' WHEN i % 4 = 2 THEN 'PutObject' ELSE 'GetObject' END,
            CASE WHEN i % 4 IN (0, 1) THEN jsonb_build_object('requestParameters', jsonb_build_object('bucketName', 'b', 'key', 'k' || i),
                                                              'additionalEventData', jsonb_build_object('bytesTransferredOut',
                                                                CASE WHEN i % 40 = 0 THEN to_jsonb('n/a'::text) WHEN i % 8 = 1 THEN to_jsonb((i * 7919 % 100003)::text) ELSE to_jsonb(i * 7919 % 100003) END))
                 ELSE '{}'::jsonb END
       FROM generate_series(1, 20000) i`,
    [FROM],
  );
  await db.pool.query("ANALYZE cloudtrail_events");
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
