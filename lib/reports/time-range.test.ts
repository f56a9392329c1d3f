import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketEnd, customTimeRange, floorToBucket, parseTimeRange, resolveTimeRange, TimeRangeError } from "./time-range";

const now = new Date("2026-11-22T13:47:12.345Z");

describe("parseTimeRange", () => {
  it("defaults to the last 24 hours in hourly buckets, from rounded down to the hour", () => {
    assert.deepEqual(parseTimeRange(undefined, now), {
      from: new Date("2026-11-21T13:00:00.000Z"),
      to: now,
      preset: "24h",
      bucket: "hour",
    });
  });

  it("resolves every preset", () => {
    assert.deepEqual(parseTimeRange("15m", now), {
      from: new Date("2026-11-22T13:32:00.000Z"),
      to: now,
      preset: "15m",
      bucket: "minute",
    });
    assert.deepEqual(parseTimeRange("1h", now), {
      from: new Date("2026-11-22T12:47:00.000Z"),
      to: now,
      preset: "1h",
      bucket: "minute",
    });
    assert.deepEqual(parseTimeRange("24h", now).from, new Date("2026-11-21T13:00:00.000Z"));
    assert.deepEqual(parseTimeRange("7d", now), {
      from: new Date("2026-11-15T00:00:00.000Z"),
      to: now,
      preset: "7d",
      bucket: "day",
    });
    assert.deepEqual(parseTimeRange("30d", now), {
      from: new Date("2026-10-23T00:00:00.000Z"),
      to: now,
      preset: "30d",
      bucket: "day",
    });
  });

  it("falls back to 24h for unknown, empty or oddly cased values", () => {
    for (const value of ["", "2d", "24H", "7D", " 7d", "constructor", "__proto__", null]) {
      assert.equal(parseTimeRange(value, now).preset, "24h", String(value));
    }
  });

  it("takes the first of a repeated parameter", () => {
    assert.equal(parseTimeRange(["7d", "30d"], now).preset, "7d");
    assert.equal(parseTimeRange([], now).preset, "24h");
  });

  it("keeps from unchanged when it is already on a bucket boundary", () => {
    const onTheHour = new Date("2026-11-22T13:00:00.000Z");
    assert.deepEqual(parseTimeRange("24h", onTheHour).from, new Date("2026-11-21T13:00:00.000Z"));
  });

  it("does not alias the caller's clock", () => {
    const r = parseTimeRange("24h", now);
    assert.notEqual(r.to, now);
  });
});

describe("customTimeRange", () => {
  it("accepts ISO timestamps with a zone and picks the bucket by span", () => {
    assert.deepEqual(customTimeRange("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z"), {
      from: new Date("2026-11-20T00:00:00.000Z"),
      to: new Date("2026-11-22T00:00:00.000Z"),
      preset: "custom",
      bucket: "hour",
    });
    assert.equal(customTimeRange("2026-11-20T00:00:00+01:00", "2026-11-22T00:00:01+01:00").bucket, "day");
    assert.equal(customTimeRange("2026-11-20T00:00:00Z", "2026-11-20T03:00:00Z").bucket, "minute");
    assert.equal(customTimeRange("2026-11-20T00:00:00Z", "2026-11-20T03:00:00.001Z").bucket, "hour");
    assert.deepEqual(customTimeRange("2026-11-20T01:30:00.5+01:30", "2026-11-20T02:00Z").from, new Date("2026-11-20T00:00:00.500Z"));
  });

  it("rejects unparsable, zone-less, reversed, empty and over-long ranges", () => {
    const bad: [string, string][] = [
      ["yesterday", "2026-11-22T00:00:00Z"],
      ["2026-11-20T00:00:00", "2026-11-22T00:00:00Z"],
      ["2026-11-20", "2026-11-22T00:00:00Z"],
      ["2026-02-30T00:00:00Z", "2026-03-02T00:00:00Z"],
      ["2026-11-22T00:00:00Z", "2026-11-20T00:00:00Z"],
      ["2026-11-22T00:00:00Z", "2026-11-22T00:00:00Z"],
      ["2024-01-01T00:00:00Z", "2026-01-01T00:00:00Z"],
    ];
    for (const [from, to] of bad) {
      assert.throws(() => customTimeRange(from, to), TimeRangeError, `${from} .. ${to}`);
    }
  });
});

describe("resolveTimeRange", () => {
  it("prefers an absolute from/to over the preset, and needs both", () => {
    assert.deepEqual(resolveTimeRange({ range: "7d", from: "2026-11-20T00:00:00Z", to: "2026-11-20T06:00:00Z" }, now), {
      from: new Date("2026-11-20T00:00:00.000Z"),
      to: new Date("2026-11-20T06:00:00.000Z"),
      preset: "custom",
      bucket: "hour",
    });
    assert.equal(resolveTimeRange({ range: "7d" }, now).preset, "7d");
    assert.equal(resolveTimeRange({}, now).preset, "24h");
    assert.throws(() => resolveTimeRange({ from: "2026-11-20T00:00:00Z" }, now), TimeRangeError);
    assert.throws(() => resolveTimeRange({ to: "2026-11-20T00:00:00Z" }, now), TimeRangeError);
  });
});

describe("bucketEnd", () => {
  it("adds one bucket width", () => {
    assert.deepEqual(bucketEnd(new Date("2026-11-22T13:00:00Z"), "minute"), new Date("2026-11-22T13:01:00Z"));
    assert.deepEqual(bucketEnd(new Date("2026-11-22T13:00:00Z"), "hour"), new Date("2026-11-22T14:00:00Z"));
    assert.deepEqual(bucketEnd(new Date("2026-11-22T00:00:00Z"), "day"), new Date("2026-11-23T00:00:00Z"));
  });
});

describe("floorToBucket", () => {
  it("rounds down to the UTC minute, hour and UTC midnight", () => {
    assert.deepEqual(floorToBucket(now, "minute"), new Date("2026-11-22T13:47:00.000Z"));
    assert.deepEqual(floorToBucket(now, "hour"), new Date("2026-11-22T13:00:00.000Z"));
    assert.deepEqual(floorToBucket(now, "day"), new Date("2026-11-22T00:00:00.000Z"));
  });
});
