import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ASSUME_ROLE } from "./change-catalogue";
import { rollupFor } from "./rollups";
import type { Selection } from "./selection";

describe("rollupFor", () => {
  const SESSION_FIELDS = ["eventSource", "eventName", "requestParameters.roleArn", "requestParameters.roleSessionName", "userIdentity.arn", "errorCode"];

  it("serves a panel within a rollup's selection from it", () => {
    assert.equal(rollupFor("cloudtrail", SESSION_FIELDS, [], ASSUME_ROLE)?.name, "sessions");
    const oneCall = { include: { eventSource: "sts.amazonaws.com", eventName: "AssumeRoleWithSAML" } };
    assert.equal(rollupFor("cloudtrail", SESSION_FIELDS, [], oneCall)?.name, "sessions", "a narrower selection");
    assert.equal(rollupFor("cloudtrail", ["eventSource", "eventName"], [], ASSUME_ROLE)?.name, "names", "a narrower rollup listed first still wins");
  });

  it("never serves records outside a rollup's selection from it", () => {
    const outside: (Selection | undefined)[] = [undefined, { include: { eventName: "AssumeRole*" } }, { include: { eventSource: "sts.amazonaws.com" } }, { include: { eventName: ["AssumeRole", "GetSessionToken"] } }];
    for (const base of outside) {
      assert.equal(rollupFor("cloudtrail", SESSION_FIELDS, [], base), null, JSON.stringify(base));
    }
  });
});
