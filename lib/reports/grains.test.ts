import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { presenceSpan, rollupSpans, type GrainSpan } from "./grains";

const at = (iso: string) => new Date(iso).getTime();
const span = (grain: GrainSpan["grain"], start: string, end: string): GrainSpan => ({ grain, start: at(start), end: at(end) });

describe("rollupSpans", () => {
  // Tuesday 2026-11-17 03:17:30 to Tuesday 2026-12-01 21:43:10: one whole week (Monday 11-23 to Monday 11-30),
  // whole days around it, whole hours around those, and partial hours at both edges.
  const from = new Date("2026-11-17T03:17:30Z");
  const to = new Date("2026-12-01T21:43:10Z");

  it("splits a range into week, day and hour rows, the partial hours at its edges left to raw rows", () => {
    assert.deepEqual(rollupSpans(from, to, "week"), {
      stored: [
        span("hour", "2026-11-17T04:00Z", "2026-11-18T00:00Z"),
        span("day", "2026-11-18T00:00Z", "2026-11-23T00:00Z"),
        span("week", "2026-11-23T00:00Z", "2026-11-30T00:00Z"),
        span("day", "2026-11-30T00:00Z", "2026-12-01T00:00Z"),
        span("hour", "2026-12-01T00:00Z", "2026-12-01T21:00Z"),
      ],
      firstStored: at("2026-11-17T04:00Z"),
      endStored: at("2026-12-01T21:00Z"),
    });
  });

  it("adds 5-minute rows for the whole 5 minutes of the partial hours, leaving less than 5 minutes at each end", () => {
    const spans = rollupSpans(from, to, "week", { fiveMinutes: true })!;
    assert.deepEqual(spans.stored[0], span("5min", "2026-11-17T03:20Z", "2026-11-17T04:00Z"));
    assert.deepEqual(spans.stored.at(-1), span("5min", "2026-12-01T21:00Z", "2026-12-01T21:40Z"));
    assert.equal(spans.firstStored, at("2026-11-17T03:20Z"));
    assert.equal(spans.endStored, at("2026-12-01T21:40Z"));
    // The spans tile [firstStored, endStored) in order, with no gap and no overlap.
    for (let i = 1; i < spans.stored.length; i++) assert.equal(spans.stored[i]!.start, spans.stored[i - 1]!.end);
    assert.equal(spans.stored[0]!.start, spans.firstStored);
    assert.equal(spans.stored.at(-1)!.end, spans.endStored);
  });

  it("takes 6-hour rows for the whole quarters of a day outside whole days, where the rows keep them", () => {
    assert.deepEqual(rollupSpans(from, to, "week", { fiveMinutes: true, sixHours: true })!.stored, [
      span("5min", "2026-11-17T03:20Z", "2026-11-17T04:00Z"),
      span("hour", "2026-11-17T04:00Z", "2026-11-17T06:00Z"),
      span("6h", "2026-11-17T06:00Z", "2026-11-18T00:00Z"),
      span("day", "2026-11-18T00:00Z", "2026-11-23T00:00Z"),
      span("week", "2026-11-23T00:00Z", "2026-11-30T00:00Z"),
      span("day", "2026-11-30T00:00Z", "2026-12-01T00:00Z"),
      span("6h", "2026-12-01T00:00Z", "2026-12-01T18:00Z"),
      span("hour", "2026-12-01T18:00Z", "2026-12-01T21:00Z"),
      span("5min", "2026-12-01T21:00Z", "2026-12-01T21:40Z"),
    ]);
    // The last 24 hours to 21:12: no whole day, the quarters 00:00-18:00 between whole hours.
    assert.deepEqual(rollupSpans(new Date("2026-11-16T21:12:00Z"), new Date("2026-11-17T21:12:00Z"), "week", { sixHours: true })!.stored, [
      span("hour", "2026-11-16T22:00Z", "2026-11-17T00:00Z"),
      span("6h", "2026-11-17T00:00Z", "2026-11-17T18:00Z"),
      span("hour", "2026-11-17T18:00Z", "2026-11-17T21:00Z"),
    ]);
    // Hourly buckets keep to hours.
    const grains = new Set(rollupSpans(from, to, "hour", { sixHours: true })!.stored.map((s) => s.grain));
    assert.deepEqual([...grains], ["hour"]);
  });

  it("leaves out empty 5-minute spans when the range starts or ends on a 5-minute boundary", () => {
    const spans = rollupSpans(new Date("2026-11-17T03:00:00Z"), new Date("2026-11-17T06:25:00Z"), "week", { fiveMinutes: true })!;
    assert.deepEqual(spans.stored, [span("hour", "2026-11-17T03:00Z", "2026-11-17T06:00Z"), span("5min", "2026-11-17T06:00Z", "2026-11-17T06:25Z")]);
    assert.equal(spans.endStored, at("2026-11-17T06:25Z"));
  });

  it("keeps to hour rows when asked for hourly buckets", () => {
    const grains = new Set(rollupSpans(from, to, "hour", { fiveMinutes: true })!.stored.map((s) => s.grain));
    assert.deepEqual([...grains].sort(), ["5min", "hour"]);
  });

  it("is null for a range holding no whole hour, with or without 5-minute rows", () => {
    assert.equal(rollupSpans(new Date("2026-11-17T03:05:00Z"), new Date("2026-11-17T03:55:00Z"), "week", { fiveMinutes: true }), null);
    assert.equal(rollupSpans(new Date("2026-11-17T03:05:00Z"), new Date("2026-11-17T04:55:00Z"), "week"), null);
  });
});

describe("presenceSpan", () => {
  const ALL = ["week", "day", "hour"] as const;
  const presence = (from: string, to: string, grains: readonly ("week" | "day" | "hour")[] = ALL) => presenceSpan(new Date(from), new Date(to), grains);

  it("takes week rows for a month, from the week holding its start", () => {
    // Tuesday 11-03 to Thursday 12-03: Monday 11-02 to Monday 12-07 is 35 days, under twice the range.
    assert.deepEqual(presence("2026-11-03T05:41Z", "2026-12-03T19:07Z"), span("week", "2026-11-02T00:00Z", "2026-12-03T19:07Z"));
  });

  it("takes day rows for 24 hours inside a week, as week rows would cover far more than twice the range", () => {
    assert.deepEqual(presence("2026-11-17T03:17Z", "2026-11-18T03:17Z"), span("day", "2026-11-17T00:00Z", "2026-11-18T03:17Z"));
  });

  it("never takes a grain whose bucket holds both ends of the range, where first and last times cannot tell", () => {
    // Inside one day: day rows cannot tell (a key seen at 02:00 and 20:00 only); hour rows can.
    assert.deepEqual(presence("2026-11-17T03:17Z", "2026-11-17T18:40Z"), span("hour", "2026-11-17T03:00Z", "2026-11-17T18:40Z"));
    // Inside one hour, not from its start: nothing can.
    assert.equal(presence("2026-11-17T03:17Z", "2026-11-17T03:50Z"), null);
    // Only hour rows kept (a rollup without day rows), over two days: hour rows.
    assert.deepEqual(presence("2026-11-17T03:17Z", "2026-11-19T03:17Z", ["hour"]), span("hour", "2026-11-17T03:00Z", "2026-11-19T03:17Z"));
  });

  it("takes a bucket starting at the range's start even when it outlasts the range", () => {
    // No row of the hour 00:00-01:00 has a record before the range 00:00-00:30: a first time in it decides.
    assert.deepEqual(presence("2026-11-17T00:00Z", "2026-11-17T00:30Z"), span("hour", "2026-11-17T00:00Z", "2026-11-17T00:30Z"));
  });

  it("is null for an empty range", () => {
    assert.equal(presence("2026-11-17T03:00Z", "2026-11-17T03:00Z"), null);
  });
});
