import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allowsEverything, fullAccessReason, parsePolicyDocument } from "./policy-grants";

const doc = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

describe("fullAccessReason", () => {
  it("recognises AdministratorAccess in every partition, and nothing else by ARN", () => {
    assert.equal(fullAccessReason("arn:aws:iam::aws:policy/AdministratorAccess", null), "AdministratorAccess attached");
    assert.equal(fullAccessReason("arn:aws-us-gov:iam::aws:policy/AdministratorAccess", null), "AdministratorAccess attached");
    assert.equal(fullAccessReason("arn:aws:iam::aws:policy/ReadOnlyAccess", null), null);
    assert.equal(fullAccessReason("arn:aws:iam::111122223333:policy/AdministratorAccess", null), null, "a customer policy of that name says nothing");
  });

  it("recognises * on * in a statement, array or not, plain or URL-encoded", () => {
    assert.equal(fullAccessReason(null, doc({ Effect: "Allow", Action: "*", Resource: "*" })), "allows * on *");
    assert.equal(fullAccessReason(null, doc([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }, { Effect: "Allow", Action: ["*:*"], Resource: ["*"] }])), "allows * on *");
    assert.equal(fullAccessReason(null, encodeURIComponent(doc({ Effect: "Allow", Action: "*", Resource: "*" }))), "allows * on *");
  });

  it("ignores denies, narrower actions or resources, conditions and unreadable documents", () => {
    for (const statement of [
      { Effect: "Deny", Action: "*", Resource: "*" },
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" },
      { Effect: "Allow", Action: "*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
      { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
    ]) {
      assert.equal(fullAccessReason(null, doc(statement)), null, JSON.stringify(statement));
    }
    assert.equal(fullAccessReason(null, "{not json"), null);
    assert.equal(parsePolicyDocument("%E0%A4%A"), null);
    assert.equal(allowsEverything(null), false);
  });
});
