import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBucketLabel, formatBucketTick, formatBytes, formatCount, formatExact, formatInteger, formatPercent, formatUtc, formatValue } from "./format";

describe("formatCount", () => {
  it("abbreviates with one decimal", () => {
    assert.deepEqual(
      [0, 7, 999, 1000, 12_345, 999_950, 4_500_000, 1_234_567_890].map(formatCount),
      ["0", "7", "999", "1K", "12.3K", "1M", "4.5M", "1.2B"],
    );
  });
});

describe("formatInteger", () => {
  it("groups thousands", () => {
    assert.equal(formatInteger(5_000_003_500), "5,000,003,500");
  });
});

describe("formatBytes", () => {
  it("picks the largest decimal unit that fits", () => {
    assert.deepEqual(
      [0, 512, 999, 1000, 1500, 999_949, 999_950, 4_500_000, 5_000_003_500, 2.5e12, 3e15, 4e18].map(formatBytes),
      ["0 B", "512 B", "999 B", "1 kB", "1.5 kB", "999.9 kB", "1 MB", "4.5 MB", "5 GB", "2.5 TB", "3 PB", "4,000 PB"],
    );
  });
});

describe("formatValue", () => {
  it("formats counts and bytes, abbreviated and exact", () => {
    assert.equal(formatValue(12_345, "count"), "12.3K");
    assert.equal(formatValue(12_345, "bytes"), "12.3 kB");
    assert.equal(formatExact(12_345, "bytes"), "12,345 bytes");
  });
});

describe("formatPercent", () => {
  it("shows one decimal and never rounds a non-zero rate to 0%", () => {
    assert.deepEqual([0, 2 / 7, 1, 0.0004, 0.0005].map(formatPercent), ["0%", "28.6%", "100%", "<0.1%", "0.1%"]);
  });
});

describe("UTC times", () => {
  const d = new Date("2026-11-20T14:00:00Z");
  const midnight = new Date("2026-11-20T00:00:00Z");
  it("formats instants and bucket ticks in UTC regardless of the process time zone", () => {
    assert.equal(formatUtc(new Date("2026-11-20T10:05:59.999Z")), "2026-11-20 10:05 UTC");
    assert.equal(formatBucketTick(d, "hour"), "14:00");
    assert.equal(formatBucketTick(midnight, "hour"), "Nov 20");
    assert.equal(formatBucketTick(midnight, "day"), "Nov 20");
    assert.equal(formatBucketLabel(d, "hour"), "Nov 20, 14:00–15:00 UTC");
    assert.equal(formatBucketLabel(new Date("2026-11-20T23:00:00Z"), "hour"), "Nov 20, 23:00–00:00 UTC");
    assert.equal(formatBucketLabel(midnight, "day"), "Nov 20 UTC");
    assert.equal(formatBucketTick(new Date("2026-11-20T14:05:00Z"), "minute"), "14:05");
    assert.equal(formatBucketLabel(new Date("2026-11-20T14:05:00Z"), "minute"), "Nov 20, 14:05–14:06 UTC");
  });
});
