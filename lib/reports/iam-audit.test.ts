import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, roleSession, storeCloudTrail } from "../../test/support/ingest-fixture";
import { linkedCount, type RawRecord } from "../../test/support/search-link-oracle";
import {
  accessDeniedByPrincipal,
  accessKeysCreated,
  assumeRoleActivity,
  fullAccessGrants,
  iamAuditReport,
  iamChangesByPrincipal,
  iamChangesOverTime,
  iamKpis,
  sessionArnOf,
} from "./iam-audit";

let db: TestDatabase;

const PROD = "111122223333";
const scope = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z") };
const alice = iamUser("alice");
const legacy = iamUser("legacy.admin");
const terraform = iamUser("terraform");
const reader = roleSession("developer-readonly", "dev.patel");
const iam = (time: string, eventName: string, userIdentity: Record<string, unknown>, requestParameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): RawRecord =>
  cloudTrailEvent({ eventTime: time, eventSource: "iam.amazonaws.com", eventName, userIdentity, requestParameters, readOnly: false, ...extra });
const doc = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const denied = { errorCode: "AccessDenied", errorMessage: "User is not authorized" };

const events: RawRecord[] = [
  iam("2026-11-20T09:00:00Z", "CreateUser", legacy, { userName: "svc-reporting" }),
  iam("2026-11-20T09:01:00Z", "CreateAccessKey", legacy, { userName: "svc-reporting" }, { responseElements: { accessKey: { accessKeyId: "AKIAEXAMPLE0000001", userName: "svc-reporting", status: "Active" } } }),
  iam("2026-11-20T09:02:00Z", "AttachUserPolicy", legacy, { userName: "svc-reporting", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
  iam("2026-11-20T10:00:00Z", "CreateAccessKey", alice, {}, { responseElements: { accessKey: { accessKeyId: "AKIAEXAMPLE0000002", userName: "alice" } } }), // her own
  iam("2026-11-20T10:30:00Z", "PutRolePolicy", terraform, { roleName: "app", policyName: "kms", policyDocument: doc({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*" }) }),
  iam("2026-11-20T10:31:00Z", "PutRolePolicy", terraform, { roleName: "ops", policyName: "all", policyDocument: encodeURIComponent(doc({ Effect: "Allow", Action: "*", Resource: "*" })) }),
  iam("2026-11-20T11:00:00Z", "UpdateAssumeRolePolicy", terraform, { roleName: "deploy", policyDocument: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }) }),
  iam("2026-11-20T11:05:00Z", "EnableMFADevice", alice, { userName: "alice", serialNumber: "arn:aws:iam::111122223333:mfa/alice" }),
  iam("2026-11-20T11:10:00Z", "CreateSAMLProvider", terraform, { name: "okta" }), // not in a category: "other"
  iam("2026-11-20T12:00:00Z", "DeleteUser", reader, { userName: "alice" }, denied), // a failed change
  iam("2026-11-20T12:01:00Z", "GetUser", alice, { userName: "bob" }, { readOnly: true }), // a read: not a change
  // denied elsewhere
  cloudTrailEvent({ eventTime: "2026-11-20T12:05:00Z", eventSource: "ec2.amazonaws.com", eventName: "RebootInstances", userIdentity: reader, errorCode: "Client.UnauthorizedOperation", errorMessage: "You are not authorized" }),
  cloudTrailEvent({ eventTime: "2026-11-20T12:06:00Z", eventSource: "ssm.amazonaws.com", eventName: "GetParameter", userIdentity: reader, errorCode: "AccessDeniedException", errorMessage: "not authorized" }),
  cloudTrailEvent({ eventTime: "2026-11-20T12:07:00Z", eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances", userIdentity: reader, errorCode: "RequestLimitExceeded", errorMessage: "slow down" }),
  // role assumption: a person with a source identity, then role chaining from that session, and a service
  cloudTrailEvent({
    eventTime: "2026-11-20T13:00:00Z",
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    userIdentity: alice,
    requestParameters: { roleArn: `arn:aws:iam::${PROD}:role/security-audit`, roleSessionName: "alice", sourceIdentity: "alice" },
    responseElements: { assumedRoleUser: { arn: `arn:aws:sts::${PROD}:assumed-role/security-audit/alice` } },
  }),
  cloudTrailEvent({
    eventTime: "2026-11-20T13:05:00Z",
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    userIdentity: roleSession("security-audit", "alice", PROD, { sourceIdentity: "alice" }),
    requestParameters: { roleArn: `arn:aws:iam::${PROD}:role/admin/OrganizationAccountAccessRole`, roleSessionName: "alice-break-glass" },
  }),
  cloudTrailEvent({ eventTime: "2026-11-20T13:06:00Z", eventSource: "iam.amazonaws.com", eventName: "ListUsers", readOnly: true, userIdentity: roleSession("OrganizationAccountAccessRole", "alice-break-glass") }),
  cloudTrailEvent({ eventTime: "2026-11-20T13:07:00Z", eventSource: "iam.amazonaws.com", eventName: "ListRoles", readOnly: true, userIdentity: roleSession("OrganizationAccountAccessRole", "alice-break-glass") }),
  ...[0, 1].map((i) =>
    cloudTrailEvent({
      eventTime: `2026-11-20T14:0${i}:00Z`,
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      userIdentity: { type: "AWSService", invokedBy: "lambda.amazonaws.com" },
      sourceIPAddress: "lambda.amazonaws.com",
      requestParameters: { roleArn: `arn:aws:iam::${PROD}:role/service-role/ingest-lambda`, roleSessionName: "events-ingest" },
    }),
  ),
  // outside the scope
  iam("2026-11-19T09:00:00Z", "AttachRolePolicy", legacy, { roleName: "x", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
];

before(async () => {
  db = await createTestDatabase("iam_audit");
  await storeCloudTrail(db.pool, events);
});

after(async () => {
  await db?.drop();
});

describe("iamKpis", () => {
  it("counts changes, failures, keys, admin grants, role assumption and refusals, each linked", async () => {
    const { kpis, hrefs } = await iamKpis(scope, db.pool);
    assert.deepEqual(kpis, {
      changes: 9, // 10 IAM writes in the day, one denied
      failedChanges: 1,
      changers: 3, // legacy.admin, alice, terraform
      accessKeysCreated: 2,
      adminPolicyAttached: 1,
      assumeRoleCalls: 4,
      accessDenied: 3, // AccessDenied, Client.UnauthorizedOperation, AccessDeniedException — not RequestLimitExceeded
    });
    for (const name of Object.keys(kpis) as (keyof typeof kpis)[]) {
      if (name === "changers") continue; // a distinct count: its link lists the changes with an ARN
      assert.equal(linkedCount(hrefs[name], events), kpis[name], name);
    }
    assert.equal(linkedCount(hrefs.changers, events), 9);
  });
});

describe("iamChangesOverTime", () => {
  it("has one series per category plus other changes, every bar linked", async () => {
    const { series, points } = await iamChangesOverTime(scope, db.pool);
    const totals = Object.fromEntries(series.map((s) => [s.key, points.reduce((n, p) => n + (p as unknown as Record<string, number>)[s.key]!, 0)]));
    assert.deepEqual(totals, { users: 1, groups: 0, roles: 0, trust: 1, policies: 3, accessKeys: 2, loginProfiles: 0, mfa: 1, other: 1 });
    for (const p of points) for (const s of series) assert.equal(linkedCount(p.hrefs[s.key]!, events), (p as unknown as Record<string, number>)[s.key], `${s.key} ${p.bucketStart.toISOString()}`);
  });
});

describe("who changed what", () => {
  it("ranks principals by successful changes, with failures and distinct calls", async () => {
    const rows = await iamChangesByPrincipal(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.principal, r.values]), [
      [terraform.arn, { changes: 4, failed: 0, actions: 3 }],
      [legacy.arn, { changes: 3, failed: 0, actions: 3 }],
      [alice.arn, { changes: 2, failed: 0, actions: 2 }],
      [reader.arn, { changes: 0, failed: 1, actions: 0 }],
    ]);
    for (const r of rows) {
      assert.equal(linkedCount(r.hrefs.changes, events), r.values.changes);
      assert.equal(linkedCount(r.hrefs.failed, events), r.values.failed);
    }
  });

  it("lists access keys with who created them for whom", async () => {
    const rows = await accessKeysCreated(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.principal, r.target, r.fields.accessKeyId]), [
      [alice.arn, alice.arn, "AKIAEXAMPLE0000002"], // no userName: her own key
      [legacy.arn, "svc-reporting", "AKIAEXAMPLE0000001"],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.href, events), 1);
  });

  it("finds AdministratorAccess and * on * grants, URL-encoded documents included, not trust policies", async () => {
    const { grants, truncated } = await fullAccessGrants(scope, db.pool);
    assert.equal(truncated, false);
    assert.deepEqual(grants.map((g) => [g.eventName, g.target, g.reason]), [
      ["PutRolePolicy", "role ops", "allows * on *"],
      ["AttachUserPolicy", "user svc-reporting", "AdministratorAccess attached"],
    ]);
    for (const g of grants) assert.equal(linkedCount(g.href, events), 1);
  });
});

describe("assumeRoleActivity", () => {
  it("shows role → session → source identity, role chaining and what the sessions did", async () => {
    const rows = await assumeRoleActivity(scope, db.pool);
    assert.deepEqual(
      rows.map((r) => [r.key.role, r.key.session, r.key.caller, r.key.sourceIdentity, r.values.calls, r.chained, r.sessionCalls.value]),
      [
        [`arn:aws:iam::${PROD}:role/service-role/ingest-lambda`, "events-ingest", "lambda.amazonaws.com", null, 2, false, 0],
        [`arn:aws:iam::${PROD}:role/admin/OrganizationAccountAccessRole`, "alice-break-glass", `arn:aws:sts::${PROD}:assumed-role/security-audit/alice`, null, 1, true, 2],
        [`arn:aws:iam::${PROD}:role/security-audit`, "alice", alice.arn, "alice", 1, false, 1],
      ],
    );
    for (const r of rows) {
      assert.equal(linkedCount(r.hrefs.calls, events), r.values.calls);
      if (r.sessionCalls.value > 0) assert.equal(linkedCount(r.sessionCalls.href, events), r.sessionCalls.value);
    }
  });

  it("derives session ARNs from role ARNs in any partition and path", () => {
    assert.equal(sessionArnOf("arn:aws:iam::111122223333:role/a/b/Deploy", "ci"), "arn:aws:sts::111122223333:assumed-role/Deploy/ci");
    assert.equal(sessionArnOf("arn:aws-cn:iam::111122223333:role/Deploy", "ci"), "arn:aws-cn:sts::111122223333:assumed-role/Deploy/ci");
    assert.equal(sessionArnOf("not an arn", "ci"), null);
    assert.equal(sessionArnOf("arn:aws:iam::111122223333:role/Deploy", null), null);
  });
});

describe("accessDeniedByPrincipal", () => {
  it("counts refusals of every service per principal, with distinct actions and services", async () => {
    const rows = await accessDeniedByPrincipal(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.principal, r.values]), [[reader.arn, { denied: 3, actions: 3, services: 3 }]]);
    assert.equal(linkedCount(rows[0]!.hrefs.denied, events), 3);
  });
});

describe("iamAuditReport", () => {
  it("assembles every panel", async () => {
    const report = await iamAuditReport(scope, db.pool);
    assert.equal(report.kpis.changes, 9);
    assert.equal(report.changesOverTime.series.length, 9);
    assert.equal(report.assumeRole.length, 3);
  });
});
