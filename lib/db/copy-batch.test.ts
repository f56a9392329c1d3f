import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeCopyRow } from "./copy";
import { COPY_CHUNK_BYTES, CopyBatch } from "./copy-batch";

/** Rows of varied sizes and scripts: ASCII, multi-byte UTF-8 (é, 東, emoji), and one far longer than a chunk. */
function sampleLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i += 1) lines.push(encodeCopyRow([BigInt(i), `row ${i} ${"é東😀".repeat(i % 7)}`, "x".repeat(i % 300), null]));
  lines.splice(1500, 0, encodeCopyRow([1500n, "y".repeat(COPY_CHUNK_BYTES * 2 + 3), "東"]));
  return lines;
}

test("a CopyBatch holds its rows' COPY text in order, as UTF-8, across chunk boundaries and in a chunk of its own for an oversized row", () => {
  const lines = sampleLines();
  const batch = new CopyBatch();
  lines.forEach((line, i) => batch.push(line, i * 10));
  assert.equal(batch.rows, lines.length);
  const expected = Buffer.from(lines.join(""), "utf8");
  assert.equal(batch.bytes, expected.length);
  const chunks = batch.chunks();
  assert.ok(chunks.length > 2, "the sample spans several chunks");
  assert.ok(chunks.every((c) => c.length <= COPY_CHUNK_BYTES || c.length > COPY_CHUNK_BYTES * 2), "chunks are at most a chunk long, except the oversized row's");
  assert.deepEqual(Buffer.concat(chunks), expected);
  for (const i of [0, 1, 1499, 1500, 1501, lines.length - 1]) {
    const row = batch.row(i);
    assert.equal(row.text.toString("utf8"), lines[i], `row ${i}`);
    assert.equal(row.position, i * 10);
  }
});

test("after clear() a CopyBatch is empty and the next batch's text is exactly its own rows", () => {
  const batch = new CopyBatch();
  for (const line of sampleLines()) batch.push(line, 0);
  batch.clear();
  assert.equal(batch.rows, 0);
  assert.equal(batch.bytes, 0);
  assert.deepEqual(batch.chunks(), []);
  const next = [encodeCopyRow([1n, "a\tb"]), encodeCopyRow([2n, "ü"])];
  next.forEach((line, i) => batch.push(line, i + 1));
  assert.equal(Buffer.concat(batch.chunks()).toString("utf8"), next.join(""));
  assert.deepEqual([batch.row(0).position, batch.row(1).position], [1, 2]);
  assert.equal(batch.row(1).text.toString("utf8"), next[1]);
});
