import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { SHARED_SAMPLES } from "../../test/support/samples";
import { actorLabel, describeActor } from "./describe-actor";
import { changeHistory, describeChange } from "./describe-change";
import { diffStatements, parsePolicyDocument, statementWords } from "./policy-statements";
import { csvCell } from "./export-search";
import { agentName, summarizeEvent } from "./summarize-event";

// Unit tests of the words of the event page: actor, summary, decoded change. Records follow AWS's
// documented shapes; the corpus test at the bottom runs every sample event of ../shared/samples.

const alice = { type: "IAMUser", principalId: "AIDAALICE", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333", accessKeyId: "AKIAALICE", userName: "alice" };

describe("summarizeEvent", () => {
  it("says who did what to whom, from where, with what, and how it ended", () => {
    const r = {
      eventName: "CreateAccessKey", eventSource: "iam.amazonaws.com", userIdentity: alice, sourceIPAddress: "198.51.100.7",
      userAgent: "aws-cli/2.17.0 Python/3.11 md/command#iam.create-access-key", requestParameters: { userName: "bob" },
      responseElements: { accessKey: { accessKeyId: "AKIANEWKEY", userName: "bob" } }, errorCode: "AccessDenied",
    };
    assert.equal(summarizeEvent(r), "alice (IAMUser, 111122223333) created access key AKIANEWKEY for bob from 198.51.100.7 using aws-cli, denied: AccessDenied");
    assert.equal(summarizeEvent({ ...r, errorCode: "ThrottlingException" }).endsWith(", failed: ThrottlingException"), true);
  });

  it("names console sign-ins, their MFA and failures", () => {
    const login = { eventName: "ConsoleLogin", userIdentity: alice, sourceIPAddress: "203.0.113.9", userAgent: "Mozilla/5.0 (X11)", additionalEventData: { MFAUsed: "No" } };
    assert.equal(summarizeEvent({ ...login, responseElements: { ConsoleLogin: "Success" } }), "alice (IAMUser, 111122223333) signed in to the console without MFA from 203.0.113.9 using a web browser");
    assert.match(summarizeEvent({ ...login, responseElements: { ConsoleLogin: "Failure" }, errorMessage: "Failed authentication" }), /, failed: Failed authentication$/);
  });

  it("falls back to the call's name in words, with its target", () => {
    assert.match(summarizeEvent({ eventName: "DescribeDBInstances", userIdentity: alice }), /described DB instances$/);
    assert.match(summarizeEvent({ eventName: "GetFunction20150331v2", userIdentity: alice, requestParameters: { functionName: "f1" } }), /read function f1$/);
    assert.match(summarizeEvent({ eventName: "Frobnicate", userIdentity: alice }), /called Frobnicate$/);
    assert.equal(summarizeEvent({}), "AWS made a call with no eventName");
    assert.equal(summarizeEvent(null), "AWS made a call with no eventName");
  });

  it("shortens user agents", () => {
    assert.deepEqual(
      ["aws-cli/2.1 Python", "[aws-cli/2.17.0 md/x]", "Boto3/1.2", "APN/1.0 HashiCorp/1.0 Terraform/1.5.0", "aws-sdk-go/1.44", "AWS Internal", "Mozilla/5.0", "cloudformation.amazonaws.com", "EC2ConsoleBackend, aws-sdk-java", "", null].map(agentName),
      ["aws-cli", "aws-cli", "boto3", "Terraform", "the AWS SDK for go", "the AWS console", "a web browser", "cloudformation.amazonaws.com", "EC2ConsoleBackend", null, null],
    );
  });
});

describe("describeActor", () => {
  it("resolves an assumed-role session: role, session, MFA, source identity", () => {
    const actor = describeActor({
      userIdentity: {
        type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/Admin/bob-cli", accountId: "111122223333", accessKeyId: "ASIABOB",
        sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::111122223333:role/Admin", userName: "Admin" }, attributes: { creationDate: "2026-11-20T09:00:00Z", mfaAuthenticated: "true" }, sourceIdentity: "bob@example.com" },
      },
    });
    assert.equal(actor.name, "bob-cli");
    assert.deepEqual(actor.role, { name: "Admin", arn: "arn:aws:iam::111122223333:role/Admin" });
    assert.equal(actor.mfa, true);
    assert.equal(actor.sourceIdentity, "bob@example.com");
    assert.equal(actor.identityCenter, null);
    assert.equal(actorLabel(actor), "bob-cli (AssumedRole Admin, 111122223333)");
  });

  it("shows the IAM Identity Center user behind an AWSReservedSSO_* role", () => {
    const actor = describeActor({
      userIdentity: {
        type: "AssumedRole", arn: "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DevAdmin_635426549a280cc6/nicholas.hakmiller", accountId: "123456789012",
        sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DevAdmin_635426549a280cc6", userName: "AWSReservedSSO_DevAdmin_635426549a280cc6" } },
      },
    });
    assert.deepEqual(actor.identityCenter, { user: "nicholas.hakmiller", permissionSet: "DevAdmin", userId: null, identityStoreArn: null });
    assert.equal(actorLabel(actor), "nicholas.hakmiller (IAM Identity Center DevAdmin, 123456789012)");
  });

  it("names root, services, other accounts and records without identity", () => {
    assert.equal(describeActor({ userIdentity: { type: "Root", arn: "arn:aws:iam::1:root", accountId: "1" } }).name, "root");
    assert.equal(describeActor({ userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" } }).name, "cloudtrail.amazonaws.com");
    assert.equal(describeActor({ userIdentity: { type: "AWSAccount", accountId: "444455556666" } }).name, "account 444455556666");
    assert.equal(actorLabel(describeActor({ eventName: "x" })), "AWS");
    assert.equal(describeActor({ userIdentity: "not an object" }).type, null);
  });
});

describe("policy documents", () => {
  const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }] };
  it("reads objects, JSON text and URL-encoded JSON text (as CloudTrail records IAM's)", () => {
    for (const form of [doc, JSON.stringify(doc), encodeURIComponent(JSON.stringify(doc, null, 2))]) {
      assert.deepEqual(parsePolicyDocument(form)?.statements, doc.Statement);
    }
    assert.deepEqual(parsePolicyDocument({ Statement: { Effect: "Deny", Action: "*" } })?.statements, [{ Effect: "Deny", Action: "*" }]);
    assert.equal(parsePolicyDocument("%E0%A4%A"), null);
    assert.equal(parsePolicyDocument(undefined), null);
  });

  it("diffs statements by meaning: Sid, key order, lone value versus list do not count", () => {
    const diff = diffStatements(
      [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" }],
      [{ Resource: "*", Action: ["s3:GetObject"], Effect: "Allow" }, { Effect: "Allow", Action: "iam:PassRole", Resource: "*" }],
    );
    assert.deepEqual(diff.added, [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]);
    assert.deepEqual(diff.removed, [{ Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" }]);
    assert.equal(diff.unchanged.length, 1);
  });

  it("puts statements into words", () => {
    assert.equal(statementWords({ Effect: "Allow", Action: "*", Resource: "*" }), "Allow every action (*) on every resource (*)");
    assert.equal(
      statementWords({ Sid: "S", Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
      "Allow AWS arn:aws:iam::1:root sts:AssumeRole when Bool aws:MultiFactorAuthPresent = true (sid S)",
    );
    assert.equal(statementWords({ Effect: "Deny", NotAction: ["iam:ChangePassword"], NotResource: "arn:x" }), "Deny every action except iam:ChangePassword on every resource except arn:x");
  });
});

describe("describeChange", () => {
  const put = (id: string, doc: unknown, extra: object = {}) => ({
    eventID: id, eventName: "PutUserPolicy", eventSource: "iam.amazonaws.com", userIdentity: alice,
    requestParameters: { userName: "bob", policyName: "p1", policyDocument: typeof doc === "string" ? doc : encodeURIComponent(JSON.stringify(doc)) }, ...extra,
  });
  const v1 = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" }] };
  const v2 = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Allow", Action: "*", Resource: "*" }] };

  it("diffs a replaced inline policy against the previous version", () => {
    const previous = { account: "111122223333", eventId: "p", eventName: "PutUserPolicy", time: new Date("2026-11-20T09:00:00Z"), raw: put("p", v1) };
    const change = describeChange(put("n", v2), previous)!;
    assert.equal(change.subject, "inline policy p1 of IAM user bob");
    assert.deepEqual(change.added.map((i) => i.words), ["Allow every action (*) on every resource (*)"]);
    assert.deepEqual(change.added[0]!.warnings, ["full administrator access (* on *)"]);
    assert.deepEqual(change.removed.map((i) => i.words), ["Deny s3:DeleteObject on every resource (*)"]);
    assert.equal(change.unchanged.length, 1);
    assert.equal(change.baseline.kind, "previous-event");
    assert.deepEqual(changeHistory(put("n", v2))?.candidates.map((c) => c.eventName), ["PutUserPolicy", "DeleteUserPolicy"]);
  });

  it("shows every statement as added when no earlier version is stored, and says when the call failed", () => {
    const change = describeChange(put("n", v1, { errorCode: "AccessDenied" }), null)!;
    assert.equal(change.added.length, 2);
    assert.equal(change.baseline.kind, "none-stored");
    assert.match(change.failed!, /^The call failed \(AccessDenied\): nothing changed/);
    const deleted = describeChange({ eventName: "DeleteUserPolicy", requestParameters: { userName: "bob", policyName: "p1" } }, { account: "1", eventId: "p", eventName: "PutUserPolicy", time: new Date(), raw: put("p", v1) })!;
    assert.equal(deleted.removed.length, 2);
    assert.equal(deleted.added.length, 0);
  });

  it("reads security-group rules with their exposure", () => {
    const change = describeChange({
      eventName: "AuthorizeSecurityGroupIngress",
      requestParameters: { groupId: "sg-1", ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: "0.0.0.0/0", description: "temp" }] }, ipv6Ranges: {}, groups: { items: [{ groupId: "sg-2" }] } }] } },
    })!;
    assert.equal(change.subject, "inbound rules of security group sg-1");
    assert.deepEqual(change.added.map((i) => i.words), ["TCP port 22 from 0.0.0.0/0 — “temp”", "TCP port 22 from security group sg-2"]);
    assert.deepEqual(change.added[0]!.warnings, ["open to the whole internet", "SSH (port 22) reachable from anywhere"]);
    const revoke = describeChange({ eventName: "RevokeSecurityGroupEgress", requestParameters: { groupId: "sg-1", securityGroupRuleIds: { items: [{ securityGroupRuleId: "sgr-9" }] } } })!;
    assert.deepEqual(revoke.removed.map((i) => i.words), ["rule sgr-9"]);
    const all = describeChange({ eventName: "AuthorizeSecurityGroupIngress", requestParameters: { groupId: "sg-1", ipPermissions: { items: [{ ipProtocol: "-1", ipv6Ranges: { items: [{ cidrIpv6: "::/0" }] } }] } } })!;
    assert.equal(all.added[0]!.words, "all traffic from ::/0");
    assert.ok(all.added[0]!.warnings.includes("RDP (port 3389) reachable from anywhere"));
  });

  it("reads attachments, group membership, bucket policies and sharing", () => {
    assert.deepEqual(describeChange({ eventName: "AttachRolePolicy", requestParameters: { roleName: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } })!.added, [
      { words: "managed policy arn:aws:iam::aws:policy/AdministratorAccess", warnings: ["full administrator access"] },
    ]);
    assert.equal(describeChange({ eventName: "RemoveUserFromGroup", requestParameters: { userName: "u", groupName: "admins" } })!.removed[0]!.words, "IAM user u");
    const bucket = describeChange({ eventName: "PutBucketPolicy", requestParameters: { bucketName: "b", bucketPolicy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] } } }, null)!;
    assert.deepEqual(bucket.added[0]!.warnings, ["anyone (public), with no condition"]);
    const shared = describeChange({ eventName: "ModifySnapshotAttribute", requestParameters: { snapshotId: "snap-1", createVolumePermission: { add: { items: [{ userId: "999988887777" }] } } } })!;
    assert.equal(shared.added[0]!.words, "AWS account 999988887777");
    assert.equal(describeChange({ eventName: "ListUsers" }), null);
    assert.equal(describeChange("garbage"), null);
  });
});

describe("CSV cells", () => {
  it("defuse spreadsheet formulas in attacker-controlled text", () => {
    assert.deepEqual(["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "plain", -3, true, null].map((v) => csvCell(v as string)), [
      "'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "plain", "-3", "true", "",
    ]);
  });
});

describe("corpus: every CloudTrail sample event of ../shared/samples", () => {
  it("gets a summary, an actor and (for changes) decoded words, without throwing", (t) => {
    if (!existsSync(SHARED_SAMPLES)) assert.fail(`the samples folder ${SHARED_SAMPLES} is missing: this test needs ../shared/samples beside the checkout`);
    const events: unknown[] = [];
    const dirs = ["cloudtrail/elastic-integrations", "cloudtrail/elastic-beats", "cloudtrail/panther-analysis"];
    for (const dir of dirs) {
      for (const name of readdirSync(path.join(SHARED_SAMPLES, dir))) {
        if (!/\.(log|jsonl)$/.test(name)) continue;
        for (const line of readFileSync(path.join(SHARED_SAMPLES, dir, name), "utf8").split("\n")) {
          try {
            const value: unknown = JSON.parse(line);
            if (typeof value === "object" && value !== null && "eventName" in value) events.push(value);
          } catch {
            // multi-line JSON or not JSON: skipped
          }
        }
      }
    }
    const docs = path.join(SHARED_SAMPLES, "aws-docs/extracted-json");
    for (const name of readdirSync(docs)) {
      try {
        const value = JSON.parse(readFileSync(path.join(docs, name), "utf8")) as { Records?: unknown[]; eventName?: unknown };
        if (Array.isArray(value.Records)) events.push(...value.Records);
        else if (value.eventName) events.push(value);
      } catch {
        // not JSON (AWS doc snippets with ellipses)
      }
    }
    assert.ok(events.length > 400, `only ${events.length} sample events found`);
    let changes = 0;
    for (const event of events) {
      const summary = summarizeEvent(event);
      assert.ok(summary.length > 10 && !summary.includes("undefined"), summary);
      describeActor(event);
      const change = describeChange(event, null);
      if (change) {
        changes += 1;
        for (const item of [...change.added, ...change.removed]) assert.ok(!item.words.includes("undefined") && !item.words.includes("[object Object]"), item.words);
      }
    }
    t.diagnostic(`${events.length} events, ${changes} decoded changes`);
    assert.ok(changes >= 20, `only ${changes} changes decoded`);

    // Known samples, known words.
    const byName = (name: string) => events.filter((e) => (e as { eventName?: string }).eventName === name);
    const putUser = byName("PutUserPolicy").map((e) => describeChange(e, null)!).find((c) => c.added.length > 0)!;
    assert.deepEqual(putUser.added.map((i) => i.words), ["Deny every action (*) on every resource (*) (sid TestUserDenyAll)"]);
    const trust = describeChange(byName("UpdateAssumeRolePolicy")[0], null)!;
    assert.equal(trust.added[0]!.words, "Allow AWS 000000000 sts:AssumeRole (sid Statement2)");
    const sg = describeChange(byName("AuthorizeSecurityGroupIngress")[0])!;
    assert.equal(sg.added[0]!.words, "TCP port 22 from 203.0.113.0/24");
    const sso = events.map(describeActor).find((a) => a.identityCenter?.permissionSet === "SecurityAudit")!;
    assert.equal(sso.identityCenter!.user, "firstname.lastname@example.com");
  });
});
