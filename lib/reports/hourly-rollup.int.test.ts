import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { enforceRetention } from "../ops/enforce-retention";
import { cloudTrailKey, ingestCloudTrail } from "../search/testdata/ingest-fixtures";
import { eventsByAccountRegion, eventsOverTime, topEventNames, topEventSources } from "./overview";
import { measureCounts } from "./report-query";

// Rollup-backed panels (lib/reports/hourly-rollup.ts) must give exactly the raw-row answer, which this
// test computes independently with plain SQL, after each of the ingest guarantees that change raw rows:
// re-delivered duplicates, late data for an hour already rolled up, and retention deletes.

let db: TestDatabase;
const A = "111122223333";
const B = "444455556666";
const NAMES = ["GetObject", "PutObject", "AssumeRole", "Decrypt", "CreateUser"];
const SOURCES: Record<string, string> = { GetObject: "s3.amazonaws.com", PutObject: "s3.amazonaws.com", AssumeRole: "sts.amazonaws.com", Decrypt: "kms.amazonaws.com", CreateUser: "iam.amazonaws.com" };
const DAY0 = Date.UTC(2026, 10, 18, 0, 0);
// A range with partial hours at both edges: 2026-11-18 03:17 to 2026-11-20 21:43.
const SCOPE = { from: new Date(DAY0 + 3 * 3_600_000 + 17 * 60_000), to: new Date(DAY0 + 2 * 86_400_000 + 21 * 3_600_000 + 43 * 60_000), bucket: "hour" as const };

function event(n: number, minutes: number): Record<string, unknown> {
  const name = NAMES[n % NAMES.length]!;
  const account = n % 3 === 0 ? B : A;
  return {
    eventVersion: "1.09",
    eventID: `ev-${n}`,
    eventTime: new Date(DAY0 + minutes * 60_000).toISOString().replace(".000Z", "Z"),
    eventSource: SOURCES[name],
    eventName: name,
    awsRegion: n % 4 === 0 ? "eu-west-1" : "us-east-1",
    sourceIPAddress: "198.51.100.7",
    readOnly: name === "GetObject" || name === "Decrypt",
    ...(n % 7 === 0 ? { errorCode: "AccessDenied", errorMessage: "denied" } : {}),
    eventType: "AwsApiCall",
    recipientAccountId: account,
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${account}:user/u${n % 5}`, accountId: account, userName: `u${n % 5}` },
  };
}

// 3 days, an event every 13 minutes.
const EVENTS = Array.from({ length: Math.floor((3 * 1440) / 13) }, (_, n) => event(n, n * 13));

async function rawCounts(sql: string): Promise<Map<string, number>> {
  const { rows } = await db.pool.query(sql, [SCOPE.from, SCOPE.to]);
  return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
}

async function assertPanelsEqualRaw(label: string): Promise<void> {
  const names = await topEventNames({ ...SCOPE, limit: 100 }, db.pool);
  const rawNames = await rawCounts(`SELECT event_name AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`);
  assert.deepEqual(new Map(names.map((r) => [r.value, r.count])), rawNames, `${label}: top event names`);

  const sources = await topEventSources({ ...SCOPE, limit: 100 }, db.pool);
  const rawSources = await rawCounts(`SELECT event_source AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`);
  assert.deepEqual(new Map(sources.map((r) => [r.value, r.count])), rawSources, `${label}: top event sources`);

  const accounts = await eventsByAccountRegion(SCOPE, db.pool);
  const rawAccounts = await rawCounts(`SELECT recipient_account_id || '/' || aws_region AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`);
  assert.deepEqual(new Map(accounts.map((r) => [`${r.account}/${r.region}`, r.count])), rawAccounts, `${label}: events by account and region`);

  const series = await eventsOverTime(SCOPE, db.pool);
  const rawWrites = await rawCounts(
    `SELECT to_char(date_trunc('hour', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS k, count(*) AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND read_only IS NOT TRUE GROUP BY 1`,
  );
  const writes = new Map(series.filter((p) => p.write > 0).map((p) => [p.bucketStart.toISOString().slice(0, 13), p.write]));
  assert.deepEqual(writes, rawWrites, `${label}: writes per hour`);

  const counted = await measureCounts(db.pool, {
    source: "cloudtrail",
    scope: { ...SCOPE, account: A },
    measures: { events: { kind: "count" }, errors: { kind: "count", where: { include: { errorCode: "*" } } }, names: { kind: "distinct", field: "eventName" } },
  });
  const raw = await db.pool.query(
    `SELECT count(*) AS events, count(*) FILTER (WHERE error_code IS NOT NULL) AS errors, count(DISTINCT event_name) AS names
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND recipient_account_id = $3`,
    [SCOPE.from, SCOPE.to, A],
  );
  assert.deepEqual(
    { events: counted.events.value, errors: counted.errors.value, names: counted.names.value },
    { events: Number(raw.rows[0].events), errors: Number(raw.rows[0].errors), names: Number(raw.rows[0].names) },
    `${label}: KPI counts of one account`,
  );
}

before(async () => {
  db = await createTestDatabase("hourly_rollup");
  await ingestCloudTrail(db.pool, EVENTS.slice(0, 200), cloudTrailKey(A, "us-east-1"));
  await ingestCloudTrail(db.pool, EVENTS.slice(200), cloudTrailKey(A, "us-east-1"));
});
after(() => db.drop());

describe("hourly rollup", () => {
  it("serves the panels from rollup rows, with the numbers of the raw rows", async () => {
    await assertPanelsEqualRaw("after ingest");
    const { rows } = await db.pool.query("SELECT count(*)::int AS n, count(DISTINCT hour)::int AS hours FROM cloudtrail_hourly");
    assert.ok(rows[0].hours >= 60, `the rollup holds the loaded hours (${rows[0].hours})`);
    const dirty = await db.pool.query("SELECT count(*)::int AS n FROM rollup_dirty_hours");
    assert.equal(dirty.rows[0].n, 0, "a read refreshes every dirty hour first");
    // The panel really reads the rollup: a change to a rollup row (never done outside this test) shows up.
    const total = async () => (await topEventNames({ ...SCOPE, limit: 100 }, db.pool)).reduce((sum, r) => sum + r.count, 0);
    const before = await total();
    const hour = "2026-11-19 05:00";
    await db.pool.query(`UPDATE cloudtrail_hourly SET events = events + 1000 WHERE hour = $1 AND ctid = (SELECT min(ctid) FROM cloudtrail_hourly WHERE hour = $1)`, [hour]);
    assert.equal(await total(), before + 1000);
    await db.pool.query(`UPDATE cloudtrail_hourly SET events = events - 1000 WHERE hour = $1 AND events > 1000`, [hour]);
    assert.equal(await total(), before);
  });

  it("stays exact when a file is re-delivered with events already stored", async () => {
    // Another object holding events already stored (ON CONFLICT DO NOTHING) plus two new ones.
    await ingestCloudTrail(db.pool, [...EVENTS.slice(100, 160), event(10_001, 600), event(10_002, 601)], cloudTrailKey(A, "us-east-1"));
    await assertPanelsEqualRaw("after duplicates");
  });

  it("stays exact when late data arrives for hours already rolled up, at the range's edges too", async () => {
    // 04:00–05:00 of day 0 (a rolled-up hour), 03:20 (the partial first hour), the last full hour, and before the range.
    await ingestCloudTrail(db.pool, [event(20_001, 4 * 60 + 5), event(20_002, 3 * 60 + 20), event(20_003, 2 * 1440 + 20 * 60 + 59), event(20_004, 3 * 60 + 1)], cloudTrailKey(B, "eu-west-1"));
    await assertPanelsEqualRaw("after late data");
  });

  it("stays exact after retention deletes the oldest events", async () => {
    // Retention of 2 days as of 2026-11-20 11:30 cuts inside an hour (11:30 on day 0) of the range.
    const deleted = await enforceRetention(db.pool, { cloudtrail: 2, vpcflow: 0 }, new Date(DAY0 + 2 * 86_400_000 + 11.5 * 3_600_000));
    assert.ok((deleted[0]?.rowsDeleted ?? 0) > 0, "retention deleted events");
    await assertPanelsEqualRaw("after retention");
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM cloudtrail_hourly WHERE hour < '2026-11-18 11:00'`);
    assert.equal(rows[0].n, 0, "no rollup rows remain for hours retention emptied");
  });
});
