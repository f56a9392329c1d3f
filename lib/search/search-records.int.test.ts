import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { parseSearch, SearchQueryError, type SearchQuery } from "./parse-search";
import { searchCount, searchHistogram, searchPage } from "./search-records";
import type { SearchSource } from "./search-fields";
import { cloudTrailKey, flowKey, ingestCloudTrail, ingestFlowLog } from "./testdata/ingest-fixtures";

// Integration test on a real Postgres: records go in through the real ingest path, every filter
// of the URL contract is run through parseSearch → SQL → rows.

let db: TestDatabase;
const A = "111122223333";
const B = "444455556666";
const RANGE = "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z";

function record(id: string, minute: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventID: id,
    eventTime: new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString().replace(".000Z", "Z"),
    eventSource: "iam.amazonaws.com",
    eventName: "ListUsers",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.17.0 md/command#iam.list-users",
    readOnly: true,
    eventType: "AwsApiCall",
    recipientAccountId: A,
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${A}:user/alice`, accountId: A, userName: "alice", accessKeyId: "AKIAALICE0000000001", principalId: "AIDAALICE" },
    ...extra,
  };
}

const bob = {
  type: "AssumedRole",
  arn: `arn:aws:sts::${B}:assumed-role/Admin/bob`,
  accountId: B,
  accessKeyId: "ASIABOB000000000001",
  principalId: "AROAADMIN:bob",
  sessionContext: { sessionIssuer: { type: "Role", arn: `arn:aws:iam::${B}:role/Admin`, userName: "Admin", accountId: B }, attributes: { creationDate: "2026-11-20T09:59:00Z", mfaAuthenticated: "true" } },
};

before(async () => {
  db = await createTestDatabase("search");
  await ingestCloudTrail(db.pool, [
    record("e01", 1, { eventName: "CreateAccessKey", readOnly: false, requestParameters: { userName: "bob" }, responseElements: { accessKey: { accessKeyId: "AKIANEW", userName: "bob", status: "Active" } } }),
    record("e02", 2, { errorCode: "AccessDenied", errorMessage: "denied", sourceIPAddress: "198.51.100.8" }),
    record("e03", 3, { eventName: "CreateUser", readOnly: false, requestParameters: { userName: "carol" } }),
    record("e04", 4, { eventName: "Weird*Name" }),
    record("e05", 5, { eventName: "ConsoleLogin", eventSource: "signin.amazonaws.com", eventType: "AwsConsoleSignIn", sourceIPAddress: "2001:db8::17", userIdentity: { type: "Root", arn: `arn:aws:iam::${A}:root`, accountId: A, principalId: A } }),
    record("e06", 6, { eventName: "Decrypt", eventSource: "kms.amazonaws.com", eventType: "AwsServiceEvent", sourceIPAddress: "s3.amazonaws.com", userIdentity: { type: "AWSService", invokedBy: "s3.amazonaws.com" } }),
    record("x01", 0, { eventTime: "2026-11-19T23:59:59Z", eventName: "CreateAccessKey" }), // before the range
  ]);
  await ingestCloudTrail(
    db.pool,
    [
      record("e07", 7, { recipientAccountId: B, awsRegion: "eu-west-1", eventSource: "s3.amazonaws.com", eventName: "PutBucketPolicy", readOnly: false, sourceIPAddress: "203.0.113.5", userIdentity: bob, requestParameters: { bucketName: "logs-bucket", bucketPolicy: { Statement: [{ Effect: "Allow" }] } } }),
      record("e08", 8, { recipientAccountId: B, awsRegion: "eu-west-1", eventSource: "s3.amazonaws.com", eventName: "GetObject", sourceIPAddress: "203.0.113.5", userIdentity: bob, requestParameters: { bucketName: "other-bucket", key: "a/b.txt" } }),
      // Five events at the same instant: the keyset must order and page them by key.
      ...["t1", "t2", "t3", "t4", "t5"].map((id) => record(id, 9, { recipientAccountId: B, awsRegion: "eu-west-1", userIdentity: bob })),
    ],
    cloudTrailKey(B, "eu-west-1"),
  );
  const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
  const start = Date.UTC(2026, 10, 20, 10, 0) / 1000;
  const lines = [
    `2 ${A} eni-aaa 10.0.1.5 203.0.113.9 49152 443 6 10 5000 ${start} ${start + 60} ACCEPT OK`,
    `2 ${A} eni-aaa 175.16.199.1 10.0.1.5 51515 22 6 1 40 ${start + 60} ${start + 120} REJECT OK`,
    `2 ${A} eni-bbb 10.0.2.7 10.0.1.5 53000 53 17 2 120 ${start + 120} ${start + 180} ACCEPT OK`,
    `2 ${A} eni-bbb - - - - - - - ${start + 180} ${start + 240} - NODATA`,
    `2 ${A} eni-ccc 2001:db8::5 2001:db8::6 40000 8080 6 3 300 ${start + 240} ${start + 300} ACCEPT OK`,
  ];
  await ingestFlowLog(db.pool, [header, ...lines].join("\n") + "\n", flowKey(A, "us-east-1"));
  const v5 = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path region az-id";
  await ingestFlowLog(
    db.pool,
    `${v5}\n5 vpc-111 subnet-222 i-333 eni-ddd ${B} IPv4 10.1.0.4 10.1.0.9 40001 5432 10.1.0.4 10.1.0.9 6 900 9 ${start + 300} ${start + 360} ACCEPT 2 OK ingress - eu-west-1 euw1-az1\n`,
    flowKey(B, "eu-west-1"),
  );
});

after(async () => {
  await db?.drop();
});

function query(source: SearchSource, qs: string, extra = ""): SearchQuery {
  return parseSearch(source, new URLSearchParams(`${RANGE}&${qs}${extra}`));
}

async function ids(qs: string): Promise<string[]> {
  const page = await searchPage(query("cloudtrail", qs, "&limit=1000"), {}, db.pool);
  const count = await searchCount(query("cloudtrail", qs), db.pool);
  assert.equal(count, page.rows.length, `count and rows agree for ${qs}`);
  return page.rows.map((r) => String(r.fields.eventID)).sort();
}

async function flowIds(qs: string): Promise<string[]> {
  const page = await searchPage(query("vpcflow", qs, "&limit=1000"), {}, db.pool);
  return page.rows.map((r) => `${String(r.fields["interface-id"])}:${String(r.fields.dstport ?? "-")}`).sort();
}

const T = ["t1", "t2", "t3", "t4", "t5"];

describe("CloudTrail filters", () => {
  it("eventName: exact, prefix, exclude, several values = any", async () => {
    assert.deepEqual(await ids("f.eventName=CreateUser"), ["e03"]);
    assert.deepEqual(await ids("f.eventName=Create*"), ["e01", "e03"]);
    assert.deepEqual(await ids("f.eventName=CreateUser&f.eventName=GetObject"), ["e03", "e08"]);
    assert.deepEqual(await ids("f.userIdentity.userName=alice&x.eventName=ListUsers&x.eventName=Create*"), ["e04"]);
  });

  it("a literal value with `=` matches exactly, even with a trailing *", async () => {
    assert.deepEqual(await ids("f.eventName==Weird*Name"), ["e04"]);
    assert.deepEqual(await ids("f.eventName==Weird*"), []);
    assert.deepEqual(await ids("f.eventName=Weird*"), ["e04"]);
  });

  it("eventSource, awsRegion, eventType, account and region", async () => {
    assert.deepEqual(await ids("f.eventSource=s3.amazonaws.com"), ["e07", "e08"]);
    assert.deepEqual(await ids("f.awsRegion=eu-west-1"), ["e07", "e08", ...T]);
    assert.deepEqual(await ids("region=eu-west-1&f.eventName=GetObject"), ["e08"]);
    assert.deepEqual(await ids(`account=${B}&x.eventName=ListUsers`), ["e07", "e08"]);
    assert.deepEqual(await ids("f.eventType=AwsServiceEvent"), ["e06"]);
    assert.deepEqual(await ids("f.eventType=AwsConsoleSignIn"), ["e05"]);
  });

  it("principal ARN, user name, access key id, identity type, role", async () => {
    assert.deepEqual(await ids(`f.userIdentity.arn=arn:aws:sts::${B}:assumed-role/Admin/bob&x.eventName=ListUsers`), ["e07", "e08"]);
    assert.deepEqual(await ids(`f.userIdentity.arn=arn:aws:iam::${A}:*&x.eventName=ListUsers`), ["e01", "e03", "e04", "e05"]);
    assert.deepEqual(await ids("f.userIdentity.accessKeyId=AKIAALICE0000000001&f.readOnly=false"), ["e01", "e03"]);
    assert.deepEqual(await ids("f.userIdentity.type=Root"), ["e05"]);
    assert.deepEqual(await ids("f.userIdentity.type=AssumedRole&x.eventName=ListUsers"), ["e07", "e08"]);
    assert.deepEqual(await ids(`f.userIdentity.sessionContext.sessionIssuer.arn=arn:aws:iam::${B}:role/Admin&f.eventSource=s3*`), ["e07", "e08"]);
  });

  it("sourceIPAddress: exact, CIDR (IPv4 and IPv6; service names never match), exclude", async () => {
    assert.deepEqual(await ids("f.sourceIPAddress=198.51.100.8"), ["e02"]);
    assert.deepEqual(await ids("f.sourceIPAddress=198.51.100.0/24&x.eventName=ListUsers"), ["e01", "e03", "e04"]);
    assert.deepEqual(await ids("f.sourceIPAddress=2001:db8::/32"), ["e05"]);
    assert.deepEqual(await ids("f.sourceIPAddress=s3.amazonaws.com"), ["e06"]);
    assert.deepEqual(await ids("x.sourceIPAddress=0.0.0.0/0&x.sourceIPAddress=::/0"), ["e06"]);
  });

  it("errorCode: present, absent (succeeded), a value", async () => {
    assert.deepEqual(await ids("f.errorCode=*"), ["e02"]);
    assert.deepEqual(await ids("f.errorCode=AccessDenied"), ["e02"]);
    assert.equal((await ids("x.errorCode=*")).length, 12);
  });

  it("readOnly true / false", async () => {
    assert.deepEqual(await ids("f.readOnly=false"), ["e01", "e03", "e07"]);
    assert.deepEqual(await ids("f.readOnly=FALSE&f.eventName=CreateUser"), ["e03"]);
    assert.equal((await ids("f.readOnly=true")).length, 10);
  });

  it("any JSON path of the raw record, through arrays", async () => {
    assert.deepEqual(await ids("f.requestParameters.bucketName=logs-bucket"), ["e07"]);
    assert.deepEqual(await ids("f.requestParameters.bucketName=*"), ["e07", "e08"]);
    assert.deepEqual(await ids("f.requestParameters.key=a/b.txt"), ["e08"]);
    assert.deepEqual(await ids("f.requestParameters.bucketPolicy.Statement.Effect=Allow"), ["e07"]);
    assert.deepEqual(await ids("f.responseElements.accessKey.accessKeyId=AKIA*"), ["e01"]);
    assert.deepEqual(await ids("f.requestParameters.userName=bob&f.requestParameters.userName=carol"), ["e01", "e03"]);
  });

  it("the time range is half-open and always applies", async () => {
    assert.ok(!(await ids("f.eventName=CreateAccessKey")).includes("x01"));
    const page = await searchPage(parseSearch("cloudtrail", new URLSearchParams("from=2026-11-19T00:00:00Z&to=2026-11-20T00:00:00Z")), {}, db.pool);
    assert.deepEqual(page.rows.map((r) => r.fields.eventID), ["x01"]);
  });

  it("values never become SQL", async () => {
    assert.deepEqual(await ids("f.eventName=x'); DROP TABLE cloudtrail_events; --"), []);
    assert.deepEqual(await ids(`f.requestParameters.bucketName=" || true || "`), []);
    assert.equal((await ids("")).length, 13);
  });

  it("refuses fields and values that do not fit, naming each", () => {
    assert.throws(
      () => query("cloudtrail", "f.nope=1&f.readOnly=maybe&f.sourceIPAddress=10.0.0.0/99&f.eventTime=2026&f.requestParameters..x=1"),
      (e: unknown) => e instanceof SearchQueryError && e.problems.length === 5,
    );
  });
});

describe("keyset pagination", () => {
  it("pages are disjoint, complete and in order (time desc, key desc), ties included", async () => {
    const all = await searchPage(query("cloudtrail", "limit=1000"), {}, db.pool);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await searchPage(query("cloudtrail", `limit=3${cursor ? `&cursor=${cursor}` : ""}`), {}, db.pool);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 5);
    assert.deepEqual(seen, all.rows.map((r) => r.id));
    assert.deepEqual(all.rows.slice(0, 5).map((r) => r.fields.eventID), ["t5", "t4", "t3", "t2", "t1"]);
  });

  it("is stable while new events arrive: no row twice, none skipped; the window of page one stays", async () => {
    const q1 = query("cloudtrail", "f.userIdentity.userName=alice&limit=2");
    const p1 = await searchPage(q1, {}, db.pool);
    // New events land, newer than the cursor and older than it, while the reader is on page one.
    await ingestCloudTrail(db.pool, [record("n-new", 30, {}), record("n-old", 0, {})]);
    const rest: string[] = [];
    let cursor = p1.nextCursor;
    while (cursor) {
      const page = await searchPage(query("cloudtrail", `f.userIdentity.userName=alice&limit=2&cursor=${cursor}`), {}, db.pool);
      rest.push(...page.rows.map((r) => String(r.fields.eventID)));
      cursor = page.nextCursor;
    }
    const seen = [...p1.rows.map((r) => String(r.fields.eventID)), ...rest];
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(!seen.includes("n-new"), "an event newer than the cursor belongs to page one, not to later pages");
    assert.ok(seen.includes("n-old"), "an event older than the cursor shows up on a later page");
    assert.deepEqual(seen.filter((x) => x !== "n-old"), ["e04", "e03", "e02", "e01"]);
    await db.pool.query("DELETE FROM cloudtrail_events WHERE event_id IN ('n-new', 'n-old')");
  });

  it("a cursor carries the window of its first page", async () => {
    const p1 = await searchPage(query("cloudtrail", "limit=1"), {}, db.pool);
    const q2 = parseSearch("cloudtrail", new URLSearchParams(`range=1h&cursor=${p1.nextCursor}`));
    assert.equal(q2.range.from.toISOString(), "2026-11-20T00:00:00.000Z");
    assert.equal(q2.range.to.toISOString(), "2026-11-21T00:00:00.000Z");
    assert.throws(() => parseSearch("cloudtrail", new URLSearchParams("cursor=bm90IGEgY3Vyc29y")), SearchQueryError);
    assert.throws(() => parseSearch("vpcflow", new URLSearchParams(`cursor=${p1.nextCursor}`)), SearchQueryError);
  });
});

describe("histogram", () => {
  it("buckets every match over the range; bars sum to the count; split succeeded / failed", async () => {
    const q = query("cloudtrail", "f.userIdentity.userName=alice");
    const h = await searchHistogram(q, db.pool);
    assert.equal(h.bucketSeconds, 900);
    assert.equal(h.buckets.length, 96);
    assert.equal(h.total, await searchCount(q, db.pool));
    const bar = h.buckets.find((b) => b.start.toISOString() === "2026-11-20T10:00:00.000Z");
    assert.deepEqual(bar?.counts, { succeeded: 3, failed: 1 });
  });
});

describe("flow-log filters", () => {
  it("addresses by CIDR and exact (IPv4 and IPv6)", async () => {
    assert.deepEqual(await flowIds("f.srcaddr=10.0.0.0/16"), ["eni-aaa:443", "eni-bbb:53"]);
    assert.deepEqual(await flowIds("f.dstaddr=10.0.1.5"), ["eni-aaa:22", "eni-bbb:53"]);
    assert.deepEqual(await flowIds("f.srcaddr=2001:db8:0:0::5"), ["eni-ccc:8080"]);
    assert.deepEqual(await flowIds("x.srcaddr=10.0.0.0/8&f.srcaddr=*"), ["eni-aaa:22", "eni-ccc:8080"]);
  });

  it("ports, ranges and protocol by name or number", async () => {
    assert.deepEqual(await flowIds("f.dstport=22"), ["eni-aaa:22"]);
    assert.deepEqual(await flowIds("f.dstport=1-1023"), ["eni-aaa:22", "eni-aaa:443", "eni-bbb:53"]);
    assert.deepEqual(await flowIds("f.protocol=udp"), ["eni-bbb:53"]);
    assert.deepEqual(await flowIds("f.protocol=6&f.dstport=1024-65535"), ["eni-ccc:8080", "eni-ddd:5432"]);
    assert.throws(() => query("vpcflow", "f.dstport=ssh"), SearchQueryError);
  });

  it("action, log-status, interface, VPC, subnet, instance, direction, account and region", async () => {
    assert.deepEqual(await flowIds("f.action=REJECT"), ["eni-aaa:22"]);
    assert.deepEqual(await flowIds("f.log-status=NODATA"), ["eni-bbb:-"]);
    assert.deepEqual(await flowIds("f.interface-id=eni-b*"), ["eni-bbb:-", "eni-bbb:53"]);
    assert.deepEqual(await flowIds("f.vpc-id=vpc-111&f.subnet-id=subnet-222&f.instance-id=i-333&f.flow-direction=ingress"), ["eni-ddd:5432"]);
    assert.deepEqual(await flowIds(`account=${B}`), ["eni-ddd:5432"]);
    // Default-format records have no region field: the region comes from the file's key.
    assert.equal((await flowIds("region=us-east-1")).length, 5);
    assert.deepEqual(await flowIds("region=eu-west-1"), ["eni-ddd:5432"]);
  });

  it("pages and histograms the same way", async () => {
    const q = query("vpcflow", "limit=4");
    const p1 = await searchPage(q, {}, db.pool);
    const p2 = await searchPage(query("vpcflow", `limit=4&cursor=${p1.nextCursor}`), {}, db.pool);
    assert.equal(p1.rows.length + p2.rows.length, 6);
    assert.equal(p2.nextCursor, null);
    assert.equal(p1.rows[0]?.fields["interface-id"], "eni-ddd");
    const h = await searchHistogram(query("vpcflow", ""), db.pool);
    assert.equal(h.total, 6);
    assert.deepEqual(h.buckets.find((b) => b.counts.accept! > 0)?.counts, { accept: 4, reject: 1, other: 1 });
  });
});
