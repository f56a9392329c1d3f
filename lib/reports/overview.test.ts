import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, roleSession, storeCloudTrail, storeFlowLog } from "../../test/support/ingest-fixture";
import { flowRecords, linkedCount, linkedRecords, type RawRecord } from "../../test/support/search-link-oracle";
import {
  eventsByAccountRegion,
  eventsOverTime,
  errorsOverTime,
  MAX_BUCKETS,
  openAlerts,
  overviewKpis,
  overviewReport,
  sensitiveChanges,
  topEventNames,
  topEventSources,
  topPrincipals,
  topSourceIps,
} from "./overview";

// Integration test on a real Postgres: a fresh migrated database, fixture records stored through the
// real ingest path. Expected numbers are counted by hand (comments) or in JavaScript over the fixture,
// and every link is checked with an independent reading of the search-link contract.
let testDb: TestDatabase;
let db: pg.Pool;

const t = (iso: string) => new Date(iso);
const PROD = "111122223333";
const STAGING = "444455556666";
const alice = iamUser("alice");
const bob = roleSession("Admin", "bob");
const carol = iamUser("carol");
const mallory = iamUser("mallory");

const ev = (eventTime: string, eventName: string, userIdentity: Record<string, unknown> | null, sourceIPAddress: string, readOnly: boolean | null, errorCode: string | null, extra: Record<string, unknown> = {}) =>
  cloudTrailEvent({
    eventTime,
    eventName,
    ...(userIdentity ? { userIdentity } : {}),
    sourceIPAddress,
    ...(readOnly === null ? {} : { readOnly }),
    ...(errorCode ? { errorCode, errorMessage: "denied" } : {}),
    ...extra,
  });

const login = (eventTime: string, user: Record<string, unknown>, result: "Success" | "Failure", account = PROD) =>
  cloudTrailEvent({
    eventTime,
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: result === "Success" ? user : { ...user, arn: undefined },
    recipientAccountId: account,
    readOnly: false,
    responseElements: { ConsoleLogin: result },
    additionalEventData: { MFAUsed: "No", LoginTo: "https://console.aws.amazon.com/" },
    ...(result === "Failure" ? { errorMessage: "Failed authentication" } : {}),
  });

const events: RawRecord[] = [
  // inside [10:00, 15:30) on 2026-11-20
  ev("2026-11-20T10:05:00.000Z", "DescribeInstances", alice, "203.0.113.10", true, null),
  ev("2026-11-20T10:40:00.000Z", "DescribeInstances", alice, "203.0.113.10", true, null),
  ev("2026-11-20T10:59:59.999Z", "RunInstances", alice, "203.0.113.10", false, null),
  ev("2026-11-20T12:00:00.000Z", "DeleteTrail", bob, "198.51.100.7", false, "AccessDenied", { eventSource: "cloudtrail.amazonaws.com" }),
  ev("2026-11-20T12:30:00.000Z", "DescribeInstances", bob, "198.51.100.7", null, "ThrottlingException"),
  ev("2026-11-20T14:10:00.000Z", "ListBuckets", { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" }, "cloudtrail.amazonaws.com", true, null, { eventSource: "s3.amazonaws.com" }),
  ev("2026-11-20T15:29:59.999Z", "GetCallerIdentity", carol, "203.0.113.10", true, null, { eventSource: "sts.amazonaws.com" }),
  ev("2026-11-20T11:10:00.000Z", "CreateUser", alice, "203.0.113.10", false, null, { eventSource: "iam.amazonaws.com", requestParameters: { userName: "eve" } }),
  ev("2026-11-20T11:20:00.000Z", "ScheduleKeyDeletion", carol, "203.0.113.10", false, null, { eventSource: "kms.amazonaws.com", awsRegion: "eu-west-1" }),
  ev("2026-11-20T11:30:00.000Z", "AuthorizeSecurityGroupIngress", carol, "203.0.113.10", false, "Client.UnauthorizedOperation", { recipientAccountId: STAGING, awsRegion: "eu-west-1" }),
  login("2026-11-20T13:00:00.000Z", alice, "Success"),
  login("2026-11-20T13:01:00.000Z", mallory, "Failure"),
  login("2026-11-20T13:02:00.000Z", mallory, "Failure", STAGING),
  // outside: one millisecond before `from`, exactly at `to` (exclusive), a day earlier
  ev("2026-11-20T09:59:59.999Z", "DeleteTrail", mallory, "192.0.2.66", false, "AccessDenied", { eventSource: "cloudtrail.amazonaws.com" }),
  ev("2026-11-20T15:30:00.000Z", "StopLogging", mallory, "192.0.2.66", false, "AccessDenied", { eventSource: "cloudtrail.amazonaws.com" }),
  ev("2026-11-19T12:00:00.000Z", "StopLogging", mallory, "192.0.2.66", false, null, { eventSource: "cloudtrail.amazonaws.com" }),
  // around the US DST change (2026-11-01 06:00Z), for the time-zone test
  ev("2026-10-31T23:30:00.000Z", "GetObject", alice, "203.0.113.10", true, null, { eventSource: "s3.amazonaws.com" }),
  ev("2026-11-01T23:30:00.000Z", "GetObject", alice, "203.0.113.10", true, null, { eventSource: "s3.amazonaws.com" }),
  ev("2026-11-02T00:30:00.000Z", "PutObject", alice, "203.0.113.10", false, null, { eventSource: "s3.amazonaws.com" }),
];

const FLOW_HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const at = (iso: string) => String(Date.parse(iso) / 1000);
const flowLines = [
  `2 ${PROD} eni-1 10.0.0.1 10.0.0.2 40000 443 6 10 1000 ${at("2026-11-20T10:10:00Z")} ${at("2026-11-20T10:11:00Z")} ACCEPT OK`,
  `2 ${PROD} eni-1 10.0.0.1 10.0.0.2 40001 443 6 20 2500 ${at("2026-11-20T11:00:00Z")} ${at("2026-11-20T11:01:00Z")} ACCEPT OK`,
  `2 ${PROD} eni-1 198.51.100.9 10.0.0.2 40002 22 6 1 40 ${at("2026-11-20T12:00:00Z")} ${at("2026-11-20T12:01:00Z")} REJECT OK`,
  `2 ${PROD} eni-1 198.51.100.9 10.0.0.2 40003 23 6 1 60 ${at("2026-11-20T15:29:59Z")} ${at("2026-11-20T15:30:30Z")} REJECT OK`,
  `2 ${PROD} eni-1 10.0.0.1 10.0.0.3 40004 5432 6 9000000 5000000000 ${at("2026-11-20T14:00:00Z")} ${at("2026-11-20T14:01:00Z")} ACCEPT OK`, // above int4
  `2 ${PROD} eni-2 - - - - - - - ${at("2026-11-20T13:00:00Z")} ${at("2026-11-20T13:01:00Z")} - NODATA`,
  `2 ${PROD} eni-1 10.0.0.1 10.0.0.2 40005 443 6 10 999999 ${at("2026-11-20T09:59:59Z")} ${at("2026-11-20T10:00:30Z")} ACCEPT OK`, // before from
  `2 ${PROD} eni-1 198.51.100.9 10.0.0.2 40006 22 6 1 77777 ${at("2026-11-20T15:30:00Z")} ${at("2026-11-20T15:31:00Z")} REJECT OK`, // at to
];
const flows = flowRecords(FLOW_HEADER, flowLines);

const range = { from: t("2026-11-20T10:00:00Z"), to: t("2026-11-20T15:30:00Z") };
const empty = { from: t("2025-01-01T00:00:00Z"), to: t("2025-01-01T03:00:00Z") };
const inRange = events.filter((e) => Date.parse(String(e.eventTime)) >= range.from.getTime() && Date.parse(String(e.eventTime)) < range.to.getTime());

before(async () => {
  testDb = await createTestDatabase("overview");
  // A session zone with DST: bucketing must still be UTC.
  db = new pg.Pool({ connectionString: testDb.url, max: 6, options: "-c TimeZone=America/New_York" });
  await storeCloudTrail(db, events);
  await storeFlowLog(db, FLOW_HEADER, flowLines);
});

after(async () => {
  await db?.end();
  await testDb?.drop();
});

describe("overviewKpis", () => {
  it("counts events, writes, distinct principals and IPs, errors, sign-ins and flow bytes inside [from, to) only", async () => {
    const { kpis } = await overviewKpis(range, db);
    assert.deepEqual(kpis, {
      events: 13,
      writeEvents: 9, // all but the 4 read-only calls; DescribeInstances without readOnly counts as a write
      principals: 3, // alice, bob, carol; failed sign-ins carry no ARN, the AWS service none either
      sourceIps: 3,
      errors: 3,
      errorRate: 3 / 13,
      consoleLogins: 3,
      failedLogins: 2,
      openAlerts: 0,
      flowBytesAccepted: 5_000_003_500,
      flowBytesRejected: 100,
    });
  });

  it("agrees with counts taken in JavaScript over the fixture", async () => {
    const { kpis } = await overviewKpis(range, db);
    assert.equal(kpis.events, inRange.length);
    assert.equal(kpis.writeEvents, inRange.filter((e) => e.readOnly !== true).length);
    const arns = new Set(inRange.map((e) => (e.userIdentity as { arn?: string } | undefined)?.arn).filter(Boolean));
    assert.equal(kpis.principals, arns.size);
    assert.equal(kpis.sourceIps, new Set(inRange.map((e) => e.sourceIPAddress)).size);
    assert.equal(kpis.errors, inRange.filter((e) => e.errorCode !== undefined).length);
  });

  it("links every count to exactly the records it counts", async () => {
    const { kpis, hrefs } = await overviewKpis(range, db);
    for (const name of ["events", "writeEvents", "errors", "consoleLogins", "failedLogins"] as const) {
      assert.equal(linkedCount(hrefs[name], events), kpis[name], name);
    }
    assert.equal(linkedCount(hrefs.principals, events), inRange.filter((e) => (e.userIdentity as { arn?: string } | undefined)?.arn).length);
    const bytes = (href: string | null) => linkedRecords(href!, flows).reduce((sum, r) => sum + Number(r.bytes), 0);
    assert.equal(bytes(hrefs.flowBytesAccepted), kpis.flowBytesAccepted);
    assert.equal(bytes(hrefs.flowBytesRejected), kpis.flowBytesRejected);
    assert.equal(hrefs.openAlerts, "/alerts?state=open");
    assert.match(hrefs.failedLogins!, /^\/events\?from=2026-11-20T10%3A00%3A00\.000Z&to=2026-11-20T15%3A30%3A00\.000Z&f\.eventSource=signin\.amazonaws\.com&f\.eventName=ConsoleLogin&f\.responseElements\.ConsoleLogin=Failure$/);
  });

  it("narrows every number to one account and one region", async () => {
    const { kpis, hrefs } = await overviewKpis({ ...range, account: STAGING }, db);
    assert.equal(kpis.events, 2); // AuthorizeSecurityGroupIngress, mallory's failed login
    assert.equal(kpis.failedLogins, 1);
    assert.equal(kpis.flowBytesAccepted, 0); // the flow records are prod's
    assert.equal(linkedCount(hrefs.events, events), 2);
    assert.match(hrefs.events!, /&account=444455556666$/);
    const eu = await overviewKpis({ ...range, region: "eu-west-1" }, db);
    assert.equal(eu.kpis.events, 2); // ScheduleKeyDeletion, AuthorizeSecurityGroupIngress
    assert.equal(linkedCount(eu.hrefs.writeEvents, events), 2);
  });

  it("returns zeros, not nulls or NaN, for an empty range", async () => {
    const { kpis } = await overviewKpis(empty, db);
    assert.deepEqual(Object.values(kpis), Object.values(kpis).map(() => 0));
  });
});

describe("openAlerts", () => {
  it("counts open alerts active in the range, of the chosen account", async () => {
    const insert = (state: string, first: string, last: string, account: string) =>
      db.query(
        `INSERT INTO alerts (rule_id, rule_title, severity, source, group_key, group_values, account_id, state, first_seen, last_seen, reason)
         VALUES ('r', 'R', 'low', 'cloudtrail', $1, '{}', $2, $3, $4, $5, '{}')`,
        [`${state}-${first}-${account}`, account, state, first, last],
      );
    await insert("open", "2026-11-20T09:00:00Z", "2026-11-20T10:30:00Z", PROD); // active in range
    await insert("open", "2026-11-20T11:00:00Z", "2026-11-20T11:00:00Z", STAGING);
    await insert("resolved", "2026-11-20T11:00:00Z", "2026-11-20T11:00:00Z", PROD);
    await insert("open", "2026-11-19T09:00:00Z", "2026-11-19T10:00:00Z", PROD); // before the range
    try {
      assert.equal(await openAlerts(range, db), 2);
      assert.equal(await openAlerts({ ...range, account: PROD }, db), 1);
    } finally {
      await db.query("DELETE FROM alerts");
    }
  });
});

describe("eventsOverTime", () => {
  const counts = (points: { bucketStart: Date; read: number; write: number }[]) => points.map(({ bucketStart, read, write }) => ({ bucketStart, read, write }));

  it("buckets by UTC hour, read vs write (absent readOnly counts as write), gap-filled with zeros", async () => {
    assert.deepEqual(counts(await eventsOverTime({ ...range, bucket: "hour" }, db)), [
      { bucketStart: t("2026-11-20T10:00:00Z"), read: 2, write: 1 },
      { bucketStart: t("2026-11-20T11:00:00Z"), read: 0, write: 3 },
      { bucketStart: t("2026-11-20T12:00:00Z"), read: 0, write: 2 },
      { bucketStart: t("2026-11-20T13:00:00Z"), read: 0, write: 3 },
      { bucketStart: t("2026-11-20T14:00:00Z"), read: 1, write: 0 },
      { bucketStart: t("2026-11-20T15:00:00Z"), read: 1, write: 0 },
    ]);
  });

  it("links each bar to its bucket's records, clipped to the range", async () => {
    const points = await eventsOverTime({ from: t("2026-11-20T10:30:00Z"), to: t("2026-11-20T13:00:00Z"), bucket: "hour" }, db);
    assert.deepEqual(counts(points), [
      { bucketStart: t("2026-11-20T10:00:00Z"), read: 1, write: 1 }, // e1 is before from
      { bucketStart: t("2026-11-20T11:00:00Z"), read: 0, write: 3 },
      { bucketStart: t("2026-11-20T12:00:00Z"), read: 0, write: 2 },
    ]);
    for (const p of points) {
      assert.equal(linkedCount(p.hrefs.read, events), p.read);
      assert.equal(linkedCount(p.hrefs.write, events), p.write);
    }
    assert.match(points[0]!.hrefs.read, /from=2026-11-20T10%3A30%3A00\.000Z&to=2026-11-20T11%3A00%3A00\.000Z/);
  });

  it("buckets by UTC minute", async () => {
    const points = await eventsOverTime({ from: t("2026-11-20T13:00:00Z"), to: t("2026-11-20T13:03:00Z"), bucket: "minute" }, db);
    assert.deepEqual(points.map((p) => p.write), [1, 1, 1]);
  });

  it("keeps day buckets on midnight UTC across a DST change of the session time zone", async () => {
    assert.deepEqual(counts(await eventsOverTime({ from: t("2026-10-31T00:00:00Z"), to: t("2026-11-03T00:00:00Z"), bucket: "day" }, db)), [
      { bucketStart: t("2026-10-31T00:00:00Z"), read: 1, write: 0 },
      { bucketStart: t("2026-11-01T00:00:00Z"), read: 1, write: 0 },
      { bucketStart: t("2026-11-02T00:00:00Z"), read: 0, write: 1 },
    ]);
  });

  it("chooses the bucket by span when none is given", async () => {
    assert.equal((await eventsOverTime(empty, db)).length, 180); // 3 hours of minutes
    const week = await eventsOverTime({ from: t("2025-01-01T00:00:00Z"), to: t("2025-01-08T00:00:00Z") }, db);
    assert.equal(week.length, 7);
    assert.ok(week.every((b) => b.read === 0 && b.write === 0));
  });

  it("refuses unknown units and oversized series instead of building SQL from them", async () => {
    await assert.rejects(eventsOverTime({ ...range, bucket: "minute; DROP TABLE x" as "hour" }, db), RangeError);
    const tooLong = { from: t("2000-01-01T00:00:00Z"), to: new Date(Date.UTC(2000, 0, 1) + (MAX_BUCKETS + 1) * 3_600_000) };
    await assert.rejects(eventsOverTime({ ...tooLong, bucket: "hour" }, db), RangeError);
    assert.deepEqual(await eventsOverTime({ from: range.to, to: range.from }, db), []);
  });
});

describe("errorsOverTime", () => {
  it("has one series per error code, linked per bucket", async () => {
    const { series, points } = await errorsOverTime({ ...range, bucket: "hour" }, db);
    assert.deepEqual(series.map((s) => s.label), ["AccessDenied", "Client.UnauthorizedOperation", "ThrottlingException"]);
    const total = (key: string) => points.reduce((n, p) => n + (p as unknown as Record<string, number>)[key]!, 0);
    assert.deepEqual(series.map((s) => total(s.key)), [1, 1, 1]);
    for (const p of points) for (const s of series) assert.equal(linkedCount(p.hrefs[s.key]!, events), (p as unknown as Record<string, number>)[s.key]);
  });
});

describe("top-N panels", () => {
  it("ranks event names by count, ties by name, outside rows excluded, each row linked", async () => {
    const rows = await topEventNames(range, db);
    assert.deepEqual(rows.slice(0, 3).map((r) => [r.value, r.count]), [
      ["ConsoleLogin", 3],
      ["DescribeInstances", 3],
      ["AuthorizeSecurityGroupIngress", 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), r.count, r.value);
  });

  it("ranks event sources", async () => {
    const rows = await topEventSources(range, db);
    assert.deepEqual(rows[0], { value: "ec2.amazonaws.com", count: 5, href: rows[0]!.href });
    for (const r of rows) assert.equal(linkedCount(r.href, events), r.count, r.value);
  });

  it("ranks principals by ARN and skips events without one", async () => {
    const rows = await topPrincipals(range, db);
    assert.deepEqual(rows.map((r) => [r.value, r.count]), [
      [alice.arn, 5], // 3 EC2 calls, CreateUser, the successful login
      [carol.arn, 3],
      [bob.arn, 2],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), r.count);
  });

  it("ranks source IPs, including AWS service names", async () => {
    const rows = await topSourceIps(range, db);
    assert.deepEqual(rows.map((r) => [r.value, r.count]), [
      ["203.0.113.10", 10],
      ["198.51.100.7", 2],
      ["cloudtrail.amazonaws.com", 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), r.count);
  });

  it("honours the limit and returns nothing for an empty range", async () => {
    assert.equal((await topEventNames({ ...range, limit: 2 }, db)).length, 2);
    assert.deepEqual(await topPrincipals(empty, db), []);
  });
});

describe("values the link syntax would misread", () => {
  it("get no link, and an error code ending in * is counted under other codes", async () => {
    const day = { from: t("2024-07-01T00:00:00Z"), to: t("2024-07-02T00:00:00Z") };
    const odd = [
      ev("2024-07-01T10:00:00.000Z", "Get*", alice, "203.0.113.10", false, "Weird*"),
      ev("2024-07-01T10:05:00.000Z", "GetObject", alice, "203.0.113.10", true, "AccessDenied"),
    ];
    await storeCloudTrail(db, odd);
    const names = await topEventNames(day, db);
    assert.deepEqual(names.map((r) => [r.value, r.href === null]), [["Get*", true], ["GetObject", false]]);
    const errors = await errorsOverTime({ ...day, bucket: "day" }, db);
    assert.deepEqual(errors.series.map((s) => s.label), ["AccessDenied", "Other codes"]);
    const other = errors.points[0]!.hrefs.other!;
    assert.equal(linkedCount(other, odd), 1);
    assert.equal((errors.points[0] as unknown as Record<string, number>).other, 1);
  });
});

describe("eventsByAccountRegion", () => {
  it("counts per account and region", async () => {
    const rows = await eventsByAccountRegion(range, db);
    assert.deepEqual(rows.map((r) => [r.account, r.region, r.count]), [
      [PROD, "us-east-1", 10],
      [PROD, "eu-west-1", 1],
      [STAGING, "eu-west-1", 1],
      [STAGING, "us-east-1", 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), r.count);
  });
});

describe("sensitiveChanges", () => {
  it("counts IAM, CloudTrail, security group and KMS changes and lists the newest", async () => {
    const { categories, recent } = await sensitiveChanges(range, db);
    assert.deepEqual(categories.map((c) => [c.id, c.count]), [
      ["iam", 1],
      ["cloudtrail", 1], // the denied DeleteTrail in range
      ["securityGroups", 1],
      ["kms", 1],
    ]);
    for (const c of categories) assert.equal(linkedCount(c.href, events), c.count, c.id);
    assert.deepEqual(recent.map((r) => r.eventName), ["DeleteTrail", "AuthorizeSecurityGroupIngress", "ScheduleKeyDeletion", "CreateUser"]);
    for (const r of recent) assert.equal(linkedCount(r.href, events), 1);
    assert.equal(recent[1]!.errorCode, "Client.UnauthorizedOperation");
  });
});

describe("overviewReport", () => {
  it("assembles every panel for one scope", async () => {
    const report = await overviewReport({ ...range, bucket: "hour" }, db);
    assert.equal(report.kpis.events, 13);
    assert.equal(report.bucket, "hour");
    assert.equal(report.eventsOverTime.length, 6);
    assert.equal(report.topEventNames[0]?.value, "ConsoleLogin");
    assert.equal(report.topPrincipals.length, 3);
    assert.equal(report.sensitiveChanges.recent.length, 4);
  });
});
