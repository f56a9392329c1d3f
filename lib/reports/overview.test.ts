import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import {
  eventsOverTime,
  MAX_BUCKETS,
  overviewKpis,
  overviewReport,
  topEventNames,
  topPrincipals,
  topSourceIps,
} from "./overview";

// Integration test on a real Postgres: a fresh migrated database per run, known rows.
let testDb: TestDatabase;
let db: pg.Pool;

const t = (iso: string) => new Date(iso);

// [event_id, event_time, event_name, user_identity_arn, source_ip_address, read_only, error_code]
type EventRow = [string, string, string, string | null, string, boolean | null, string | null];
const alice = "arn:aws:iam::111122223333:user/alice";
const bob = "arn:aws:sts::111122223333:assumed-role/Admin/bob";
const carol = "arn:aws:iam::111122223333:user/carol";
const mallory = "arn:aws:iam::111122223333:user/mallory";
const events: EventRow[] = [
  // inside [10:00, 15:30) on 2026-11-20
  ["e1", "2026-11-20T10:05:00.000Z", "DescribeInstances", alice, "203.0.113.10", true, null],
  ["e2", "2026-11-20T10:40:00.000Z", "DescribeInstances", alice, "203.0.113.10", true, null],
  ["e3", "2026-11-20T10:59:59.999Z", "RunInstances", alice, "203.0.113.10", false, null],
  ["e4", "2026-11-20T12:00:00.000Z", "DeleteTrail", bob, "198.51.100.7", false, "AccessDenied"],
  ["e5", "2026-11-20T12:30:00.000Z", "DescribeInstances", bob, "198.51.100.7", null, "ThrottlingException"],
  ["e6", "2026-11-20T14:10:00.000Z", "ListBuckets", null, "cloudtrail.amazonaws.com", true, null],
  ["e7", "2026-11-20T15:29:59.999Z", "GetCallerIdentity", carol, "203.0.113.10", true, null],
  // outside: one millisecond before `from`, exactly at `to` (exclusive), a day earlier
  ["x1", "2026-11-20T09:59:59.999Z", "DeleteTrail", mallory, "192.0.2.66", false, "AccessDenied"],
  ["x2", "2026-11-20T15:30:00.000Z", "StopLogging", mallory, "192.0.2.66", false, "AccessDenied"],
  ["x3", "2026-11-19T12:00:00.000Z", "StopLogging", mallory, "192.0.2.66", false, null],
  // around the US DST change (2026-11-01 06:00Z), for the time-zone test
  ["d1", "2026-10-31T23:30:00.000Z", "GetObject", alice, "203.0.113.10", true, null],
  ["d2", "2026-11-01T23:30:00.000Z", "GetObject", alice, "203.0.113.10", true, null],
  ["d3", "2026-11-02T00:30:00.000Z", "PutObject", alice, "203.0.113.10", false, null],
];

// [line_number, start, action, bytes]
type FlowRow = [number, string, string | null, number | null];
const flows: FlowRow[] = [
  [1, "2026-11-20T10:10:00Z", "ACCEPT", 1000],
  [2, "2026-11-20T11:00:00Z", "ACCEPT", 2500],
  [3, "2026-11-20T12:00:00Z", "REJECT", 40],
  [4, "2026-11-20T15:29:59Z", "REJECT", 60],
  [5, "2026-11-20T14:00:00Z", "ACCEPT", 5_000_000_000], // above int4: sum(bigint) is numeric
  [6, "2026-11-20T13:00:00Z", null, null], // NODATA: no action, no bytes
  [7, "2026-11-20T09:59:59Z", "ACCEPT", 999_999], // before from
  [8, "2026-11-20T15:30:00Z", "REJECT", 77_777], // at to
];

const range = { from: t("2026-11-20T10:00:00Z"), to: t("2026-11-20T15:30:00Z") };
const empty = { from: t("2025-01-01T00:00:00Z"), to: t("2025-01-01T03:00:00Z") };

before(async () => {
  testDb = await createTestDatabase("overview");
  // A session zone with DST: bucketing must still be UTC.
  db = new pg.Pool({ connectionString: testDb.url, max: 6, options: "-c TimeZone=America/New_York" });
  for (const [id, time, name, arn, ip, readOnly, errorCode] of events) {
    await db.query(
      `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, event_name, user_identity_arn,
         source_ip_address, read_only, error_code, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      ["111122223333", id, time, name, arn, ip, readOnly, errorCode, JSON.stringify({ eventID: id, eventName: name })],
    );
  }
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ingest_objects (bucket, key, etag, kind, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    ["flow-bucket", "AWSLogs/111122223333/vpcflowlogs/x.log.gz", "etag-1", "flowlogs", "done"],
  );
  for (const [line, start, action, bytes] of flows) {
    await db.query(`INSERT INTO flow_records (object_id, line_number, start, action, bytes) VALUES ($1, $2, $3, $4, $5)`, [
      rows[0]!.id,
      line,
      start,
      action,
      bytes,
    ]);
  }
});

after(async () => {
  await db?.end();
  await testDb?.drop();
});

describe("overviewKpis", () => {
  it("counts events, distinct principals and IPs, error rate and flow bytes inside [from, to) only", async () => {
    assert.deepEqual(await overviewKpis(range, db), {
      events: 7,
      principals: 3, // alice, bob, carol; e6 has no ARN
      sourceIps: 3,
      errors: 2,
      errorRate: 2 / 7,
      flowBytesAccepted: 5_000_003_500,
      flowBytesRejected: 100,
    });
  });

  it("returns zeros, not nulls or NaN, for an empty range", async () => {
    assert.deepEqual(await overviewKpis(empty, db), {
      events: 0,
      principals: 0,
      sourceIps: 0,
      errors: 0,
      errorRate: 0,
      flowBytesAccepted: 0,
      flowBytesRejected: 0,
    });
  });
});

describe("eventsOverTime", () => {
  it("buckets by UTC hour, read vs write (null read_only counts as write), gap-filled with zeros", async () => {
    assert.deepEqual(await eventsOverTime({ ...range, bucket: "hour" }, db), [
      { bucketStart: t("2026-11-20T10:00:00Z"), read: 2, write: 1 },
      { bucketStart: t("2026-11-20T11:00:00Z"), read: 0, write: 0 },
      { bucketStart: t("2026-11-20T12:00:00Z"), read: 0, write: 2 },
      { bucketStart: t("2026-11-20T13:00:00Z"), read: 0, write: 0 },
      { bucketStart: t("2026-11-20T14:00:00Z"), read: 1, write: 0 },
      { bucketStart: t("2026-11-20T15:00:00Z"), read: 1, write: 0 },
    ]);
  });

  it("starts at the bucket containing an unaligned from, and drops a bucket that starts exactly at to", async () => {
    assert.deepEqual(await eventsOverTime({ from: t("2026-11-20T10:30:00Z"), to: t("2026-11-20T13:00:00Z"), bucket: "hour" }, db), [
      { bucketStart: t("2026-11-20T10:00:00Z"), read: 1, write: 1 }, // e2, e3 (e1 is before from)
      { bucketStart: t("2026-11-20T11:00:00Z"), read: 0, write: 0 },
      { bucketStart: t("2026-11-20T12:00:00Z"), read: 0, write: 2 },
    ]);
  });

  it("buckets by UTC day, including empty days", async () => {
    assert.deepEqual(await eventsOverTime({ from: t("2026-11-18T00:00:00Z"), to: t("2026-11-21T00:00:00Z"), bucket: "day" }, db), [
      { bucketStart: t("2026-11-18T00:00:00Z"), read: 0, write: 0 },
      { bucketStart: t("2026-11-19T00:00:00Z"), read: 0, write: 1 }, // x3
      { bucketStart: t("2026-11-20T00:00:00Z"), read: 4, write: 5 }, // e1–e7, x1, x2
    ]);
  });

  it("keeps day buckets on midnight UTC across a DST change of the session time zone", async () => {
    assert.deepEqual(await eventsOverTime({ from: t("2026-10-31T00:00:00Z"), to: t("2026-11-03T00:00:00Z"), bucket: "day" }, db), [
      { bucketStart: t("2026-10-31T00:00:00Z"), read: 1, write: 0 },
      { bucketStart: t("2026-11-01T00:00:00Z"), read: 1, write: 0 },
      { bucketStart: t("2026-11-02T00:00:00Z"), read: 0, write: 1 },
    ]);
  });

  it("chooses hourly buckets up to two days and daily beyond when no bucket is given", async () => {
    assert.equal((await eventsOverTime(empty, db)).length, 3);
    const week = await eventsOverTime({ from: t("2025-01-01T00:00:00Z"), to: t("2025-01-08T00:00:00Z") }, db);
    assert.deepEqual(
      week.map((b) => b.bucketStart.toISOString().slice(0, 10)),
      ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06", "2025-01-07"],
    );
    assert.ok(week.every((b) => b.read === 0 && b.write === 0));
  });

  it("refuses unknown units and oversized series instead of building SQL from them", async () => {
    await assert.rejects(eventsOverTime({ ...range, bucket: "minute; DROP TABLE x" as "hour" }, db), RangeError);
    const tooLong = { from: t("2000-01-01T00:00:00Z"), to: new Date(Date.UTC(2000, 0, 1) + (MAX_BUCKETS + 1) * 3_600_000) };
    await assert.rejects(eventsOverTime({ ...tooLong, bucket: "hour" }, db), RangeError);
    assert.deepEqual(await eventsOverTime({ from: range.to, to: range.from }, db), []);
  });
});

describe("top-N panels", () => {
  it("ranks event names by count, ties by name, outside rows excluded", async () => {
    assert.deepEqual(await topEventNames(range, db), [
      { value: "DescribeInstances", count: 3 },
      { value: "DeleteTrail", count: 1 }, // x1 (mallory's, before from) not counted
      { value: "GetCallerIdentity", count: 1 },
      { value: "ListBuckets", count: 1 },
      { value: "RunInstances", count: 1 },
    ]);
  });

  it("ranks principals by ARN and skips events without one", async () => {
    assert.deepEqual(await topPrincipals(range, db), [
      { value: alice, count: 3 },
      { value: bob, count: 2 },
      { value: carol, count: 1 },
    ]);
  });

  it("ranks source IPs, including AWS service names", async () => {
    assert.deepEqual(await topSourceIps(range, db), [
      { value: "203.0.113.10", count: 4 },
      { value: "198.51.100.7", count: 2 },
      { value: "cloudtrail.amazonaws.com", count: 1 },
    ]);
  });

  it("honours the limit and returns nothing for an empty range", async () => {
    assert.deepEqual(await topEventNames({ ...range, limit: 2 }, db), [
      { value: "DescribeInstances", count: 3 },
      { value: "DeleteTrail", count: 1 },
    ]);
    assert.deepEqual(await topPrincipals(empty, db), []);
  });

  it("returns 10 rows by default, at most 100", async () => {
    // Twelve distinct names in a window no other test reads; name n has n events.
    const day = { from: t("2024-06-01T00:00:00Z"), to: t("2024-06-02T00:00:00Z") };
    for (let n = 1; n <= 12; n++) {
      for (let k = 0; k < n; k++) {
        await db.query(
          `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, event_name, raw) VALUES ($1, $2, $3, $4, $5)`,
          ["111122223333", `many-${n}-${k}`, t(`2024-06-01T${String(n).padStart(2, "0")}:00:00Z`), `Name${n}`, "{}"],
        );
      }
    }
    const top = await topEventNames(day, db);
    assert.deepEqual(
      top.map((r) => [r.value, r.count]),
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((n) => [`Name${n}`, n]),
    );
    assert.equal((await topEventNames({ ...day, limit: 1000 }, db)).length, 12);
    assert.equal((await topEventNames({ ...day, limit: 0 }, db)).length, 1);
  });
});

describe("overviewReport", () => {
  it("assembles every panel for one range", async () => {
    const report = await overviewReport({ ...range, bucket: "hour" }, db);
    assert.equal(report.kpis.events, 7);
    assert.equal(report.eventsOverTime.length, 6);
    assert.equal(report.topEventNames[0]?.value, "DescribeInstances");
    assert.equal(report.topPrincipals.length, 3);
    assert.equal(report.topSourceIps.length, 3);
  });
});
