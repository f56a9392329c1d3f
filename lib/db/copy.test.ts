import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeCopyRow, encodeCopyValue, isoTime } from "./copy";

test("COPY text encoding escapes what would break a row and keeps everything else", () => {
  assert.equal(encodeCopyValue(null), "\\N");
  assert.equal(encodeCopyValue(true), "t");
  assert.equal(encodeCopyValue(12n), "12");
  assert.equal(encodeCopyValue(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), "2024-01-02T03:04:05.000Z");
  assert.equal(encodeCopyValue("a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e");
  assert.equal(encodeCopyValue("\\N"), "\\\\N", "an attacker's literal \\N stays text, not NULL");
  assert.equal(encodeCopyValue({ "tgw-id": "tgw-1" }), '{"tgw-id":"tgw-1"}');
});

test("encodeCopyRow joins the encoded values with tabs and ends the line", () => {
  assert.equal(encodeCopyRow([1n, "a\tb", null, { x: 1 }]), '1\ta\\tb\t\\N\t{"x":1}\n');
});

test("isoTime formats exactly as Date#toISOString, across hours, milliseconds, before 1970 and beyond year 9999", () => {
  const times = [0, -1, 1, 999, 3_599_999, 3_600_000, Date.UTC(2026, 11, 6, 1, 2, 3, 45), Date.UTC(2026, 11, 6, 1, 2, 3, 7), -62_198_755_200_000, 8.64e15, -8.64e15, 253_402_300_800_000];
  // Many times in a row within one hour and across the next, as a file's rows come, and scattered ones.
  for (let i = 0; i < 5000; i++) times.push(1_780_000_000_000 + i * 997, Math.floor((Math.random() - 0.3) * 2e13));
  for (const ms of times) assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString(), String(ms));
  assert.throws(() => isoTime(new Date(Number.NaN)), RangeError);
});
