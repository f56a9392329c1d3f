import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { cloudTrailEvent, iamUser, storeCloudTrail } from "../../test/support/ingest-fixture";
import { linkedCount } from "../../test/support/search-link-oracle";
import { S3_DATA_EVENT_NAMES } from "./change-catalogue";
import { LISTED, refreshCloudTrailLeaders } from "./leaders";
import { topPrincipals, topSourceIps, type TopRow } from "./overview";
import { refreshRollups } from "./rollups";
import { topBuckets, type BucketRow } from "./s3-data-events";

// The CloudTrail leader boards (lib/reports/leaders.ts, `principals`, `sources` and `buckets`) against the raw events,
// counted here with plain SQL. Every hour has three heavy principals (addresses, S3 buckets), busiest in every bucket,
// which must come back exact; a few busy hours, one in each grain of the scope, hold more one-off keys than a bucket
// lists (LISTED), so buckets drop keys and merged counts carry real bounds. The scope starts on a Sunday and ends on the second
// Tuesday after it, off any 5 minutes at both ends: raw edges, 5-minute, hour, 6-hour, day and week rows all count.

let db: TestDatabase;
const HOUR = 3_600_000;
const SUNDAY = Date.UTC(2026, 10, 15); // 2026-11-15, the day before a UTC week (Monday 16 to Monday 23)
const DAYS = 10;
const SCOPE = { from: new Date(SUNDAY + 3 * HOUR + 17 * 60_000), to: new Date(SUNDAY + 9 * 24 * HOUR + 21 * HOUR + 43 * 60_000) };
const HEAVY = ["heavy-a", "heavy-b", "heavy-c"];
// Hours (from SUNDAY) holding LISTED + 60 one-off keys: the scope's first raw edge and 5 minutes (03), an hour (05),
// a 6-hour row (13), the week (Wednesday 10:00), the whole day after it (Monday 23, 08:00), an hour (Tuesday 24,
// 19:00) and the last 5 minutes and raw edge (Tuesday 24, 21:00), each shifting which keys it holds.
const BUSY = [3, 5, 13, 3 * 24 + 10, 8 * 24 + 8, 9 * 24 + 19, 9 * 24 + 21];
const TAIL = LISTED + 60;
const S3 = "s3.amazonaws.com";
const HEAVY_BUCKETS = HEAVY.map((name) => `${name}-bucket`);
// The heavy buckets' calls: reads, writes, deletes and a call the board counts in none of those.
const OBJECT_CALLS = ["GetObject", "PutObject", "DeleteObject", "HeadObject"];

function hourEvents(h: number): Record<string, unknown>[] {
  const at = (i: number) => new Date(SUNDAY + h * HOUR + ((i * 7) % 3_600) * 1000).toISOString();
  const events: Record<string, unknown>[] = [];
  HEAVY.forEach((name, k) => {
    for (let i = 0; i < 6 - k; i++) events.push(cloudTrailEvent({ eventTime: at(i * 11 + k), eventName: "DescribeInstances", userIdentity: iamUser(name), sourceIPAddress: `192.0.2.${k + 1}` }));
    for (let i = 0; i < 5 - k; i++) {
      events.push(
        cloudTrailEvent({
          eventTime: at(400 + i * 13 + k),
          eventSource: S3,
          eventName: OBJECT_CALLS[(h + i) % OBJECT_CALLS.length],
          userIdentity: iamUser(name),
          sourceIPAddress: `192.0.2.${k + 1}`,
          requestParameters: { bucketName: HEAVY_BUCKETS[k], key: `object-${i}` },
          additionalEventData: { bytesTransferredOut: 100 * (i + 1) + h },
          ...(i === 1 && h % 5 === k ? { errorCode: "AccessDenied" } : {}),
        }),
      );
    }
  });
  // Light keys: a few a day, 40 of them taking turns.
  for (let i = 0; i < 2; i++) {
    const light = (h * 2 + i) % 40;
    events.push(cloudTrailEvent({ eventTime: at(100 + i), eventName: "GetObject", userIdentity: iamUser(`light-${light}`), sourceIPAddress: `198.51.100.${light}` }));
  }
  // An AWS service calling: no ARN, a service name for its address.
  events.push(cloudTrailEvent({ eventTime: at(200), eventName: "Decrypt", userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" }, sourceIPAddress: "cloudtrail.amazonaws.com" }));
  if (BUSY.includes(h)) {
    for (let i = 0; i < TAIL; i++) {
      const tail = (i + h * 37) % 400;
      events.push(
        cloudTrailEvent({
          eventTime: at(300 + i),
          eventSource: S3,
          eventName: "GetObject",
          userIdentity: iamUser(`tail-${tail}`),
          sourceIPAddress: `203.0.113.${tail % 250}`,
          requestParameters: { bucketName: `tail-${tail}`, key: "object" },
        }),
      );
    }
  }
  return events;
}

/** The raw truth: count per key of the events in the scope having it. */
async function truth(column: string): Promise<Map<string, number>> {
  const { rows } = await db.pool.query(
    `SELECT ${column} AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND ${column} IS NOT NULL GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  return new Map(rows.map((r: { k: string; n: number }) => [r.k, r.n]));
}

/** The raw truth per S3 bucket over `range`: object calls, reads, writes, deletes, failed calls and bytes out. */
async function bucketTruth(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT request_bucket_name AS k, count(*)::int AS requests, (count(*) FILTER (WHERE event_name = 'GetObject'))::int AS gets,
            (count(*) FILTER (WHERE event_name = 'PutObject'))::int AS puts, (count(*) FILTER (WHERE event_name = 'DeleteObject'))::int AS deletes,
            (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS errors, coalesce(sum(additional_bytes_transferred_out::numeric), 0)::float8 AS bytes
       FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND event_source = $3 AND event_name = ANY($4) AND request_bucket_name IS NOT NULL
      GROUP BY 1`,
    [range.from, range.to, S3, [...S3_DATA_EVENT_NAMES]],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.requests!, r.gets!, r.puts!, r.deletes!, r.errors!, r.bytes!]]));
}

const BUCKET_MEASURES = ["requests", "gets", "puts", "deletes", "errors", "bytesOut"] as const;
const bucketValues = (r: BucketRow) => BUCKET_MEASURES.map((m) => r.values[m]);

/** Every row within its bound of the truth ([count, count + margin]), ranked by count, the heavy keys first and exact. */
function assertBounded(label: string, rows: TopRow[], raw: Map<string, number>, heavy: readonly string[]): void {
  assert.equal(rows.length, 100, `${label}: as many rows as asked`);
  for (const r of rows) {
    const t = raw.get(r.value);
    assert.ok(t !== undefined, `${label}: ${r.value} is a key of the raw events`);
    assert.ok(r.margin !== undefined, `${label}: read from the board`);
    assert.ok(r.count <= t && t <= r.count + r.margin, `${label}: ${r.value} ${t} in [${r.count}, ${r.count} + ${r.margin}]`);
  }
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.count >= rows[i]!.count, `${label}: ranked by count`);
  assert.deepEqual(rows.slice(0, 3).map((r) => [r.value, r.count, r.margin]), heavy.map((k) => [k, raw.get(k), 0]), `${label}: the heavy keys lead, exact`);
  assert.ok(rows.some((r) => r.margin! > 0), `${label}: some counts are bounds (the busy hours drop keys)`);
}

before(async () => {
  db = await createTestDatabase("cloudtrail_leaders");
  for (let day = 0; day < DAYS; day++) await storeCloudTrail(db.pool, Array.from({ length: 24 }, (_, h) => hourEvents(day * 24 + h)).flat());
});
after(() => db.drop());

describe("CloudTrail leader boards", () => {
  it("rank principals within their bounds, the principals busiest in every bucket exactly", async () => {
    const raw = await truth("user_identity_arn");
    const plans: string[] = [];
    const rows = await topPrincipals({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"cloudtrail_rollup')), "not from the rollup");
    assertBounded("principals", rows, raw, HEAVY.map((n) => String(iamUser(n).arn)));
    // The events of a key whose count is exact, and its link lists them.
    const { rows: events } = await db.pool.query("SELECT raw FROM cloudtrail_events");
    for (const r of rows.slice(0, 3)) assert.equal(linkedCount(r.href, events.map((e: { raw: Record<string, unknown> }) => e.raw)), r.count);
  });

  it("rank source addresses, AWS service names included, within their bounds", async () => {
    const raw = await truth("source_ip_address");
    const rows = await topSourceIps({ ...SCOPE, limit: 100 }, db.pool);
    assertBounded("sources", rows, raw, ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    assert.ok(rows.some((r) => r.value === "cloudtrail.amazonaws.com"), "a service name");
  });

  it("are exact where no bucket drops a key, and read the rollups with an account filter", async () => {
    // Friday 2026-11-20, 00:30 to 00:30: no busy hour, so every bucket lists every key.
    const quiet = { from: new Date(SUNDAY + 5 * 24 * HOUR + 30 * 60_000), to: new Date(SUNDAY + 6 * 24 * HOUR + 30 * 60_000) };
    const rows = await topPrincipals({ ...quiet, limit: 100 }, db.pool);
    const { rows: expected } = await db.pool.query(
      `SELECT user_identity_arn AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_arn IS NOT NULL
        GROUP BY 1 ORDER BY 2 DESC, user_identity_arn COLLATE "C"`,
      [quiet.from, quiet.to],
    );
    assert.deepEqual(rows.map((r) => [r.value, r.count, r.margin]), expected.map((e: { k: string; n: number }) => [e.k, e.n, 0]));
    const plans: string[] = [];
    const filtered = await topPrincipals({ ...SCOPE, account: "111122223333", limit: 5 }, explaining(db.pool, plans));
    assert.ok(!plans.some((p) => p.includes("cloudtrail_leaders")), "an account filter reads the rollup");
    assert.ok(filtered.every((r) => r.margin === undefined), "and its counts are exact");
    assert.deepEqual(filtered.slice(0, 3).map((r) => r.value), HEAVY.map((n) => String(iamUser(n).arn)));
  });

  it("rank S3 buckets with their calls, failures and bytes within their bounds, the busiest buckets exactly", async () => {
    const raw = await bucketTruth(SCOPE);
    const plans: string[] = [];
    const rows = await topBuckets({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"cloudtrail_rollup')), "not from the rollup");
    assert.equal(rows.length, 100);
    for (const r of rows) {
      const truth = raw.get(r.key.bucket ?? "");
      assert.ok(truth, `${r.key.bucket} is a bucket of the raw events`);
      const margin = r.margin?.requests;
      assert.ok(typeof margin === "number", "calls carry a margin");
      // Reads, writes, deletes and failures are some of the calls: they lack at most what the calls lack.
      BUCKET_MEASURES.slice(0, 5).forEach((m, i) => {
        assert.equal(r.margin?.[m], margin, `${r.key.bucket} ${m}: the calls' margin`);
        assert.ok(r.values[m] <= truth[i]! && truth[i]! <= r.values[m] + margin, `${r.key.bucket} ${m} ${truth[i]} in [${r.values[m]}, +${margin}]`);
      });
      // Bytes are exact where the calls are, and a lower bound of unknown error elsewhere.
      assert.equal(r.margin?.bytesOut, margin === 0 ? 0 : null);
      if (margin === 0) assert.deepEqual(bucketValues(r), truth, `${r.key.bucket}: exact`);
      else assert.ok(r.values.bytesOut <= truth[5]!);
    }
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.values.requests >= rows[i]!.values.requests, "ranked by calls");
    assert.deepEqual(
      rows.slice(0, 3).map((r) => [r.key.bucket, ...bucketValues(r)]),
      HEAVY_BUCKETS.map((b) => [b, ...raw.get(b)!]),
      "the heavy buckets lead, exact",
    );
    assert.ok(raw.get(HEAVY_BUCKETS[0]!)!.every((n) => n > 0), "every measure of a heavy bucket is counted");
    assert.ok(rows.some((r) => r.margin!.requests! > 0), "some counts are bounds (the busy hours drop buckets)");
  });

  it("give the raw numbers per S3 bucket where no bucket of time drops one, and with an account filter", async () => {
    const quiet = { from: new Date(SUNDAY + 5 * 24 * HOUR + 30 * 60_000), to: new Date(SUNDAY + 6 * 24 * HOUR + 30 * 60_000) };
    const rows = await topBuckets({ ...quiet, limit: 100 }, db.pool);
    const raw = await bucketTruth(quiet);
    assert.ok(raw.size >= 3);
    assert.deepEqual(new Map(rows.map((r) => [r.key.bucket, [...bucketValues(r), r.margin?.requests]])), new Map([...raw].map(([k, v]) => [k, [...v, 0]])));
    const plans: string[] = [];
    const filtered = await topBuckets({ ...SCOPE, account: "111122223333", limit: 3 }, explaining(db.pool, plans));
    assert.ok(!plans.some((p) => p.includes("cloudtrail_leaders")), "an account filter reads the raw events");
    const all = await bucketTruth(SCOPE);
    assert.deepEqual(filtered.map((r) => [r.key.bucket, ...bucketValues(r), r.margin]), HEAVY_BUCKETS.map((b) => [b, ...all.get(b)!, undefined]));
  });

  it("build an hour only once the rollups have refreshed it, and follow late events", async () => {
    const late = new Date(SUNDAY + 4 * 24 * HOUR + 10 * HOUR); // Thursday 10:00, inside the week
    await storeCloudTrail(db.pool, Array.from({ length: 9 }, (_, i) => cloudTrailEvent({ eventTime: new Date(late.getTime() + i * 1000).toISOString(), userIdentity: iamUser("late-comer") })));
    // The ingest marked the hour for the rollups and the boards; the boards alone leave it for later.
    assert.equal(await refreshCloudTrailLeaders(db.pool), 0, "no hour the rollups have not refreshed");
    const { rows: [marked] } = await db.pool.query("SELECT count(*)::int AS n FROM cloudtrail_leader_dirty_hours");
    assert.ok(marked.n > 0, "its mark stays");
    await refreshRollups(db.pool);
    const { rows: [left] } = await db.pool.query("SELECT count(*)::int AS n FROM cloudtrail_leader_dirty_hours");
    assert.equal(left.n, 0, "one refresh builds both");
    const rows = await topPrincipals({ ...SCOPE, limit: 100 }, db.pool);
    const row = rows.find((r) => r.value === String(iamUser("late-comer").arn));
    assert.equal(row?.count, 9, "the late events counted, in the week row");
    // A retention delete marks its hours too: the key leaves every bucket.
    await db.pool.query("DELETE FROM cloudtrail_events WHERE user_identity_arn = $1", [String(iamUser("late-comer").arn)]);
    const after = await topPrincipals({ ...SCOPE, limit: 100 }, db.pool);
    assert.ok(!after.some((r) => r.value === String(iamUser("late-comer").arn)), "deleted events leave the board");
  });
});
