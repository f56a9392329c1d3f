import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, roleSession, storeCloudTrail } from "../../test/support/ingest-fixture";
import { linkedCount, linkedRecords, type RawRecord } from "../../test/support/search-link-oracle";
import {
  anonymousAccess,
  crossAccountAccess,
  crossAccountCalls,
  largestTransfers,
  objectCallsOverTime,
  s3AccessChanges,
  s3AccessDenied,
  s3Kpis,
  s3Report,
  topBuckets,
  topPrincipalsPerBucket,
} from "./s3-data-events";

let db: TestDatabase;

const PROD = "111122223333";
const PARTNER = "999988887777";
const scope = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z") };
const app = roleSession("app-api-task-role", "task-1");
const lambda = roleSession("events-ingest-lambda-role", "events-ingest");
const partner = roleSession("reporting", "nightly", PARTNER);
const dev = iamUser("dev.patel");
const anonymous = { type: "AWSAccount", principalId: "", accountId: "anonymous" };

let minute = 0;
function s3(eventName: string, userIdentity: Record<string, unknown>, bucket: string, options: { out?: number; in?: number; error?: string; data?: boolean; time?: string; ip?: string } = {}): RawRecord {
  minute += 1;
  const data = options.data ?? true;
  return cloudTrailEvent({
    eventTime: options.time ?? new Date(Date.parse("2026-11-20T08:00:00Z") + minute * 60_000).toISOString(),
    eventSource: "s3.amazonaws.com",
    eventName,
    userIdentity,
    sourceIPAddress: options.ip ?? "10.0.10.15",
    readOnly: ["GetObject", "HeadObject", "GetBucketAcl"].includes(eventName),
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.amazonaws.com`, ...(data ? { key: `k/${minute}` } : {}) },
    ...(data ? { additionalEventData: { bytesTransferredIn: options.in ?? 0, bytesTransferredOut: options.out ?? 0 } } : {}),
    ...(options.error ? { errorCode: options.error, errorMessage: "Access Denied" } : {}),
    eventCategory: data ? "Data" : "Management",
    managementEvent: !data,
    recipientAccountId: PROD,
  });
}

const events: RawRecord[] = [
  s3("GetObject", app, "uploads", { out: 1_000 }),
  s3("GetObject", app, "uploads", { out: 5_000 }),
  s3("GetObject", app, "uploads", { out: 2_000_000 }),
  s3("PutObject", app, "uploads", { in: 40_000 }),
  s3("PutObject", app, "uploads", { in: 50_000 }),
  s3("DeleteObject", app, "uploads"),
  s3("HeadObject", app, "uploads"),
  s3("GetObject", lambda, "datalake", { out: 300, ip: "203.0.113.200" }),
  s3("GetObject", anonymous, "public-site", { out: 700, ip: "198.51.100.99" }),
  s3("GetObject", anonymous, "public-site", { out: 700, ip: "198.51.100.99" }),
  s3("GetObject", partner, "uploads", { out: 9_000, ip: "192.0.2.200" }),
  s3("GetObject", partner, "uploads", { error: "AccessDenied", ip: "192.0.2.200" }),
  s3("GetObject", dev, "uploads", { error: "AccessDenied", ip: "203.0.113.10" }),
  s3("GetObject", dev, "uploads", { error: "AccessDenied", ip: "203.0.113.10" }),
  s3("PutBucketPolicy", iamUser("terraform"), "public-site", { data: false }),
  s3("PutBucketPublicAccessBlock", iamUser("terraform"), "public-site", { data: false }),
  s3("GetBucketAcl", { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" }, "trail-bucket", { data: false, ip: "cloudtrail.amazonaws.com" }),
  s3("GetObject", app, "uploads", { out: 99_999_999, time: "2026-11-21T00:00:00Z" }), // outside
];

before(async () => {
  db = await createTestDatabase("s3_report");
  await storeCloudTrail(db.pool, events);
});

after(async () => {
  await db?.drop();
});

const inScope = events.filter((e) => String(e.eventTime) < "2026-11-21");
const bytesOut = (records: RawRecord[]) => records.reduce((n, r) => n + Number((r.additionalEventData as { bytesTransferredOut?: number } | undefined)?.bytesTransferredOut ?? 0), 0);

describe("s3Kpis", () => {
  it("counts object calls by kind, bytes out, anonymous calls, refusals and access changes, each linked", async () => {
    const { kpis, hrefs } = await s3Kpis(scope, db.pool);
    assert.deepEqual(kpis, {
      dataEvents: 14,
      gets: 10,
      puts: 2,
      deletes: 1,
      bytesOut: bytesOut(inScope),
      anonymous: 2,
      accessDenied: 3,
      accessChanges: 2,
    });
    for (const name of Object.keys(kpis) as (keyof typeof kpis)[]) {
      if (name === "bytesOut") assert.equal(bytesOut(linkedRecords(hrefs.bytesOut!, events)), kpis.bytesOut);
      else assert.equal(linkedCount(hrefs[name], events), kpis[name], name);
    }
  });
});

describe("objectCallsOverTime", () => {
  it("splits GetObject, PutObject, DeleteObject and the rest per hour", async () => {
    const { points } = await objectCallsOverTime(scope, db.pool);
    const h8 = points[8]!;
    assert.deepEqual([h8.get, h8.put, h8.delete, h8.other], [10, 2, 1, 1]);
    for (const p of points) for (const s of ["get", "put", "delete", "other"] as const) assert.equal(linkedCount(p.hrefs[s], events), p[s]);
  });
});

describe("buckets and principals", () => {
  it("ranks buckets with their reads, writes, bytes and errors", async () => {
    const rows = await topBuckets(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.bucket, r.values]), [
      ["uploads", { requests: 11, gets: 7, puts: 2, deletes: 1, bytesOut: 2_015_000, errors: 3 }],
      ["public-site", { requests: 2, gets: 2, puts: 0, deletes: 0, bytesOut: 1_400, errors: 0 }],
      ["datalake", { requests: 1, gets: 1, puts: 0, deletes: 0, bytesOut: 300, errors: 0 }],
    ]);
    for (const r of rows) for (const m of ["requests", "gets", "errors"] as const) assert.equal(linkedCount(r.hrefs[m], events), r.values[m]);
  });

  it("lists the top callers of each busy bucket, anonymous by account", async () => {
    const rows = await topPrincipalsPerBucket({ ...scope, perBucket: 2 }, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.bucket, r.key.principal, r.values.requests]), [
      ["uploads", app.arn, 7],
      ["uploads", dev.arn, 2], // ties with the partner's 2: ARN order
      ["public-site", "anonymous", 2],
      ["datalake", lambda.arn, 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.hrefs.requests, events), r.values.requests);
  });
});

describe("anonymous and cross-account access, refusals", () => {
  it("shows anonymous calls per bucket, call and address", async () => {
    const rows = await anonymousAccess(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key, r.values]), [[{ bucket: "public-site", name: "GetObject", ip: "198.51.100.99" }, { requests: 2, bytesOut: 1_400 }]]);
    assert.equal(linkedCount(rows[0]!.href, events), 2);
  });

  it("shows calls from other accounts, never anonymous or same-account ones", async () => {
    const rows = await crossAccountAccess(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key, r.values]), [[{ owner: PROD, caller: PARTNER, bucket: "uploads", principal: partner.arn }, { requests: 2, denied: 1 }]]);
    assert.equal(linkedCount(rows[0]!.hrefs.requests, events), 2);
    assert.equal(await crossAccountCalls(scope, db.pool), 2);
  });

  it("counts AccessDenied per bucket and caller", async () => {
    const rows = await s3AccessDenied(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.principal, r.values.denied]), [
      [dev.arn, 2],
      [partner.arn, 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.hrefs.denied, events), r.values.denied);
  });
});

describe("access changes and transfers", () => {
  it("lists bucket policy and Block Public Access changes", async () => {
    const { categories, recent } = await s3AccessChanges(scope, db.pool);
    assert.deepEqual(Object.fromEntries(categories.map((c) => [c.id, c.count])), { bucketPolicy: 1, acl: 0, publicAccessBlock: 1, ownership: 0 });
    assert.deepEqual(recent.map((r) => r.eventName), ["PutBucketPublicAccessBlock", "PutBucketPolicy"]);
  });

  it("lists the largest downloads, largest first", async () => {
    const rows = await largestTransfers(scope, db.pool);
    assert.deepEqual(rows.map((r) => r.bytes), [2_000_000, 9_000, 5_000, 1_000, 700, 700, 300]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), 1);
  });
});

describe("s3Report", () => {
  it("assembles every panel", async () => {
    const report = await s3Report(scope, db.pool);
    assert.equal(report.kpis.dataEvents, 14);
    assert.equal(report.crossAccountCalls, 2);
    assert.equal(report.topBuckets.length, 3);
  });
});
