import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { enforceRetention } from "../ops/enforce-retention";
import { cloudTrailKey, ingestCloudTrail } from "../search/testdata/ingest-fixtures";
import { LISTED_CALLERS } from "./bucket-callers";
import type { GroupRow } from "./report-query";
import { topPrincipalsPerBucket } from "./s3-data-events";

// The S3 callers-per-bucket board (lib/reports/bucket-callers.ts) against the raw events, computed here with plain
// SQL. Each bucket has more callers a day than a day row lists (LISTED_CALLERS), and which tail callers are busy
// shifts from day to day, so day rows drop callers and merged values carry real margins; two heavy callers per
// bucket are the busiest every hour, so they must come back exact. The scope has partial hours at both edges (raw
// events), whole hours (hour rows), whole quarters of a day (6-hour rows; one of them, with a burst of one-off
// callers at 08:00 on the first day, drops callers too) and two whole UTC days (day rows).

let db: TestDatabase;
const A = "111122223333";
const DAY0 = Date.UTC(2026, 10, 17);
const H = 3_600_000;
const SCOPE = { from: new Date(DAY0 + 3 * H + 17 * 60_000), to: new Date(DAY0 + 3 * 24 * H + 21 * H + 43 * 60_000) };
const BUCKETS = ["logs", "data", "backups"];
const TAIL = LISTED_CALLERS + 15;
/** The hour with a burst of one-off callers, more than a 6-hour row lists: day 0, 08:00. */
const BURST_HOUR = 8;

let serial = 0;
function call(bucket: string, at: number, caller: { arn?: string; invokedBy?: string; accountId: string }, denied: boolean, bytes: number): Record<string, unknown> {
  serial++;
  return {
    eventVersion: "1.09",
    eventID: `s3-${serial}`,
    eventTime: new Date(at).toISOString().replace(".000Z", "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: serial % 3 === 0 ? "PutObject" : "GetObject",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    readOnly: serial % 3 !== 0,
    eventType: "AwsApiCall",
    eventCategory: "Data",
    recipientAccountId: A,
    userIdentity: { type: caller.arn ? "AssumedRole" : caller.invokedBy ? "AWSService" : "AWSAccount", ...caller },
    requestParameters: { bucketName: bucket, key: `k${serial}` },
    additionalEventData: { bytesTransferredOut: bytes },
    ...(denied ? { errorCode: "AccessDenied", errorMessage: "Access Denied" } : {}),
  };
}

/** One hour of S3 calls: two heavy roles per bucket, a service and anonymous callers, and a tail that shifts by day. */
function hourCalls(h: number): Record<string, unknown>[] {
  const day = Math.floor(h / 24);
  const at = (i: number) => DAY0 + h * H + ((i * 37) % 3_600) * 1000;
  const calls: Record<string, unknown>[] = [];
  BUCKETS.forEach((bucket, b) => {
    for (let i = 0; i < 12; i++) calls.push(call(bucket, at(i), { arn: `arn:aws:sts::${A}:assumed-role/etl-${b}/s`, accountId: A }, i % 6 === 0, 1000 + i));
    for (let i = 0; i < 9; i++) calls.push(call(bucket, at(20 + i), { arn: `arn:aws:sts::${A}:assumed-role/app-${b}/s`, accountId: A }, false, 500));
    calls.push(call(bucket, at(40), { invokedBy: "cloudtrail.amazonaws.com", accountId: A }, false, 10));
    calls.push(call(bucket, at(41), { accountId: "anonymous" }, h % 2 === 0, 0));
    for (let i = 0; i < 3; i++) {
      const user = (h * 3 + i + day * 7) % TAIL;
      calls.push(call(bucket, at(50 + i), { arn: `arn:aws:iam::${A}:user/u${user}`, accountId: A }, user % 5 === 0, user * 10));
    }
    if (h === BURST_HOUR) {
      for (let i = 0; i < LISTED_CALLERS + 5; i++) calls.push(call(bucket, at(100 + i), { arn: `arn:aws:iam::${A}:user/burst-${i}`, accountId: A }, false, 1));
    }
  });
  return calls;
}

const IN_SCOPE = `event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND request_bucket_name = ANY($3)`;

/** Raw truth per "bucket caller": calls, bytes out and refusals. */
async function truth(pool = db.pool, scope = SCOPE): Promise<Map<string, { requests: number; bytesOut: number; denied: number }>> {
  const { rows } = await pool.query(
    `SELECT request_bucket_name || ' ' || coalesce(user_identity_arn, user_identity_invoked_by, user_identity_account_id) AS k, count(*)::int AS requests,
            coalesce(sum(trailwatch_numeric(additional_bytes_transferred_out)), 0)::bigint AS bytes, (count(*) FILTER (WHERE error_code = 'AccessDenied'))::int AS denied
       FROM cloudtrail_events WHERE ${IN_SCOPE} GROUP BY 1`,
    [scope.from, scope.to, BUCKETS],
  );
  return new Map(rows.map((r) => [r.k as string, { requests: r.requests as number, bytesOut: Number(r.bytes), denied: r.denied as number }]));
}

type Row = GroupRow<"bucket" | "principal", "requests" | "bytesOut" | "denied">;
const keyOf = (r: Row) => `${r.key.bucket} ${r.key.principal}`;

/** Every row within its margins of the truth; ranked by calls within each bucket. */
function assertBounded(rows: Row[], raw: Awaited<ReturnType<typeof truth>>): void {
  assert.ok(rows.length > 0);
  for (const r of rows) {
    const t = raw.get(keyOf(r));
    assert.ok(t, `${keyOf(r)} is a caller of the raw events`);
    assert.ok(r.margin, "read from the board");
    for (const m of ["requests", "bytesOut", "denied"] as const) {
      assert.ok(r.values[m] <= t[m], `${keyOf(r)} ${m} ${r.values[m]} <= ${t[m]}`);
      assert.ok(t[m] <= r.values[m] + r.margin[m]!, `${keyOf(r)} ${m} ${t[m]} <= ${r.values[m]} + ${r.margin[m]}`);
    }
  }
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.key.bucket === rows[i - 1]!.key.bucket) assert.ok(rows[i - 1]!.values.requests >= rows[i]!.values.requests, "ranked by calls");
  }
}

before(async () => {
  db = await createTestDatabase("s3_bucket_callers");
  for (let day = 0; day < 4; day++) {
    await ingestCloudTrail(db.pool, Array.from({ length: 24 }, (_, h) => hourCalls(day * 24 + h)).flat(), cloudTrailKey(A, "us-east-1"));
  }
});
after(() => db.drop());

describe("S3 callers per bucket", () => {
  it("come from the board within their margins, the callers busy every hour exactly", async () => {
    const plans: string[] = [];
    const rows = await topPrincipalsPerBucket({ ...SCOPE, perBucket: 30 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"s3_bucket_callers"')), "the board is read");
    const raw = await truth();
    assertBounded(rows, raw);
    assert.deepEqual([...new Set(rows.map((r) => r.key.bucket))].sort(), [...BUCKETS].sort());
    for (const [b, bucket] of BUCKETS.entries()) {
      const top = rows.filter((r) => r.key.bucket === bucket).slice(0, 2);
      // The two roles busy every hour: exact, first, with their ARN as the link's field.
      assert.deepEqual(
        top.map((r) => [r.key.principal, r.keyField.principal, r.values, r.margin]),
        [`etl-${b}`, `app-${b}`].map((role) => {
          const principal = `arn:aws:sts::${A}:assumed-role/${role}/s`;
          return [principal, "userIdentity.arn", raw.get(`${bucket} ${principal}`), { requests: 0, bytesOut: 0, denied: 0 }];
        }),
      );
    }
    // The day rows dropped tail callers: some rows carry a margin.
    assert.ok(rows.some((r) => (r.margin!.requests ?? 0) > 0), "a tail caller not listed by every day has a margin");
    // So did the burst's quarter of a day, in each bucket: the margins above include its bound.
    const { rows: dropped } = await db.pool.query("SELECT count(*)::int AS n FROM s3_bucket_callers WHERE grain = '6h' AND bucket = $1 AND rank = 0", [new Date(DAY0 + 6 * H)]);
    assert.equal(dropped[0].n, BUCKETS.length, "the burst's 6-hour row folds the callers it does not list");
  });

  it("read 6-hour rows for the whole quarters of a day outside whole days", async () => {
    const total = async () => (await topPrincipalsPerBucket({ ...SCOPE, perBucket: 60 }, db.pool)).reduce((n, r) => n + r.values.requests, 0);
    const before = await total();
    const nudge = (delta: number) =>
      db.pool.query(
        `UPDATE s3_bucket_callers SET records = records + $1 WHERE id = (SELECT min(id) FROM s3_bucket_callers WHERE grain = '6h' AND bucket = $2 AND rank = 1)`,
        [delta, new Date(DAY0 + 6 * H)],
      );
    await nudge(5);
    assert.equal(await total(), before + 5, "the first day's 06:00 quarter is read from its 6-hour row");
    await nudge(-5);
  });

  it("name the field each caller came from, for its links", async () => {
    const rows = await topPrincipalsPerBucket({ ...SCOPE, perBucket: 40 }, db.pool);
    const fields = new Map(rows.map((r) => [r.key.principal, r.keyField.principal]));
    assert.equal(fields.get("cloudtrail.amazonaws.com"), "userIdentity.invokedBy");
    assert.equal(fields.get("anonymous"), "userIdentity.accountId");
    const anonymous = rows.find((r) => r.key.principal === "anonymous")!;
    assert.match(anonymous.hrefs.requests!, /userIdentity\.accountId/);
  });

  it("are exact with an account filter, which reads the raw events", async () => {
    const rows = await topPrincipalsPerBucket({ ...SCOPE, account: A, perBucket: 3 }, db.pool);
    const raw = await truth();
    assert.equal(rows.length, 9);
    for (const r of rows) {
      assert.equal(r.margin, undefined);
      assert.deepEqual(r.values, raw.get(keyOf(r)));
    }
  });

  it("follow late events into hours and days already built, and retention", async () => {
    await topPrincipalsPerBucket(SCOPE, db.pool); // built
    const late = Array.from({ length: 2000 }, (_, i) => call("logs", DAY0 + 24 * H + 7 * H + i * 1000, { arn: `arn:aws:iam::${A}:user/late`, accountId: A }, false, 1));
    await ingestCloudTrail(db.pool, late, cloudTrailKey(A, "us-east-1"));
    const rows = await topPrincipalsPerBucket({ ...SCOPE, perBucket: 1 }, db.pool);
    assert.deepEqual(
      rows.filter((r) => r.key.bucket === "logs").map((r) => [r.key.principal, r.values.requests]),
      [[`arn:aws:iam::${A}:user/late`, 2000]],
    );
    // Retention as of day 3 05:30 keeps 2 days: day 1 05:30 onwards.
    await enforceRetention(db.pool, { cloudtrail: 2, vpcflow: 2 }, new Date(DAY0 + 3 * 24 * H + 5.5 * H));
    assertBounded(await topPrincipalsPerBucket({ ...SCOPE, perBucket: 6 }, db.pool), await truth());
    const { rows: stale } = await db.pool.query("SELECT count(*)::int AS n FROM s3_bucket_callers WHERE (grain = 'hour' AND bucket < $1) OR (grain IN ('6h', 'day') AND bucket < $2)", [
      new Date(DAY0 + 24 * H + 5 * H),
      new Date(DAY0 + 24 * H),
    ]);
    assert.equal(stale[0].n, 0, "no board rows remain for the hours, quarters and days retention emptied");
  });
});
