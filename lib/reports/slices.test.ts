import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CONSOLE_LOGIN, CONSOLE_LOGIN_FAILURE, FEDERATION_TOKENS, SSO_AUTHENTICATION } from "./sign-in-selections";
import { IAM_CHANGES } from "./iam-audit";
import type { Selection } from "./selection";
import { sliceFor } from "./slices";

describe("sliceFor", () => {
  it("finds the slice holding every record of the Login audit's and IAM audit's selections", () => {
    for (const selection of [CONSOLE_LOGIN, CONSOLE_LOGIN_FAILURE, SSO_AUTHENTICATION, FEDERATION_TOKENS]) assert.equal(sliceFor("cloudtrail", [selection])?.name, "signins");
    assert.equal(sliceFor("cloudtrail", [IAM_CHANGES])?.name, "iam-writes");
    assert.equal(sliceFor("cloudtrail", [CONSOLE_LOGIN, SSO_AUTHENTICATION])?.name, "signins", "several selections in one slice");
  });

  it("refuses selections that may reach beyond a slice", () => {
    const cases: (Selection | undefined)[] = [
      undefined,
      {},
      { include: { eventName: ["ConsoleLogin", "AssumeRole"] } },
      { include: { eventName: "Console*" } },
      { include: { eventSource: "iam.amazonaws.com" } }, // IAM reads are not in "iam-writes"
      { include: { eventSource: "iam.amazonaws.com" }, exclude: { errorCode: "*" } },
    ];
    for (const selection of cases) assert.equal(sliceFor("cloudtrail", [selection]), null, JSON.stringify(selection));
    assert.equal(sliceFor("cloudtrail", [CONSOLE_LOGIN, IAM_CHANGES]), null, "no slice holds both");
    assert.equal(sliceFor("vpcflow", [CONSOLE_LOGIN]), null, "flow records have no slices");
  });

  it("finds the cross-account slice only for rows whose caller and trail accounts differ, anonymous callers left out", () => {
    const s3NotAnonymous: Selection = { include: { eventSource: "s3.amazonaws.com" }, exclude: { "userIdentity.accountId": "anonymous" } };
    assert.equal(sliceFor("cloudtrail", [s3NotAnonymous], ["recipientAccountId", "userIdentity.accountId"])?.name, "cross-account");
    assert.equal(sliceFor("cloudtrail", [s3NotAnonymous], ["userIdentity.accountId", "recipientAccountId"])?.name, "cross-account", "either order");
    assert.equal(sliceFor("cloudtrail", [s3NotAnonymous]), null, "without the fields differing");
    assert.equal(sliceFor("cloudtrail", [s3NotAnonymous], ["recipientAccountId", "userIdentity.arn"]), null, "other fields differing");
    assert.equal(sliceFor("cloudtrail", [{ include: { eventSource: "s3.amazonaws.com" } }], ["recipientAccountId", "userIdentity.accountId"]), null, "anonymous callers not excluded");
  });
});
