import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeCopyRow, encodeCopyValue } from "./copy";

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
