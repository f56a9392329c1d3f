import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { DEMO_ACCOUNTS, DEMO_REGIONS, generateDemoWeek, summarizeDemoWeek, type DemoObject } from "./generate-demo-week";

const END = new Date("2024-06-10T00:00:00Z");
const WEEK_MS = 7 * 86_400_000;
const ACCOUNT_IDS = DEMO_ACCOUNTS.map((a) => a.id);

const started = performance.now();
const cpuBefore = process.cpuUsage();
const week = generateDemoWeek({ end: END });
const cpu = process.cpuUsage(cpuBefore);
const elapsedMs = performance.now() - started;
// CPU time, not wall time: the generator is synchronous, so CPU time is its cost, while wall
// time also counts waiting for a core on a busy machine (CI, other test files in parallel).
const cpuMs = (cpu.user + cpu.system) / 1000;

const CLOUDTRAIL_KEY =
  /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;
const FLOW_KEY =
  /^AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_vpcflowlogs_\2_fl-[0-9a-f]{17}_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[0-9a-f]{8}\.log\.gz$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const V2_HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const V5_HEADER =
  "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path region az-id";

// CloudTrail records are loosely typed JSON: tests read them through this.
type Json = Record<string, any>;

interface ParsedKey {
  account: string;
  region: string;
  /** Folder date, `YYYY-MM-DD`. */
  folderDate: string;
  /** The file-name timestamp, epoch ms. */
  stamp: number;
}

function parseKey(object: DemoObject): ParsedKey {
  const m = (object.kind === "cloudtrail" ? CLOUDTRAIL_KEY : FLOW_KEY).exec(object.key);
  assert.ok(m, `key does not follow AWS's ${object.kind} layout: ${object.key}`);
  const [, account = "", region = "", y, mo, d, fy, fmo, fd, fh, fmi] = m;
  return { account, region, folderDate: `${y}-${mo}-${d}`, stamp: Date.parse(`${fy}-${fmo}-${fd}T${fh}:${fmi}:00Z`) };
}

interface CloudTrailFile {
  object: DemoObject;
  key: ParsedKey;
  text: string;
  records: Json[];
}

interface FlowFile {
  object: DemoObject;
  key: ParsedKey;
  header: string;
  fields: string[];
  /** Each data line split on spaces. */
  rows: string[][];
}

const cloudTrailFiles: CloudTrailFile[] = week
  .filter((o) => o.kind === "cloudtrail")
  .map((object) => {
    const text = gunzipSync(object.body).toString("utf8");
    return { object, key: parseKey(object), text, records: (JSON.parse(text) as { Records: Json[] }).Records };
  });
const events: Json[] = cloudTrailFiles.flatMap((f) => f.records);

const flowFiles: FlowFile[] = week
  .filter((o) => o.kind === "vpcflow")
  .map((object) => {
    const lines = gunzipSync(object.body).toString("utf8").split("\n");
    assert.equal(lines.pop(), "", "a flow-log file ends with a newline");
    const header = lines.shift() ?? "";
    return { object, key: parseKey(object), header, fields: header.split(" "), rows: lines.map((l) => l.split(" ")) };
  });

/** Column `field` of a flow-log row, by the file's own header. */
function col(file: FlowFile, row: string[], field: string): string {
  const i = file.fields.indexOf(field);
  assert.ok(i >= 0, `${field} is not in the header of ${file.object.key}`);
  return row[i] ?? "";
}

function named(name: string): Json[] {
  return events.filter((e) => e.eventName === name);
}

describe("generateDemoWeek", () => {
  test("generates the whole week in under 10 seconds", () => {
    assert.ok(cpuMs < 10_000, `took ${Math.round(cpuMs)} ms of CPU (${Math.round(elapsedMs)} ms wall)`);
  });

  test("is deterministic: the same seed and end give the same keys and bytes, another seed differs", () => {
    const again = generateDemoWeek({ end: END, seed: 1 });
    assert.deepEqual(
      again.map((o) => o.key),
      week.map((o) => o.key),
    );
    again.forEach((o, i) => assert.ok(o.body.equals(week[i]?.body ?? Buffer.alloc(0)), `body of ${o.key} differs`));

    const other = generateDemoWeek({ end: END, seed: 2 });
    const keys = new Set(week.map((o) => o.key));
    assert.ok(other.filter((o) => keys.has(o.key)).length < other.length / 10, "another seed should give other file names");
    const firstCloudTrail = (objects: DemoObject[]) => objects.find((o) => o.kind === "cloudtrail")?.body.toString("hex");
    assert.notEqual(firstCloudTrail(other), firstCloudTrail(week));
  });

  test("rejects an invalid end date", () => {
    assert.throws(() => generateDemoWeek({ end: new Date("not a date") }), RangeError);
  });

  test("keys follow AWS's layouts, are unique, and cover both accounts and both regions for both kinds", () => {
    assert.equal(new Set(week.map((o) => o.key)).size, week.length);
    for (const file of [...cloudTrailFiles, ...flowFiles]) {
      assert.equal(file.key.folderDate, new Date(file.key.stamp).toISOString().slice(0, 10), `date folder vs file time: ${file.object.key}`);
    }
    for (const files of [cloudTrailFiles, flowFiles]) {
      assert.deepEqual(new Set(files.map((f) => f.key.account)), new Set(ACCOUNT_IDS));
      assert.deepEqual(new Set(files.map((f) => f.key.region)), new Set(DEMO_REGIONS));
    }
    // One flow-log file per account, region and hour of the week.
    assert.equal(flowFiles.length, ACCOUNT_IDS.length * DEMO_REGIONS.length * 168);
    for (const f of flowFiles) assert.equal(new Date(f.key.stamp).getUTCMinutes(), 0);
  });

  test("counts are in the intended ranges and match the objects", () => {
    const summary = summarizeDemoWeek(week);
    assert.equal(summary.cloudTrailEvents, events.length);
    assert.equal(summary.flowRecords, flowFiles.reduce((n, f) => n + f.rows.length, 0));
    assert.equal(summary.objects, week.length);
    assert.equal(summary.gzippedBytes, week.reduce((n, o) => n + o.body.length, 0));
    assert.ok(events.length >= 20_000 && events.length <= 40_000, `${events.length} CloudTrail events`);
    assert.ok(summary.flowRecords >= 50_000 && summary.flowRecords <= 150_000, `${summary.flowRecords} flow records`);
    for (const f of cloudTrailFiles) assert.equal(f.object.records, f.records.length, f.object.key);
    for (const f of flowFiles) assert.equal(f.object.records, f.rows.length, f.object.key);
  });
});

describe("CloudTrail objects", () => {
  test("gunzip to {\"Records\":[...]} whose events have unique eventIDs, inside the week and their file's hour", () => {
    const ids = new Set<string>();
    const weekStart = END.getTime() - WEEK_MS;
    for (const { object, key, text, records } of cloudTrailFiles) {
      assert.ok(text.startsWith('{"Records":['), object.key);
      assert.ok(records.length > 0, `empty file ${object.key}`);
      const hourStart = key.stamp - (key.stamp % 3_600_000);
      for (const e of records) {
        assert.match(e.eventID, UUID_V4);
        assert.ok(!ids.has(e.eventID), `duplicate eventID ${e.eventID}`);
        ids.add(e.eventID);
        assert.match(e.eventTime, EVENT_TIME);
        const t = Date.parse(e.eventTime);
        assert.ok(t >= weekStart && t < END.getTime(), `${e.eventTime} is outside the week`);
        assert.ok(t >= hourStart && t < hourStart + 3_600_000, `${e.eventTime} is outside the hour of ${object.key}`);
        // The file is stamped with the minute of its newest event.
        assert.ok(t < key.stamp + 60_000, `${e.eventTime} is newer than ${object.key}`);
        assert.equal(e.recipientAccountId, key.account);
        assert.equal(e.awsRegion, key.region);
      }
    }
  });

  test("records carry the fields real ones do", () => {
    for (const e of events) {
      assert.ok(e.eventVersion === "1.08" || e.eventVersion === "1.09", e.eventVersion);
      assert.match(e.eventSource, /\.amazonaws\.com$/);
      assert.equal(typeof e.eventName, "string");
      assert.equal(typeof e.sourceIPAddress, "string");
      assert.equal(typeof e.userAgent, "string");
      assert.equal(typeof e.readOnly, "boolean");
      assert.ok(["AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"].includes(e.eventType), e.eventType);
      assert.ok(e.eventCategory === "Management" || e.eventCategory === "Data");
      assert.equal(e.managementEvent, e.eventCategory === "Management");
      assert.ok("requestParameters" in e && "responseElements" in e);
      if (e.eventType === "AwsApiCall") assert.equal(typeof e.requestID, "string");
      if (e.tlsDetails !== undefined) assert.match(e.tlsDetails.tlsVersion, /^TLSv1\.[23]$/);
    }
    assert.ok(events.filter((e) => e.tlsDetails !== undefined).length > events.length / 2, "most calls cross a public endpoint");
  });

  test("has every kind of identity, in its real shape", () => {
    const byType = (type: string) => events.filter((e) => e.userIdentity?.type === type);
    for (const e of byType("IAMUser").slice(0, 500)) {
      assert.match(e.userIdentity.arn ?? `arn:aws:iam::${e.recipientAccountId}:user/`, /^arn:aws:iam::\d{12}:user\//);
      assert.match(e.userIdentity.principalId, /^AIDA[A-Z2-7]{17}$/);
    }
    const assumed = byType("AssumedRole");
    assert.ok(assumed.length > 1000);
    for (const e of assumed) {
      const ctx = e.userIdentity.sessionContext;
      assert.equal(ctx.sessionIssuer.type, "Role");
      assert.match(ctx.sessionIssuer.arn, /^arn:aws:iam::\d{12}:role\//);
      assert.ok(ctx.attributes.mfaAuthenticated === "true" || ctx.attributes.mfaAuthenticated === "false");
      assert.match(ctx.attributes.creationDate, EVENT_TIME);
      assert.match(e.userIdentity.arn, /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/.+/);
      assert.match(e.userIdentity.accessKeyId, /^ASIA/);
    }
    for (const e of events) {
      const created = e.userIdentity?.sessionContext?.attributes?.creationDate;
      if (created !== undefined) assert.ok(created <= e.eventTime, `${e.userIdentity.arn} used at ${e.eventTime}, created ${created}`);
    }
    assert.ok(byType("Root").length > 0);
    const services = byType("AWSService");
    assert.ok(services.length > 0 && services.every((e) => /\.amazonaws\.com$/.test(e.userIdentity.invokedBy)));
    assert.ok(events.some((e) => e.eventType === "AwsServiceEvent"));
  });

  test("uses the user agents of the CLI, Boto3, the console and AWS itself", () => {
    const agents = new Set(events.map((e) => String(e.userAgent)));
    const some = (re: RegExp) => [...agents].some((a) => re.test(a));
    assert.ok(some(/^aws-cli\/2\./));
    assert.ok(some(/^Boto3\//));
    assert.ok(some(/^console\.amazonaws\.com$/));
    assert.ok(some(/^AWS Internal$/));
    assert.ok(some(/^Mozilla\/5\.0/));
  });

  test("has a realistic share of errors, of the usual kinds", () => {
    const failed = events.filter((e) => e.errorCode !== undefined || e.errorMessage !== undefined);
    const share = failed.length / events.length;
    assert.ok(share > 0.01 && share < 0.1, `error share ${share}`);
    const codes = new Set(failed.map((e) => e.errorCode));
    for (const code of ["AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "ThrottlingException", "NoSuchEntityException"]) {
      assert.ok(codes.has(code), `no ${code}`);
    }
    for (const e of failed) assert.equal(typeof e.errorMessage, "string");
  });

  test("a burst of failed console sign-ins for one user from one foreign address", () => {
    const failures = named("ConsoleLogin").filter((e) => e.responseElements?.ConsoleLogin === "Failure");
    for (const e of failures) assert.equal(e.errorMessage, "Failed authentication");
    const groups = new Map<string, number[]>();
    for (const e of failures) {
      const k = `${e.userIdentity.userName}|${e.sourceIPAddress}`;
      groups.set(k, [...(groups.get(k) ?? []), Date.parse(e.eventTime)]);
    }
    const burst = [...groups].find(([, times]) => times.length >= 20);
    assert.ok(burst, "no user with 20 failures from one address");
    const times = burst[1].sort((a, b) => a - b);
    assert.ok((times.at(-1) ?? 0) - (times[0] ?? 0) < 20 * 60_000, "the burst lasts under 20 minutes");
    assert.ok(!/^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(burst[0].split("|")[1] ?? ""), "from outside the organisation's addresses");
  });

  test("a root console sign-in and a sign-in without MFA", () => {
    const logins = named("ConsoleLogin");
    for (const e of logins) {
      assert.equal(e.eventSource, "signin.amazonaws.com");
      assert.equal(e.eventType, "AwsConsoleSignIn");
      assert.ok(["Yes", "No"].includes(e.additionalEventData.MFAUsed));
      assert.equal(e.additionalEventData.MobileVersion, "No");
      assert.match(e.additionalEventData.LoginTo, /^https:\/\/console\.aws\.amazon\.com\//);
    }
    const success = logins.filter((e) => e.responseElements.ConsoleLogin === "Success");
    assert.equal(success.filter((e) => e.userIdentity.type === "Root").length, 1);
    assert.ok(success.some((e) => e.userIdentity.type === "IAMUser" && e.additionalEventData.MFAUsed === "No"));
    assert.ok(success.filter((e) => e.additionalEventData.MFAUsed === "Yes").length > success.length / 2, "most sign-ins use MFA");
  });

  test("StopLogging once, then nothing from that account until StartLogging", () => {
    const [stop, ...more] = named("StopLogging");
    assert.ok(stop);
    assert.equal(more.length, 0);
    const start = named("StartLogging").find((e) => e.recipientAccountId === stop.recipientAccountId && e.eventTime > stop.eventTime);
    assert.ok(start, "logging is started again");
    const inGap = events.filter((e) => e.recipientAccountId === stop.recipientAccountId && e.eventTime > stop.eventTime && e.eventTime < start.eventTime);
    assert.deepEqual(inGap, []);
    assert.ok(named("UpdateTrail").length >= 1);
  });

  test("IAM, security group and KMS changes", () => {
    for (const name of ["CreateUser", "CreateAccessKey", "DeleteAccessKey", "PutRolePolicy", "UpdateAssumeRolePolicy"]) {
      assert.ok(named(name).some((e) => e.errorCode === undefined), `no successful ${name}`);
    }
    for (const e of named("CreateUser")) assert.equal(e.awsRegion, "us-east-1", "IAM is a global service recorded in us-east-1");
    assert.ok(named("AttachUserPolicy").some((e) => e.requestParameters.policyArn === "arn:aws:iam::aws:policy/AdministratorAccess"));
    const openSsh = named("AuthorizeSecurityGroupIngress").filter((e) =>
      e.requestParameters.ipPermissions.items.some(
        (p: Json) => p.fromPort === 22 && p.ipRanges.items.some((r: Json) => r.cidrIp === "0.0.0.0/0"),
      ),
    );
    assert.equal(openSsh.length, 1);
    assert.equal(named("ScheduleKeyDeletion").length, 1);
    assert.equal(named("ScheduleKeyDeletion")[0]?.requestParameters.pendingWindowInDays, 7);
  });

  test("S3 data events in the data-event shape", () => {
    for (const name of ["GetObject", "PutObject", "DeleteObject"]) {
      const data = named(name);
      assert.ok(data.length > 0, `no ${name}`);
      for (const e of data) {
        assert.equal(e.eventCategory, "Data");
        assert.equal(e.managementEvent, false);
        assert.equal(e.readOnly, name === "GetObject");
        assert.equal(typeof e.requestParameters.bucketName, "string");
        assert.equal(typeof e.requestParameters.key, "string");
        assert.deepEqual(
          e.resources.map((r: Json) => r.type),
          ["AWS::S3::Object", "AWS::S3::Bucket"],
        );
        assert.equal(e.resources[0].ARN, `arn:aws:s3:::${e.requestParameters.bucketName}/${e.requestParameters.key}`);
      }
    }
  });

  test("IAM Identity Center sign-ins, then federation into staging that says MFAUsed: No", () => {
    const portal = named("UserAuthentication");
    assert.ok(portal.length >= 3, `${portal.length} portal sign-ins`);
    for (const e of portal) {
      assert.equal(e.eventSource, "signin.amazonaws.com");
      assert.equal(e.eventType, "AwsServiceEvent");
      assert.equal(e.userIdentity.type, "IdentityCenterUser");
      assert.match(e.additionalEventData.UserName, /@examplecorp\.com$/);
      assert.ok(["Success", "Failure"].includes(e.serviceEventDetails.UserAuthentication));
    }
    const saml = named("AssumeRoleWithSAML");
    assert.ok(saml.length > 0 && saml.every((e) => e.userIdentity.type === "SAMLUser" && /AWSReservedSSO_/.test(e.requestParameters.roleArn)));
    const federated = named("ConsoleLogin").filter((e) => e.userIdentity.type === "AssumedRole");
    assert.ok(federated.length > 0);
    for (const e of federated) {
      assert.match(e.userIdentity.sessionContext.sessionIssuer.userName, /^AWSReservedSSO_/);
      assert.equal(e.additionalEventData.MFAUsed, "No");
      assert.equal(e.recipientAccountId, "444455556666");
    }
  });

  test("a custom identity broker: GetFederationToken, GetSigninToken, a federated user's console sign-in", () => {
    const tokens = named("GetFederationToken");
    assert.ok(tokens.length > 0);
    const signin = named("GetSigninToken");
    assert.ok(signin.length > 0 && signin.every((e) => e.userIdentity.type === "FederatedUser" && e.eventSource === "signin.amazonaws.com"));
    assert.ok(named("ConsoleLogin").some((e) => e.userIdentity.type === "FederatedUser"));
  });

  test("developer-readonly sessions carry their person as source identity; the incident response is a role chain", () => {
    const assumed = named("AssumeRole").filter((e) => String(e.requestParameters.roleArn).endsWith("role/developer-readonly"));
    assert.ok(assumed.length > 0 && assumed.every((e) => e.requestParameters.sourceIdentity === e.userIdentity.userName));
    const chained = named("AssumeRole").filter((e) => e.userIdentity.type === "AssumedRole");
    assert.equal(chained.length, 1);
    assert.equal(chained[0]?.userIdentity.sessionContext.sourceIdentity, "alice.nguyen");
    const cleanup = named("DeleteUser").find((e) => e.requestParameters.userName === "svc-reporting");
    assert.ok(cleanup, "svc-reporting is removed");
    assert.match(cleanup.userIdentity.arn, /assumed-role\/OrganizationAccountAccessRole\/alice-incident$/);
    assert.ok(named("DetachUserPolicy").some((e) => e.requestParameters.policyArn === "arn:aws:iam::aws:policy/AdministratorAccess"));
  });

  test("the public assets bucket: opened on day 2, then read anonymously; a vendor reads the data lake from its own account", () => {
    const [pab] = named("PutBucketPublicAccessBlock");
    const [policy] = named("PutBucketPolicy");
    assert.ok(pab && policy);
    assert.equal(pab.requestParameters.PublicAccessBlockConfiguration.BlockPublicPolicy, false);
    const anonymous = events.filter((e) => e.userIdentity?.accountId === "anonymous");
    assert.ok(anonymous.length > 50, `${anonymous.length} anonymous reads`);
    assert.ok(anonymous.every((e) => e.eventName === "GetObject" && e.eventTime > policy.eventTime && e.requestParameters.bucketName === "examplecorp-prod-public-assets"));
    const partner = events.filter((e) => e.eventSource === "s3.amazonaws.com" && e.userIdentity?.accountId === "999900001111");
    assert.ok(partner.length > 20);
    assert.ok(partner.every((e) => e.recipientAccountId === "111122223333" && e.awsRegion === "eu-west-1"));
    assert.ok(partner.some((e) => e.errorCode === "AccessDenied"));
    assert.ok(partner.filter((e) => !e.errorCode).every((e) => e.additionalEventData.bytesTransferredOut > 0));
  });

  test("a network ACL entry refusing RDP", () => {
    assert.ok(named("CreateNetworkAclEntry").some((e) => e.requestParameters.portRange.from === 3389));
  });

  test("follows a business-hours rhythm", () => {
    const humans = events.filter((e) => e.userIdentity?.type === "IAMUser" && /^(aws-cli|AWS Internal|console)/.test(String(e.userAgent)));
    const hourOf = (e: Json) => new Date(e.eventTime).getUTCHours();
    const day = humans.filter((e) => hourOf(e) >= 8 && hourOf(e) < 17).length;
    const night = humans.filter((e) => hourOf(e) < 5).length;
    assert.ok(day > 10 * Math.max(night, 1), `day ${day}, night ${night}`);
  });
});

describe("VPC flow-log objects", () => {
  test("start with a header; every line has as many fields as the header", () => {
    for (const f of flowFiles) {
      const expected = f.key.account === "111122223333" ? V2_HEADER : V5_HEADER;
      assert.equal(f.header, expected, f.object.key);
      for (const row of f.rows) assert.equal(row.length, f.fields.length, `${f.object.key}: ${row.join(" ")}`);
    }
  });

  test("values are well formed, and start/end lie inside the file's hour and the week", () => {
    const weekStart = Math.ceil((END.getTime() - WEEK_MS) / 1000);
    for (const f of flowFiles) {
      const hour = f.key.stamp / 1000;
      const version = f.header === V2_HEADER ? "2" : "5";
      for (const row of f.rows) {
        const start = Number(col(f, row, "start"));
        const end = Number(col(f, row, "end"));
        assert.equal(col(f, row, "version"), version);
        assert.equal(col(f, row, "account-id"), f.key.account);
        assert.match(col(f, row, "interface-id"), /^eni-[0-9a-f]{17}$/);
        assert.ok(start >= hour && end < hour + 3600 && start <= end, `${f.object.key}: ${row.join(" ")}`);
        assert.ok(start >= weekStart && end < END.getTime() / 1000);
        const status = col(f, row, "log-status");
        if (status === "OK") {
          assert.ok(["ACCEPT", "REJECT"].includes(col(f, row, "action")));
          assert.ok(["6", "17"].includes(col(f, row, "protocol")));
          assert.ok(Number(col(f, row, "packets")) >= 1 && Number(col(f, row, "bytes")) >= 40);
        } else {
          assert.ok(status === "NODATA" || status === "SKIPDATA", status);
          for (const field of ["srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "action"]) assert.equal(col(f, row, field), "-");
        }
        if (version === "5") {
          assert.equal(col(f, row, "region"), f.key.region);
          const direction = col(f, row, "flow-direction");
          assert.ok(status === "OK" ? direction === "ingress" || direction === "egress" : direction === "-");
          if (direction !== "egress") assert.equal(col(f, row, "traffic-path"), "-", "traffic-path is only for egress");
        }
      }
    }
    const statuses = flowFiles.flatMap((f) => f.rows.map((r) => col(f, r, "log-status")));
    assert.ok(statuses.includes("NODATA") && statuses.includes("SKIPDATA"));
    assert.ok(statuses.filter((s) => s !== "OK").length < 100, "only a few NODATA / SKIPDATA lines");
  });

  test("normal traffic: HTTPS, PostgreSQL and DNS, accepted", () => {
    const seen = new Set<string>();
    for (const f of flowFiles) {
      for (const row of f.rows) {
        if (col(f, row, "action") === "ACCEPT") seen.add(`${col(f, row, "protocol")}/${col(f, row, "dstport")}`);
      }
    }
    for (const want of ["6/443", "6/80", "6/5432", "17/53"]) assert.ok(seen.has(want), `no accepted ${want}`);
  });

  test("a port scan: one source hits at least 50 ports of one host within an hour, mostly refused", () => {
    let found = false;
    for (const f of flowFiles) {
      const bySource = new Map<string, { ports: Set<string>; rejected: number; total: number }>();
      for (const row of f.rows) {
        if (col(f, row, "log-status") !== "OK" || !col(f, row, "dstaddr").startsWith("10.")) continue;
        const k = `${col(f, row, "srcaddr")}>${col(f, row, "dstaddr")}`;
        const entry = bySource.get(k) ?? { ports: new Set(), rejected: 0, total: 0 };
        entry.ports.add(col(f, row, "dstport"));
        entry.total += 1;
        if (col(f, row, "action") === "REJECT") entry.rejected += 1;
        bySource.set(k, entry);
      }
      for (const [, e] of bySource) {
        if (e.ports.size >= 50 && e.rejected / e.total > 0.9) found = true;
      }
    }
    assert.ok(found);
  });

  test("RDP (3389) from public addresses, refused", () => {
    const rdp = flowFiles.flatMap((f) => f.rows.filter((r) => col(f, r, "dstport") === "3389" && !col(f, r, "srcaddr").startsWith("10.")).map((r) => col(f, r, "action")));
    assert.ok(rdp.length > 5, `${rdp.length} RDP attempts`);
    assert.ok(rdp.every((a) => a === "REJECT"));
  });

  test("an SSH probe: a couple of addresses, each with many attempts on port 22 in an hour", () => {
    const attempts = new Map<string, number>();
    for (const f of flowFiles) {
      const perSource = new Map<string, number>();
      for (const row of f.rows) {
        if (col(f, row, "dstport") === "22") perSource.set(col(f, row, "srcaddr"), (perSource.get(col(f, row, "srcaddr")) ?? 0) + 1);
      }
      for (const [source, n] of perSource) if (n >= 20) attempts.set(source, (attempts.get(source) ?? 0) + n);
    }
    assert.ok(attempts.size >= 2, `sources with ≥ 20 SSH attempts in an hour: ${[...attempts.keys()].join(", ")}`);
  });
});

describe("a week that does not end on the hour", () => {
  const end = new Date("2025-01-01T13:37:12.345Z");
  const odd = generateDemoWeek({ end, seed: 3 });

  test("keeps every record inside [end − 7 days, end)", () => {
    const from = end.getTime() - WEEK_MS;
    for (const o of odd) {
      const text = gunzipSync(o.body).toString("utf8");
      if (o.kind === "cloudtrail") {
        for (const e of (JSON.parse(text) as { Records: Json[] }).Records) {
          const t = Date.parse(e.eventTime);
          assert.ok(t >= from && t < end.getTime(), e.eventTime);
        }
      } else {
        const [header = "", ...lines] = text.trimEnd().split("\n");
        const fields = header.split(" ");
        const [s, e] = [fields.indexOf("start"), fields.indexOf("end")];
        for (const line of lines) {
          const row = line.split(" ");
          assert.ok(Number(row[s]) * 1000 >= from && Number(row[e]) * 1000 < end.getTime(), line);
        }
      }
    }
  });
});
