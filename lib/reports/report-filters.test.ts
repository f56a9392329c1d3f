import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseReportFilters, readReportFilters, ReportFilterError, reportHref, scopeOf } from "./report-filters";

const now = new Date("2026-11-22T13:47:12.345Z");

describe("parseReportFilters (API)", () => {
  it("reads a preset or an absolute range, account and region", () => {
    const f = parseReportFilters(new URLSearchParams("range=7d&account=111122223333&region=eu-west-1"), now);
    assert.equal(f.range.preset, "7d");
    assert.deepEqual([f.account, f.region], ["111122223333", "eu-west-1"]);
    const abs = parseReportFilters(new URLSearchParams("from=2026-11-20T00:00:00Z&to=2026-11-20T06:00:00Z"), now);
    assert.deepEqual([abs.range.preset, abs.range.bucket, abs.account], ["custom", "hour", undefined]);
    assert.deepEqual(scopeOf(abs), { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-20T06:00:00Z"), bucket: "hour" });
  });

  it("names the bad parameter", () => {
    for (const [query, message] of [
      ["from=2026-11-20T00:00:00Z", /together/],
      ["from=yesterday&to=2026-11-20T00:00:00Z", /ISO 8601/],
      ["account=1234", /12-digit/],
      ["region=mars-1", /AWS region/],
      ["region=us-east-1;DROP", /AWS region/],
    ] as const) {
      assert.throws(() => parseReportFilters(new URLSearchParams(query), now), (e: unknown) => e instanceof ReportFilterError && message.test(e.message), query);
    }
  });
});

describe("readReportFilters (pages)", () => {
  it("drops and names a bad parameter instead of failing", () => {
    const { filters, problems } = readReportFilters({ from: "nope", to: "2026-11-20T00:00:00Z", range: "7d", account: ["444455556666"], region: "x" }, now);
    assert.equal(filters.range.preset, "7d");
    assert.equal(filters.account, "444455556666");
    assert.equal(filters.region, undefined);
    assert.equal(problems.length, 2);
  });
});

describe("reportHref", () => {
  it("keeps presets as presets, absolute ranges absolute, and changes one filter", () => {
    const preset = parseReportFilters(new URLSearchParams("range=24h&account=111122223333"), now);
    assert.equal(reportHref("/logins", preset), "/logins?range=24h&account=111122223333");
    assert.equal(reportHref("/logins", preset, { range: "7d", account: null, region: "us-east-1" }), "/logins?range=7d&region=us-east-1");
    const abs = parseReportFilters(new URLSearchParams("from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z"), now);
    assert.equal(reportHref("/s3", abs), "/s3?from=2026-11-20T00%3A00%3A00.000Z&to=2026-11-21T00%3A00%3A00.000Z");
  });
});
