import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileDatapointsQuery, compileMatchQuery, globToLike } from "./compile-rule";
import { all, any, cidr, contains, eq, not, prefix, sameAs } from "./conditions";
import { ruleSchema, type RuleInput } from "./rule-schema";

const base: RuleInput = {
  id: "test-rule",
  title: "Test rule",
  description: "A rule used to test the compiler and nothing else.",
  response: "Nothing to do: this rule only exists in a unit test.",
  severity: "low",
  source: "cloudtrail",
  match: eq("eventName", "CreateUser"),
};
const rule = (overrides: Partial<RuleInput>) => ruleSchema.parse({ ...base, ...overrides });

describe("compileMatchQuery", () => {
  it("passes every value as a parameter, never in the SQL text", () => {
    const hostile = "x'; DROP TABLE cloudtrail_events; --";
    const q = compileMatchQuery(
      rule({
        match: all(eq("eventName", hostile), any(prefix("userAgent", hostile), contains("requestParameters.userName", hostile)), not(cidr("sourceIPAddress", "10.0.0.0/8"))),
        allow: { principalArns: [hostile], userAgents: ["*terraform*"] },
      }),
      { objectIds: [7], from: new Date("2026-11-01T00:00:00Z") },
    );
    assert.ok(!q.text.includes("DROP TABLE"), "a value leaked into the SQL text");
    assert.ok(!q.text.includes("terraform"));
    assert.ok(q.values.includes(hostile), "equals value (one value: a scalar parameter, so an index on the column serves it)");
    assert.ok(q.values.some((v) => Array.isArray(v) && v.includes(`${hostile.replaceAll("_", "\\_")}%`)), "prefix pattern with LIKE escapes");
    assert.deepEqual(q.values.filter((v) => Array.isArray(v) && v.includes("7")).length, 1);
  });

  it("names JSON paths only as jsonpath parameters", () => {
    const q = compileMatchQuery(rule({ match: eq("requestParameters.groupName", "Admins") }), {});
    assert.ok(q.values.includes(`lax $."requestParameters"."groupName"[*]`));
    assert.ok(!q.text.includes("groupName"));
  });

  it("reads a JSON path stored as a generated column from the column, casting it for numeric tests", () => {
    const q = compileMatchQuery(rule({ match: { all: [eq("requestParameters.policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"), { field: "additionalEventData.bytesTransferredOut", op: "gt", value: 1000 }] } }), {});
    assert.match(q.text, /e\."request_policy_arn" = \$\d+::text/);
    assert.match(q.text, /trailwatch_numeric\(e\."additional_bytes_transferred_out"\) > \$\d+::numeric/);
    assert.ok(!q.text.includes("jsonb_path"), "no JSON path is evaluated");
  });

  it("compares two fields of one record", () => {
    const q = compileMatchQuery(rule({ match: sameAs("requestParameters.roleName", "userIdentity.userName") }), {});
    assert.match(q.text, /jsonb_path_query_first\(e\.raw, \$\d+::jsonpath\) #>> '\{\}'\) = e\."user_identity_user_name"/);
  });
});

describe("compileDatapointsQuery", () => {
  it("buckets by the period and filters breaching datapoints with a parameter threshold", () => {
    const r = rule({
      aggregation: { statistic: "distinctCount", field: "requestParameters.secretId", periodSeconds: 600, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 11, comparison: "GreaterThanThreshold" },
    });
    const q = compileDatapointsQuery(r, { from: new Date(0), to: new Date(1) }, true);
    assert.match(q.text, /HAVING count\(DISTINCT v\) > \$\d+/);
    assert.ok(q.values.includes(600) && q.values.includes(11));
  });

  it("refuses a rule without aggregation", () => {
    assert.throws(() => compileDatapointsQuery(rule({}), {}, true), /has no aggregation/);
  });
});

describe("ruleSchema", () => {
  const problems = (overrides: Partial<RuleInput>) => {
    const result = ruleSchema.safeParse({ ...base, ...overrides });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("names unknown fields and unsuitable values where they are", () => {
    assert.deepEqual(problems({ match: eq("eventname", "x") }), ['match.field: unknown cloudtrail field "eventname"']);
    assert.deepEqual(problems({ source: "vpcflow", match: eq("dstport", "ssh") }), ['match: dstport is a number: "ssh" is not']);
    assert.deepEqual(problems({ match: cidr("eventName", "10.0.0.0/8") }), ["match: eventName is not an IP address field"]);
    assert.deepEqual(problems({ source: "vpcflow", match: cidr("srcaddr", "10.0.0.0/33") }), ['match: "10.0.0.0/33" is not an IP network (e.g. 10.0.0.0/8)']);
  });

  it("checks aggregation terms the CloudWatch way", () => {
    const agg = { statistic: "count" as const, periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 3, threshold: 1, comparison: "GreaterThanThreshold" as const };
    assert.deepEqual(problems({ aggregation: agg }), ["aggregation.datapointsToAlarm: datapointsToAlarm cannot exceed evaluationPeriods"]);
    assert.deepEqual(problems({ aggregation: { ...agg, datapointsToAlarm: 1, statistic: "sum" } }), ["aggregation.field: distinctCount and sum need a field"]);
  });

  it("keeps flow-log allow-lists to what flow records have", () => {
    assert.deepEqual(problems({ source: "vpcflow", match: eq("action", "REJECT"), allow: { userAgents: ["x"] } }), ["allow: flow-log rules can allow-list only sourceCidrs and accounts"]);
  });
});

describe("globToLike", () => {
  it("makes only * a wildcard", () => {
    assert.equal(globToLike("arn:aws:iam::*:role/ci_%*"), "arn:aws:iam::%:role/ci\\_\\%%");
  });
});
