import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ASSUME_ROLE } from "./change-catalogue";
import { CONSOLE_LOGIN, CONSOLE_LOGIN_FAILURE, FEDERATION_TOKENS } from "./sign-in-selections";
import { rollupFor } from "./rollups";
import type { Selection } from "./selection";

describe("rollupFor", () => {
  const SESSION_FIELDS = ["eventSource", "eventName", "requestParameters.roleArn", "requestParameters.roleSessionName", "userIdentity.arn", "errorCode"];
  const LOGIN_FIELDS = ["eventSource", "eventName", "responseElements.ConsoleLogin", "additionalEventData.MFAUsed"];

  it("serves a panel within a rollup's selection from it", () => {
    assert.equal(rollupFor("cloudtrail", SESSION_FIELDS, [], [ASSUME_ROLE])?.name, "sessions");
    const oneCall = { include: { eventSource: "sts.amazonaws.com", eventName: "AssumeRoleWithSAML" } };
    assert.equal(rollupFor("cloudtrail", SESSION_FIELDS, [], [oneCall])?.name, "sessions", "a narrower selection");
    assert.equal(rollupFor("cloudtrail", ["eventSource", "eventName"], [], [ASSUME_ROLE])?.name, "names", "a narrower rollup listed first still wins");
    assert.equal(rollupFor("cloudtrail", LOGIN_FIELDS, [], [CONSOLE_LOGIN])?.name, "logins");
  });

  it("serves numbers each within a rollup's selection from it, and none when one is not", () => {
    // KPI tiles: no base selection, each number its own (sign-ins, failures, federation tokens).
    assert.equal(rollupFor("cloudtrail", LOGIN_FIELDS, [], [CONSOLE_LOGIN, CONSOLE_LOGIN_FAILURE, FEDERATION_TOKENS])?.name, "logins");
    assert.equal(rollupFor("cloudtrail", ["eventSource", "eventName"], [], [CONSOLE_LOGIN, FEDERATION_TOKENS])?.name, "logins", "within it, it is the narrowest");
    assert.equal(rollupFor("cloudtrail", LOGIN_FIELDS, [], [CONSOLE_LOGIN, undefined]), null, "one number counts every record");
    assert.equal(rollupFor("cloudtrail", LOGIN_FIELDS, [], []), null, "nothing counted is not within");
  });

  it("sums a field from the narrowest rollup summing it", () => {
    const BYTES_OUT = ["additionalEventData.bytesTransferredOut"];
    assert.equal(rollupFor("cloudtrail", ["eventSource", "eventName", "errorCode"], BYTES_OUT, [undefined])?.name, "activity", "the S3 tiles");
    assert.equal(rollupFor("cloudtrail", ["eventSource", "eventName", "requestParameters.bucketName"], BYTES_OUT, [undefined])?.name, "buckets", "per bucket");
    assert.equal(rollupFor("cloudtrail", ["recipientAccountId", "eventName"], BYTES_OUT, [undefined]), null, "no rollup sums it per account");
  });

  it("never serves records outside a rollup's selection from it", () => {
    const outside: (Selection | undefined)[] = [undefined, { include: { eventName: "AssumeRole*" } }, { include: { eventSource: "sts.amazonaws.com" } }, { include: { eventName: ["AssumeRole", "GetSessionToken"] } }];
    for (const base of outside) {
      assert.equal(rollupFor("cloudtrail", SESSION_FIELDS, [], [base]), null, JSON.stringify(base));
    }
    assert.equal(rollupFor("cloudtrail", LOGIN_FIELDS, [], [{ include: { eventName: "Console*" } }]), null, "a pattern");
    assert.equal(rollupFor("cloudtrail", LOGIN_FIELDS, [], [{ exclude: { eventName: "ConsoleLogin" } }]), null, "an exclusion");
  });
});
