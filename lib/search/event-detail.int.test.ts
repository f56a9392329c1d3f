import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as parseCsv } from "csv-parse/sync";
import { importFiles } from "../ingest/import-files";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { SHARED_SAMPLES, silentLog } from "../../test/support/samples";
import { eventDetail } from "./event-detail";
import { exportSearch, truncationMessage } from "./export-search";
import { parseSearch } from "./parse-search";
import { exportApi, searchApi } from "./search-api";
import { searchCount } from "./search-records";
import { cloudTrailKey, ingestCloudTrail } from "./testdata/ingest-fixtures";

// Integration test on a real Postgres: the event page's data (summary, actor, session start, decoded
// policy diff, related pivots, source object) and the exports, over records ingested the real way.

let db: TestDatabase;
const A = "111122223333";
const t = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString().replace(".000Z", "Z");
const alice = { type: "IAMUser", principalId: "AIDAALICE", arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: "AKIAALICE0000000001", userName: "alice" };
const sessionArn = `arn:aws:sts::${A}:assumed-role/Deployer/alice-deploy`;
const session = (key: string, created: string) => ({
  type: "AssumedRole", principalId: "AROADEPLOYER:alice-deploy", arn: sessionArn, accountId: A, accessKeyId: key,
  sessionContext: { sessionIssuer: { type: "Role", arn: `arn:aws:iam::${A}:role/Deployer`, userName: "Deployer", accountId: A }, attributes: { creationDate: created, mfaAuthenticated: "true" } },
});
const base = (id: string, minute: number, identity: object, extra: object) => ({
  eventVersion: "1.09", eventID: id, eventTime: t(minute), awsRegion: "us-east-1", recipientAccountId: A, eventType: "AwsApiCall",
  sourceIPAddress: "198.51.100.7", userAgent: "aws-cli/2.17.0", userIdentity: identity, ...extra,
});
const policy = (statements: object[]) => encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
const put = (id: string, minute: number, statements: object[], extra: object = {}) =>
  base(id, minute, alice, { eventSource: "iam.amazonaws.com", eventName: "PutUserPolicy", readOnly: false, requestParameters: { userName: "bob", policyName: "reports", policyDocument: policy(statements) }, ...extra });

const READ = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" };
const DENY = { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" };
const PASS = { Effect: "Allow", Action: "iam:PassRole", Resource: "*" };

before(async () => {
  db = await createTestDatabase("event_detail");
  await ingestCloudTrail(db.pool, [
    put("p1", 1, [READ, DENY]),
    put("p-other", 2, [PASS], { requestParameters: { userName: "carol", policyName: "reports", policyDocument: policy([PASS]) } }), // another user's policy
    put("p-failed", 3, [PASS], { errorCode: "AccessDenied" }), // failed: never a previous version
    put("p2", 4, [READ, PASS]),
    base("assume", 5, alice, {
      eventSource: "sts.amazonaws.com", eventName: "AssumeRole", readOnly: true,
      requestParameters: { roleArn: `arn:aws:iam::${A}:role/Deployer`, roleSessionName: "alice-deploy", sourceIdentity: "alice@example.com", serialNumber: `arn:aws:iam::${A}:mfa/alice` },
      responseElements: { credentials: { accessKeyId: "ASIASESSION1" }, assumedRoleUser: { arn: sessionArn } },
    }),
    base("in-session", 6, session("ASIASESSION1", t(5)), { eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances", readOnly: true }),
    // A session whose key differs from the AssumeRole's answer: found by ARN and creation time.
    base("assume-2", 20, alice, { eventSource: "sts.amazonaws.com", eventName: "AssumeRole", readOnly: true, responseElements: { credentials: { accessKeyId: "ASIAOTHER" }, assumedRoleUser: { arn: sessionArn } } }),
    base("in-session-2", 25, session("ASIANOMATCH", t(20)), { eventSource: "ec2.amazonaws.com", eventName: "DescribeVpcs", readOnly: true }),
    base("orphan", 30, session("ASIAORPHAN", "2026-11-19T00:00:00Z"), { eventSource: "ec2.amazonaws.com", eventName: "DescribeVpcs", readOnly: true }),
    base("far", 200, alice, { eventSource: "iam.amazonaws.com", eventName: "ListUsers", readOnly: true }), // beyond ±1 h of p2
  ], cloudTrailKey(A, "us-east-1"));
});

after(async () => {
  await db?.drop();
});

describe("eventDetail", () => {
  it("decodes a PutUserPolicy as a diff against the last successful version of the same policy", async () => {
    const d = (await eventDetail(A, "p2", db.pool))!;
    assert.equal(d.summary, "alice (IAMUser, 111122223333) put inline policy reports on user bob from 198.51.100.7 using aws-cli");
    assert.equal(d.change?.subject, "inline policy reports of IAM user bob");
    assert.deepEqual(d.change?.added.map((i) => i.words), ["Allow iam:PassRole on every resource (*)"]);
    assert.deepEqual(d.change?.removed.map((i) => i.words), ["Deny s3:DeleteObject on every resource (*)"]);
    assert.equal(d.change?.unchanged.length, 1);
    assert.deepEqual(d.change?.baseline.kind === "previous-event" && d.change.baseline.eventId, "p1");
    const first = (await eventDetail(A, "p1", db.pool))!;
    assert.equal(first.change?.baseline.kind, "none-stored");
    assert.equal(first.change?.added.length, 2);
  });

  it("names the source object from the ledger and keeps the raw record", async () => {
    const d = (await eventDetail(A, "p2", db.pool))!;
    assert.equal(d.event.source?.bucket, "test-bucket");
    assert.match(d.event.source!.key, /^AWSLogs\/111122223333\/CloudTrail\/us-east-1\//);
    assert.equal(d.event.source?.status, "done");
    assert.equal((d.event.raw.requestParameters as Record<string, unknown>).userName, "bob");
    assert.equal(await eventDetail(A, "nope", db.pool), null);
    assert.equal(await eventDetail("-", "p2", db.pool), null);
  });

  it("finds the AssumeRole that began a session, by key or else by session ARN and creation time", async () => {
    const byKey = (await eventDetail(A, "in-session", db.pool))!;
    assert.equal(byKey.sessionStart?.eventId, "assume");
    assert.equal(byKey.sessionStart?.matchedBy, "access key");
    assert.equal(byKey.sessionStart?.sourceIdentity, "alice@example.com");
    assert.equal(byKey.sessionStart?.mfaSerial, `arn:aws:iam::${A}:mfa/alice`);
    assert.equal(byKey.sessionStart?.caller, alice.arn);
    assert.equal(byKey.actor.role?.name, "Deployer");
    const byArn = (await eventDetail(A, "in-session-2", db.pool))!;
    assert.equal(byArn.sessionStart?.eventId, "assume-2");
    assert.equal(byArn.sessionStart?.matchedBy, "session ARN and creation time");
    assert.equal((await eventDetail(A, "orphan", db.pool))!.sessionStart, null);
    assert.equal((await eventDetail(A, "p2", db.pool))!.sessionStart, null); // an IAM user has no session
  });

  it("related pivots count exactly what their links list, within ±1 hour", async () => {
    const d = (await eventDetail(A, "p2", db.pool))!;
    assert.deepEqual(d.related.map((r) => r.key), ["actor", "accessKey", "sourceIp"]);
    const actor = d.related.find((r) => r.key === "actor")!;
    assert.equal(actor.count, 6); // p1, p-other, p-failed, p2, assume, assume-2; not "far"
    for (const r of d.related) {
      const url = new URL(r.href, "http://x");
      assert.equal(url.pathname, "/events");
      assert.equal(await searchCount(parseSearch("cloudtrail", url.searchParams), db.pool), r.count, r.key);
    }
    const s = (await eventDetail(A, "in-session", db.pool))!;
    // Same ARN: three sessions of alice-deploy; same session: only the one begun at 10:05.
    assert.deepEqual(s.related.filter((r) => r.key !== "sourceIp").map((r) => [r.key, r.count]), [["actor", 3], ["accessKey", 1], ["session", 1], ["role", 3]]);
  });
});

describe("exports", () => {
  const q = (qs: string) => parseSearch("cloudtrail", new URLSearchParams(`from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&${qs}`));
  const collect = async (gen: AsyncGenerator<string>) => {
    let text = "";
    for await (const chunk of gen) text += chunk;
    return text;
  };

  it("CSV: a header of AWS names, one row per match (all pages), newest first", async () => {
    const text = await collect(exportSearch(q("f.eventName=PutUserPolicy&cols=eventTime,eventID,userIdentity.arn,errorCode"), { format: "csv", batchRows: 2 }, db.pool));
    const rows = parseCsv(text) as string[][];
    assert.deepEqual(rows[0], ["eventTime", "eventID", "userIdentity.arn", "errorCode"]);
    assert.deepEqual(rows.slice(1).map((r) => r[1]), ["p2", "p-failed", "p-other", "p1"]);
    assert.deepEqual(rows[2], ["2026-11-20T10:03:00.000Z", "p-failed", alice.arn, "AccessDenied"]);
  });

  it("stops at the cap and says so, in CSV and in JSON", async () => {
    const csv = parseCsv(await collect(exportSearch(q(""), { format: "csv", maxRows: 3, batchRows: 2 }, db.pool)), { relax_column_count: true }) as string[][];
    assert.equal(csv.length, 1 + 3 + 1);
    assert.equal(csv.at(-1)![0], `# ${truncationMessage(3)}`);
    const json = JSON.parse(await collect(exportSearch(q(""), { format: "json", maxRows: 3 }, db.pool))) as { Records: unknown[]; truncated: boolean; message: string };
    assert.equal(json.Records.length, 3);
    assert.equal(json.truncated, true);
    assert.equal(json.message, truncationMessage(3));
    const exact = JSON.parse(await collect(exportSearch(q("f.eventName=AssumeRole"), { format: "json", maxRows: 2 }, db.pool))) as { truncated: boolean };
    assert.equal(exact.truncated, false); // exactly the cap: nothing left out
  });

  it("JSON holds the raw records in CloudTrail's file shape: `trailwatch import` reads it back", async () => {
    const text = await collect(exportSearch(q("f.userIdentity.arn=arn:aws:iam::111122223333:user/alice"), { format: "json" }, db.pool));
    const parsed = JSON.parse(text) as { Records: { eventID: string }[]; truncated: boolean };
    assert.equal(parsed.Records.length, 7);
    assert.equal(parsed.truncated, false);
    const other = await createTestDatabase("export_reimport");
    const dir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-export-"));
    try {
      const folder = path.join(dir, `AWSLogs/${A}/CloudTrail/us-east-1/2026/11/20`);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `${A}_CloudTrail_us-east-1_20261120T1000Z_export.json`), text);
      const summary = await importFiles([dir], { pool: other.pool, log: silentLog, batchRows: 100, maxRecordBytes: 1 << 20 });
      assert.equal(summary.recordsStored, 7);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await other.drop();
    }
  });

  it("flow records export their fields by AWS name", async () => {
    const text = await collect(exportSearch(parseSearch("vpcflow", new URLSearchParams("from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")), { format: "json" }, db.pool));
    assert.deepEqual(JSON.parse(text), { records: [], truncated: false });
  });

  it("the API functions refuse bad parameters and page with a cursor", async () => {
    await assert.rejects(searchApi("cloudtrail", new URLSearchParams("f.bogus=1"), db.pool), /unknown CloudTrail field/);
    assert.throws(() => exportApi("cloudtrail", new URLSearchParams("format=xml"), db.pool), /`format` must be one of csv, json/);
    const first = await searchApi("cloudtrail", new URLSearchParams("from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&limit=4"), db.pool);
    assert.equal(first.records.length, 4);
    const second = await searchApi("cloudtrail", new URLSearchParams(`from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&limit=4&cursor=${first.nextCursor}`), db.pool);
    assert.equal(second.records.length, 4);
    assert.ok(!second.records.some((r) => first.records.some((f) => f.id === r.id)));
    assert.equal(first.records[0]?.href, "/events/111122223333/far");
  });
});

describe("../shared/samples through the real import", () => {
  it("every imported sample event opens: summary, actor, change words, related links", async () => {
    const samples = await createTestDatabase("search_samples");
    try {
      const dirs = ["cloudtrail/elastic-integrations", "cloudtrail/elastic-beats", "cloudtrail/panther-analysis/panther-aws-cloudtrail-rule-test-events.jsonl", "cloudtrail/aws-cloudtrail-processing-library/SerializerVariousUserIdentityTestFile.json"];
      const summary = await importFiles(dirs.map((d) => path.join(SHARED_SAMPLES, d)), { pool: samples.pool, log: silentLog, batchRows: 500, maxRecordBytes: 1 << 20 });
      assert.ok(summary.recordsStored > 150, `only ${summary.recordsStored} sample records stored`);
      const { rows } = await samples.pool.query<{ recipient_account_id: string; event_id: string }>("SELECT recipient_account_id, event_id FROM cloudtrail_events");
      let changes = 0;
      for (const r of rows) {
        const d = await eventDetail(r.recipient_account_id || "-", r.event_id, samples.pool);
        assert.ok(d && d.summary.length > 10 && !d.summary.includes("undefined"), `${r.event_id}: ${d?.summary}`);
        if (d.change) changes += 1;
        for (const link of d.related) {
          assert.equal(await searchCount(parseSearch("cloudtrail", new URL(link.href, "http://x").searchParams), samples.pool), link.count);
        }
      }
      assert.ok(changes >= 5, `only ${changes} decoded changes`);
    } finally {
      await samples.drop();
    }
  });
});
