import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLiteral, mergeSelections, selectionCondition, selectionLinkFilters, valueCondition } from "./selection";

describe("valueCondition", () => {
  it("reads values as the search-link contract does", () => {
    assert.deepEqual(valueCondition("cloudtrail", "errorCode", "*"), { field: "errorCode", op: "exists", value: true });
    assert.deepEqual(valueCondition("cloudtrail", "eventName", "Get*"), { field: "eventName", op: "prefix", value: "Get" });
    assert.deepEqual(valueCondition("vpcflow", "srcaddr", "10.0.0.0/8"), { field: "srcaddr", op: "cidr", value: "10.0.0.0/8" });
    assert.deepEqual(valueCondition("cloudtrail", "sourceIPAddress", "203.0.113.0/24"), { field: "sourceIPAddress", op: "cidr", value: "203.0.113.0/24" });
    assert.deepEqual(valueCondition("cloudtrail", "userIdentity.arn", "arn:aws:iam::1:user/a"), { field: "userIdentity.arn", op: "equals", value: "arn:aws:iam::1:user/a" });
    assert.deepEqual(valueCondition("vpcflow", "dstport", "22"), { field: "dstport", op: "equals", value: 22 });
    assert.deepEqual(valueCondition("cloudtrail", "readOnly", "true"), { field: "readOnly", op: "equals", value: true });
    assert.deepEqual(valueCondition("cloudtrail", "readOnly", false), { field: "readOnly", op: "equals", value: false });
  });

  it("refuses unknown fields and non-numbers on number fields", () => {
    assert.throws(() => valueCondition("cloudtrail", "no.such.field", "x"), /unknown cloudtrail field/);
    assert.throws(() => valueCondition("vpcflow", "dstport", "ssh"), /is a number/);
  });
});

describe("selectionCondition", () => {
  it("ANDs fields, ORs a field's values, negates excluded values; null for everything", () => {
    assert.equal(selectionCondition("cloudtrail", {}), null);
    assert.deepEqual(selectionCondition("cloudtrail", { include: { eventName: ["A", "B*", "C"] }, exclude: { errorCode: "*" } }), {
      all: [
        { any: [{ field: "eventName", op: "in", value: ["A", "C"] }, { field: "eventName", op: "prefix", value: "B" }] },
        { not: { field: "errorCode", op: "exists", value: true } },
      ],
    });
  });

  it("tests several plain values of a text or number field as one list (SQL = ANY, which index-only scans take)", () => {
    assert.deepEqual(selectionCondition("vpcflow", { exclude: { dstport: [22, "3389"] } }), { not: { field: "dstport", op: "in", value: [22, 3389] } });
    assert.deepEqual(selectionCondition("cloudtrail", { include: { readOnly: [true, false] } }), {
      any: [{ field: "readOnly", op: "equals", value: true }, { field: "readOnly", op: "equals", value: false }],
    }, "booleans stay equalities");
    assert.deepEqual(selectionCondition("cloudtrail", { include: { eventName: "A" } }), { field: "eventName", op: "equals", value: "A" }, "one value stays an equality");
  });
});

describe("mergeSelections", () => {
  it("narrows 'present' and prefixes by plain values, accumulates exclusions", () => {
    assert.deepEqual(mergeSelections({ include: { errorCode: "*" }, exclude: { readOnly: true } }, { include: { errorCode: "AccessDenied" }, exclude: { readOnly: true, eventName: "X" } }), {
      include: { errorCode: "AccessDenied" },
      exclude: { readOnly: true, eventName: "X" },
    });
    assert.deepEqual(mergeSelections({ include: { eventName: "Get*" } }, { include: { eventName: ["GetObject", "PutObject"] } }), { include: { eventName: "GetObject" } });
    assert.deepEqual(mergeSelections({ include: { eventName: ["A", "B", "C"] } }, { include: { eventName: ["C", "A"] } }), { include: { eventName: ["A", "C"] } });
  });

  it("throws where the intersection cannot be written exactly, or is empty", () => {
    assert.throws(() => mergeSelections({ include: { eventName: "Get*" } }, { include: { eventName: "Put*" } }), /cannot intersect/);
    assert.throws(() => mergeSelections({ include: { srcaddr: "10.0.0.0/8" } }, { include: { srcaddr: "10.1.2.3" } }), /cannot intersect/);
    assert.throws(() => mergeSelections({ include: { eventName: "A" } }, { include: { eventName: "B" } }), /exclude each other/);
  });
});

describe("isLiteral and link filters", () => {
  it("refuses values the link would read as patterns", () => {
    assert.equal(isLiteral("cloudtrail", "eventName", "Evil*"), false);
    assert.equal(isLiteral("vpcflow", "srcaddr", "10.0.0.0/8"), false);
    assert.equal(isLiteral("cloudtrail", "userIdentity.arn", "arn:aws:iam::1:role/a/b"), true);
  });

  it("writes values as strings", () => {
    assert.deepEqual(selectionLinkFilters({ include: { dstport: [22, 3389], readOnly: true }, exclude: { errorCode: "*" } }), {
      include: { dstport: ["22", "3389"], readOnly: "true" },
      exclude: { errorCode: "*" },
    });
  });
});
