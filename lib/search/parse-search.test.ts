import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqlParams } from "../detect/compile-rule";
import { parseColumns, parseSearch, readFilters, SearchQueryError, toSearchParams, valueCondition } from "./parse-search";
import { encodeCursor } from "./search-cursor";
import { DEFAULT_COLUMNS, EVENT_FILTER_FIELDS, FLOW_FILTER_FIELDS, resultColumnSpecs, searchField } from "./search-fields";
import { searchWhereSql } from "./search-sql";
import { eventHref, eventSearchHref, exactValue, searchParams } from "./search-url";

const NOW = new Date("2026-11-22T12:34:56Z");
const parse = (qs: string, source: "cloudtrail" | "vpcflow" = "cloudtrail") => parseSearch(source, new URLSearchParams(qs), { now: NOW });
const problems = (qs: string, source: "cloudtrail" | "vpcflow" = "cloudtrail") => {
  try {
    parse(qs, source);
  } catch (error) {
    if (error instanceof SearchQueryError) return error.problems;
    throw error;
  }
  return [];
};

describe("parseSearch", () => {
  it("turns f./x. parameters into one condition: fields AND, values of a field OR, x. negated", () => {
    const q = parse("f.eventName=CreateUser&f.eventName=Delete*&x.errorCode=*&f.sourceIPAddress=10.0.0.0/8");
    assert.deepEqual(q.condition, {
      all: [
        { any: [{ field: "eventName", op: "equals", value: "CreateUser" }, { field: "eventName", op: "prefix", value: "Delete" }] },
        { not: { field: "errorCode", op: "exists", value: true } },
        { field: "sourceIPAddress", op: "cidr", value: "10.0.0.0/8" },
      ],
    });
    assert.deepEqual(q.filters, [
      { field: "eventName", exclude: false, values: ["CreateUser", "Delete*"] },
      { field: "errorCode", exclude: true, values: ["*"] },
      { field: "sourceIPAddress", exclude: false, values: ["10.0.0.0/8"] },
    ]);
  });

  it("adds account and region as filters on the source's own fields", () => {
    assert.deepEqual(parse("account=111122223333&region=eu-west-1").condition, {
      all: [
        { field: "recipientAccountId", op: "equals", value: "111122223333" },
        { field: "awsRegion", op: "equals", value: "eu-west-1" },
      ],
    });
    // Flow records: the region also comes from the S3 key, so it is SQL of its own (search-sql.ts), not a predicate.
    assert.deepEqual(parse("account=111122223333&region=eu-west-1", "vpcflow").condition, { field: "account-id", op: "equals", value: "111122223333" });
  });

  it("resolves the time range: preset, explicit from/to, default 24h", () => {
    assert.equal(parse("range=7d").range.preset, "7d");
    assert.equal(parse("").range.preset, "24h");
    const custom = parse("from=2026-11-20T00:00:00Z&to=2026-11-20T01:00:00.500Z").range;
    assert.equal(custom.from.toISOString(), "2026-11-20T00:00:00.000Z");
    assert.equal(custom.to.toISOString(), "2026-11-20T01:00:00.500Z");
  });

  it("skips empty values and ignores unknown parameters", () => {
    const q = parse("f.eventName=&utm_source=x&f.awsRegion=us-east-1");
    assert.deepEqual(q.condition, { field: "awsRegion", op: "equals", value: "us-east-1" });
  });

  it("reads limit and columns", () => {
    assert.equal(parse("limit=200").limit, 200);
    assert.equal(parse("").limit, 50);
    assert.deepEqual(parse("cols=eventName,nope,eventTime,eventName").columns, ["eventName", "eventTime"]);
    assert.deepEqual(parse("cols=nope").columns, [...DEFAULT_COLUMNS.cloudtrail]);
    assert.deepEqual(parseColumns("vpcflow", "srcaddr,log-status"), ["srcaddr", "log-status"]);
  });

  it("matches a sourceIPAddress holding text with a slash as text; a malformed network there is still a problem", () => {
    assert.deepEqual(parse("f.sourceIPAddress=%3Cimg%2Fsrc%3Dx%3E").condition, { field: "sourceIPAddress", op: "equals", value: "<img/src=x>" });
    assert.deepEqual(problems("f.sourceIPAddress=10.0.0.0/33"), ['"10.0.0.0/33" is not an IP network (e.g. 10.0.0.0/8)']);
    assert.deepEqual(problems("f.srcaddr=a/b", "vpcflow"), ['"a/b" is not an IP network (e.g. 10.0.0.0/8)']);
  });

  it("names every problem at once", () => {
    assert.deepEqual(problems("f.nope=1&f.readOnly=maybe&limit=0&account=abc&from=2026-11-20T00:00:00Z"), [
      "`from` and `to` must be given together",
      "`account` must be an AWS account id (digits)",
      'unknown CloudTrail field "nope"',
      'readOnly is true or false, not "maybe"',
      "`limit` must be an integer from 1 to 1000",
    ]);
    assert.deepEqual(problems("f.srcaddr=10.0.0.0/33&f.dstport=ssh&f.protocol=bogus&f.dstport=90-80", "vpcflow"), [
      '"10.0.0.0/33" is not an IP network (e.g. 10.0.0.0/8)',
      'dstport is a number: "ssh" is not (e.g. 22, 1024-65535)',
      "dstport: the range 90-80 is empty (write low-high)",
      'protocol is a number: "bogus" is not (e.g. 22, 1024-65535, tcp)',
    ]);
    assert.deepEqual(problems("f.requestParameters.x=1", "vpcflow"), ['unknown flow-log field "requestParameters.x"']);
    assert.match(problems(`${"f.eventName=x&".repeat(1)}${Array.from({ length: 101 }, (_, i) => `f.awsRegion=r${i}`).join("&")}`)[0]!, /at most 100/);
  });

  it("takes the window of a cursor over the URL's range", () => {
    const cursor = encodeCursor({ time: new Date("2026-11-20T10:00:00Z"), key: ["111122223333", "e1"], from: new Date("2026-11-19T00:00:00Z"), to: new Date("2026-11-20T12:00:00Z") });
    const q = parse(`range=1h&cursor=${cursor}`);
    assert.equal(q.range.from.toISOString(), "2026-11-19T00:00:00.000Z");
    assert.deepEqual(q.cursor?.key, ["111122223333", "e1"]);
    assert.equal(problems("cursor=!!").length, 1);
  });
});

describe("valueCondition", () => {
  const on = (source: "cloudtrail" | "vpcflow", name: string, value: string) => valueCondition(name, searchField(source, name)!, value);
  it("reads the value syntax of lib/search/search-url.ts", () => {
    assert.deepEqual(on("cloudtrail", "eventName", "Create*"), { field: "eventName", op: "prefix", value: "Create" });
    assert.deepEqual(on("cloudtrail", "eventName", "*"), { field: "eventName", op: "exists", value: true });
    assert.deepEqual(on("cloudtrail", "eventName", "=Weird*"), { field: "eventName", op: "equals", value: "Weird*" });
    assert.deepEqual(on("cloudtrail", "eventName", "=*"), { field: "eventName", op: "equals", value: "*" });
    assert.deepEqual(on("cloudtrail", "userIdentity.arn", "arn:aws:iam::1:role/a/b"), { field: "userIdentity.arn", op: "equals", value: "arn:aws:iam::1:role/a/b" });
    assert.deepEqual(on("cloudtrail", "sourceIPAddress", "2001:db8::/32"), { field: "sourceIPAddress", op: "cidr", value: "2001:db8::/32" });
    assert.deepEqual(on("cloudtrail", "sourceIPAddress", "=10.0.0.0/8"), { field: "sourceIPAddress", op: "equals", value: "10.0.0.0/8" });
    assert.deepEqual(on("cloudtrail", "readOnly", "False"), { field: "readOnly", op: "equals", value: false });
    assert.deepEqual(on("cloudtrail", "requestParameters.bucketName", "a/b"), { field: "requestParameters.bucketName", op: "equals", value: "a/b" });
    assert.deepEqual(on("vpcflow", "srcaddr", "10.0.0.1"), { field: "srcaddr", op: "cidr", value: "10.0.0.1" });
    assert.deepEqual(on("vpcflow", "srcaddr", "10.0.*"), { field: "srcaddr", op: "prefix", value: "10.0." });
    assert.equal(typeof on("vpcflow", "srcaddr", "10"), "string");
    assert.deepEqual(on("vpcflow", "protocol", "TCP"), { field: "protocol", op: "equals", value: 6 });
    assert.deepEqual(on("vpcflow", "protocol", "17"), { field: "protocol", op: "equals", value: 17 });
    assert.deepEqual(on("vpcflow", "dstport", "1024-65535"), { all: [{ field: "dstport", op: "gte", value: 1024 }, { field: "dstport", op: "lte", value: 65535 }] });
    assert.deepEqual(on("vpcflow", "dstport", "=22"), { field: "dstport", op: "equals", value: 22 });
    assert.equal(typeof on("vpcflow", "start", "2026"), "string");
    assert.deepEqual(on("vpcflow", "start", "*"), { field: "start", op: "exists", value: true });
  });
});

describe("search SQL", () => {
  it("carries every value as a parameter; the text holds only catalogue identifiers and placeholders", () => {
    const hostile = `x'); DROP TABLE cloudtrail_events; --`;
    const q = parse(`f.eventName=${encodeURIComponent(hostile)}&f.requestParameters.key=${encodeURIComponent(`"]') OR 1=1 --`)}&x.sourceIPAddress=10.0.0.0/8&account=111122223333`);
    const params = new SqlParams();
    const sql = searchWhereSql(q, "e", params);
    assert.ok(!sql.includes("DROP") && !sql.includes("OR 1=1") && !sql.includes("111122223333") && !sql.includes("10.0.0.0"), sql);
    assert.ok(params.values.includes(hostile));
    assert.ok(params.values.includes('lax $."requestParameters"."key"[*]'));
    assert.match(sql, /e\."event_time" >= \$1::timestamptz/);
    // One value: `=` with a scalar parameter and NULL-safe without coalesce, so the (event_name, time) index serves it.
    assert.match(sql, /\(e\."event_name" = \$\d+::text AND e\."event_name" IS NOT NULL\)/);
  });

  it("adds the keyset bound and the flow region from the S3 key as parameters", () => {
    const cursor = encodeCursor({ time: new Date("2026-11-20T10:00:00Z"), key: ["42", 7], from: new Date("2026-11-19T00:00:00Z"), to: new Date("2026-11-20T12:00:00Z") });
    const params = new SqlParams();
    const sql = searchWhereSql(parse(`cursor=${cursor}&region=eu-west-1`, "vpcflow"), "e", params);
    assert.match(sql, /\(e\."start", e\.object_id, e\.line_number\) < \(\$\d+::timestamptz, \$\d+::bigint, \$\d+::int\)/);
    assert.match(sql, /_vpcflowlogs_/);
    assert.ok(params.values.includes("eu-west-1") && params.values.includes("42") && params.values.includes(7));
  });
});

describe("the URL contract", () => {
  it("round-trips links built by other pages", () => {
    const link = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z"), include: { eventName: ["A", "B*"], "userIdentity.arn": exactValue("x*") }, exclude: { errorCode: "*" } };
    const q = parseSearch("cloudtrail", searchParams(link));
    assert.deepEqual(readFilters(searchParams(link)), [
      { field: "eventName", exclude: false, values: ["A", "B*"] },
      { field: "userIdentity.arn", exclude: false, values: ["=x*"] },
      { field: "errorCode", exclude: true, values: ["*"] },
    ]);
    assert.equal(q.range.to.toISOString(), "2026-11-21T00:00:00.000Z");
    assert.ok(eventSearchHref(link).startsWith("/events?from="));
  });

  it("exactValue escapes only what the syntax would read differently", () => {
    assert.deepEqual(["CreateUser", "Foo*", "=x", "arn:aws:iam::1:user/bob", "10.0.0.0/8", "*", 22].map(exactValue), [
      "CreateUser", "=Foo*", "==x", "arn:aws:iam::1:user/bob", "=10.0.0.0/8", "=*", "22",
    ]);
  });

  it("eventHref encodes both parts and names a missing account `-`", () => {
    assert.equal(eventHref("111122223333", "a/b c"), "/events/111122223333/a%2Fb%20c");
    assert.equal(eventHref("", "e1"), "/events/-/e1");
  });

  it("toSearchParams keeps repeated values from Next's search params", () => {
    assert.equal(toSearchParams({ "f.eventName": ["A", "B"], range: "7d", x: undefined }).toString(), "f.eventName=A&f.eventName=B&range=7d");
  });
});

describe("field lists", () => {
  it("name only catalogue fields", () => {
    for (const f of EVENT_FILTER_FIELDS) assert.ok(searchField("cloudtrail", f.name), f.name);
    for (const f of FLOW_FILTER_FIELDS) assert.ok(searchField("vpcflow", f.name), f.name);
    for (const source of ["cloudtrail", "vpcflow"] as const) {
      const names = resultColumnSpecs(source).map((c) => c.name);
      for (const c of DEFAULT_COLUMNS[source]) assert.ok(names.includes(c), c);
    }
  });
});
