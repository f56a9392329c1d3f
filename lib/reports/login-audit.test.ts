import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, roleSession, storeCloudTrail } from "../../test/support/ingest-fixture";
import { linkedCount, type RawRecord } from "../../test/support/search-link-oracle";
import {
  failureBurstsByIp,
  failureBurstsByUser,
  federationTokens,
  firstSeenIps,
  loginAuditReport,
  loginKpis,
  loginsBySourceIp,
  loginsByUser,
  loginsOverTime,
  mfaUsage,
  rootLogins,
  ssoSignIns,
} from "./login-audit";

// Real Postgres, fixtures through the real ingest path; expectations counted by hand and checked
// against an independent reading of every link (test/support/search-link-oracle.ts).
let db: TestDatabase;

const PROD = "111122223333";
const STAGING = "444455556666";
const scope = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z") };
const root = { type: "Root", principalId: PROD, arn: `arn:aws:iam::${PROD}:root`, accountId: PROD, accessKeyId: "" };
const sso = roleSession("AWSReservedSSO_AdministratorAccess_0123456789abcdef", "jane@example.com");

function login(time: string, user: Record<string, unknown>, result: "Success" | "Failure", ip: string, mfa: "Yes" | "No", account = PROD): RawRecord {
  // A failed sign-in has no session: AWS leaves out the ARN.
  const { arn: _arn, ...noArn } = user;
  return cloudTrailEvent({
    eventTime: time,
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: result === "Success" ? user : noArn,
    sourceIPAddress: ip,
    recipientAccountId: account,
    readOnly: false,
    requestParameters: null,
    responseElements: { ConsoleLogin: result },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: result === "Success" ? mfa : "No" },
    ...(result === "Failure" ? { errorMessage: "Failed authentication" } : {}),
  });
}

const alice = iamUser("alice");
const bob = iamUser("bob");
const hiro = iamUser("hiro");
const minutes = (base: string, m: number) => new Date(Date.parse(base) + m * 60_000).toISOString();

const events: RawRecord[] = [
  // the day before: alice's usual address (lookback for first-seen addresses)
  login("2026-11-19T09:00:00Z", alice, "Success", "203.0.113.10", "Yes"),
  // the day
  login("2026-11-20T09:00:00Z", alice, "Success", "203.0.113.10", "Yes"),
  login("2026-11-20T12:00:00Z", alice, "Success", "198.51.100.88", "Yes"), // a new address
  login("2026-11-20T08:00:00Z", hiro, "Success", "203.0.113.11", "No"), // no MFA; hiro's first sign-in ever
  login("2026-11-20T07:48:00Z", root, "Success", "203.0.113.11", "Yes"),
  // bob: six failures 2 minutes apart (a burst), then two stray ones hours later (not a burst)
  ...[0, 2, 4, 6, 8, 10].map((m) => login(minutes("2026-11-20T03:10:00Z", m), bob, "Failure", "175.16.199.45", "No")),
  login("2026-11-20T15:00:00Z", bob, "Failure", "175.16.199.45", "No"),
  login("2026-11-20T16:00:00Z", bob, "Failure", "175.16.199.45", "No"),
  login("2026-11-20T13:00:00Z", alice, "Failure", "203.0.113.10", "No", STAGING),
  // federated sign-in through IAM Identity Center: a role session, MFAUsed No
  login("2026-11-20T10:00:00Z", sso, "Success", "192.0.2.50", "No"),
  // IAM Identity Center's own sign-ins
  ...["Success", "Success", "Failure"].map((result, i) =>
    cloudTrailEvent({
      eventTime: minutes("2026-11-20T09:55:00Z", i),
      eventSource: "signin.amazonaws.com",
      eventName: "UserAuthentication",
      eventType: "AwsServiceEvent",
      userIdentity: { type: "IdentityCenterUser", accountId: PROD, onBehalfOf: { userId: "u-1", identityStoreArn: "arn:aws:identitystore::111122223333:identitystore/d-1" } },
      sourceIPAddress: "192.0.2.50",
      additionalEventData: { UserName: "jane@example.com", CredentialType: "PASSWORD" },
      serviceEventDetails: { UserAuthentication: result },
      readOnly: false,
    }),
  ),
  // a custom federation broker: GetFederationToken, then GetSigninToken with the federated session
  cloudTrailEvent({ eventTime: "2026-11-20T14:00:00Z", eventSource: "sts.amazonaws.com", eventName: "GetFederationToken", userIdentity: iamUser("broker"), sourceIPAddress: "198.51.100.40" }),
  cloudTrailEvent({
    eventTime: "2026-11-20T14:00:05Z",
    eventSource: "signin.amazonaws.com",
    eventName: "GetSigninToken",
    eventType: "AwsConsoleSignIn",
    userIdentity: { type: "FederatedUser", principalId: `${PROD}:carol`, arn: `arn:aws:sts::${PROD}:federated-user/carol`, accountId: PROD },
    sourceIPAddress: "198.51.100.40",
    responseElements: { GetSigninToken: "Success" },
  }),
  // unrelated noise
  cloudTrailEvent({ eventTime: "2026-11-20T11:00:00Z", eventName: "DescribeInstances", userIdentity: alice, readOnly: true }),
];

before(async () => {
  db = await createTestDatabase("login_audit");
  await storeCloudTrail(db.pool, events);
});

after(async () => {
  await db?.drop();
});

describe("loginKpis", () => {
  it("counts sign-ins by result, MFA, root, federation and Identity Center, each linked to its events", async () => {
    const { kpis, hrefs } = await loginKpis(scope, db.pool);
    assert.deepEqual(kpis, {
      consoleLogins: 14, // 5 successes, 9 failures in the day
      successes: 5,
      failures: 9,
      withoutMfa: 1, // hiro (the federated one is counted apart)
      rootLogins: 1,
      federatedLogins: 1,
      ssoAuthentications: 3,
      federationTokens: 2,
    });
    for (const name of Object.keys(kpis) as (keyof typeof kpis)[]) assert.equal(linkedCount(hrefs[name], events), kpis[name], name);
  });

  it("narrows to one account", async () => {
    const { kpis, hrefs } = await loginKpis({ ...scope, account: STAGING }, db.pool);
    assert.equal(kpis.consoleLogins, 1);
    assert.equal(linkedCount(hrefs.failures, events), 1);
  });
});

describe("loginsOverTime", () => {
  it("splits success and failure per hour, each bar linked", async () => {
    const { bucket, points } = await loginsOverTime(scope, db.pool);
    assert.equal(bucket, "hour");
    assert.equal(points.length, 24);
    assert.deepEqual(points[3], { ...points[3]!, success: 0, failure: 6 });
    assert.deepEqual(points[9], { ...points[9]!, success: 1, failure: 0 });
    for (const p of points) {
      assert.equal(linkedCount(p.hrefs.success, events), p.success);
      assert.equal(linkedCount(p.hrefs.failure, events), p.failure);
    }
  });
});

describe("by user and by source IP", () => {
  it("groups a user's failures (no ARN) with their successes, per account", async () => {
    const rows = await loginsByUser(scope, db.pool);
    const row = (account: string, user: string) => rows.find((r) => r.key.account === account && r.key.user === user);
    assert.deepEqual(row(PROD, "bob")?.values, { logins: 8, successes: 0, failures: 8, withMfa: 0, sourceIps: 1 });
    assert.deepEqual(row(PROD, "alice")?.values, { logins: 2, successes: 2, failures: 0, withMfa: 2, sourceIps: 2 });
    assert.deepEqual(row(STAGING, "alice")?.values, { logins: 1, successes: 0, failures: 1, withMfa: 0, sourceIps: 1 });
    assert.equal(row(PROD, root.arn)?.keyField.user, "userIdentity.arn", "root has no user name: keyed by ARN");
    for (const r of rows) for (const [m, href] of Object.entries(r.hrefs)) if (m !== "sourceIps") assert.equal(linkedCount(href, events), r.values[m as "logins"], `${r.key.user} ${m}`);
  });

  it("groups by source address with distinct users", async () => {
    const rows = await loginsBySourceIp(scope, db.pool);
    assert.deepEqual(rows[0]?.key, { ip: "175.16.199.45" });
    assert.deepEqual(rows[0]?.values, { logins: 8, successes: 0, failures: 8, users: 1 });
    const office = rows.find((r) => r.key.ip === "203.0.113.11");
    assert.equal(office?.values.users, 2); // hiro and root
    for (const r of rows) assert.equal(linkedCount(r.hrefs.logins, events), r.values.logins);
  });
});

describe("MFA, root and federation", () => {
  it("counts MFA only on IAM-user and root sign-ins", async () => {
    const mfa = await mfaUsage(scope, db.pool);
    assert.equal(mfa.withMfa.value, 3); // alice twice, root
    assert.equal(mfa.withoutMfa.value, 1); // hiro
    assert.equal(linkedCount(mfa.withMfa.href, events), 3);
    assert.equal(linkedCount(mfa.withoutMfa.href, events), 1);
    assert.deepEqual(mfa.withoutMfaByUser.map((r) => r.key.user), ["hiro"]);
  });

  it("lists root sign-ins with their result and MFA", async () => {
    const rows = await rootLogins(scope, db.pool);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0]!.fields, { result: "Success", mfaUsed: "Yes" });
    assert.equal(linkedCount(rows[0]!.href, events), 1);
  });

  it("shows Identity Center sign-ins per user and federated console sign-ins per role session", async () => {
    const { identityCenter, federated } = await ssoSignIns(scope, db.pool);
    assert.deepEqual(identityCenter.map((r) => [r.key.user, r.values]), [["jane@example.com", { attempts: 3, successes: 2, failures: 1, sourceIps: 1 }]]);
    assert.equal(linkedCount(identityCenter[0]!.hrefs.failures, events), 1);
    assert.deepEqual(federated.map((r) => [r.key.role, r.key.principal, r.values.logins]), [["AWSReservedSSO_AdministratorAccess_0123456789abcdef", sso.arn, 1]]);
    assert.equal(linkedCount(federated[0]!.href, events), 1);
  });

  it("lists federation tokens per caller", async () => {
    const rows = await federationTokens(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.name, r.key.principal]).sort(), [
      ["GetFederationToken", "arn:aws:iam::111122223333:user/broker"],
      ["GetSigninToken", `arn:aws:sts::${PROD}:federated-user/carol`],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), 1);
  });
});

describe("failure bursts and first-seen addresses", () => {
  it("finds the burst of six failures per user and per address, not the stray ones", async () => {
    const byUser = await failureBurstsByUser(scope, db.pool);
    assert.equal(byUser.length, 1);
    assert.deepEqual([byUser[0]!.key, byUser[0]!.count, byUser[0]!.distinct.sourceIps], [{ account: PROD, user: "bob" }, 6, 1]);
    assert.deepEqual([byUser[0]!.first, byUser[0]!.last], [new Date("2026-11-20T03:10:00Z"), new Date("2026-11-20T03:20:00Z")]);
    assert.equal(linkedCount(byUser[0]!.href, events), 6);
    const byIp = await failureBurstsByIp(scope, db.pool);
    assert.deepEqual(byIp.map((b) => [b.key.ip, b.count, b.distinct.users]), [["175.16.199.45", 6, 1]]);
    assert.equal(linkedCount(byIp[0]!.href, events), 6);
  });

  it("lists addresses a user signed in from for the first time in the range", async () => {
    const rows = await firstSeenIps(scope, db.pool);
    const seen = rows.map((r) => [r.key.user, r.key.ip, r.count]);
    assert.deepEqual(seen, [
      ["alice", "198.51.100.88", 1],
      [sso.arn, "192.0.2.50", 1], // a federated session: keyed by its ARN
      ["hiro", "203.0.113.11", 1],
      [root.arn, "203.0.113.11", 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), r.count);
  });
});

describe("loginAuditReport", () => {
  it("assembles every panel", async () => {
    const report = await loginAuditReport(scope, db.pool);
    assert.equal(report.kpis.consoleLogins, 14);
    assert.equal(report.loginsOverTime.length, 24);
    assert.equal(report.failureBurstsByUser.length, 1);
  });
});
