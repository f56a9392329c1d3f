import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { ObjectTooLargeError, openContent } from "./open-content";
import { SNIFF_BYTES } from "./route-object";

const chunked = (buf: Buffer, size: number) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

test("gzip is detected by magic bytes, whatever the name, even one byte at a time", async () => {
  const plain = Buffer.from("version srcaddr\n2 10.0.0.1\n".repeat(1000));
  const content = await openContent(chunked(gzipSync(plain), 1));
  assert.equal(content.gzipped, true);
  assert.equal(content.head.length, SNIFF_BYTES);
  assert.equal(await text(content.body), plain.toString());
});

test("plain content passes through unchanged, head included once", async () => {
  const plain = Buffer.from('{"Records":[]}');
  const content = await openContent(chunked(plain, 3));
  assert.equal(content.gzipped, false);
  assert.equal(content.head.toString(), '{"Records":[]}');
  assert.equal(await text(content.body), '{"Records":[]}');
});

test("concatenated gzip members decompress whole", async () => {
  const content = await openContent(Readable.from([Buffer.concat([gzipSync("first\n"), gzipSync("second\n")])]));
  assert.equal(await text(content.body), "first\nsecond\n");
});

test("a truncated gzip fails when read, not silently", async () => {
  const broken = gzipSync(Buffer.from("x".repeat(100_000) + Math.random())).subarray(0, 60);
  const content = await openContent(Readable.from([broken]));
  await assert.rejects(text(content.body), /unexpected end of file/);
});

test("a gzip bomb is refused once its decompressed bytes pass the limit, without reading the rest", async () => {
  // 64 MiB of zeros compress to ~64 KB; a 1 MiB limit stops after a few chunks.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  let readFromSource = 0;
  const source = Readable.from((function* () {
    for (let i = 0; i < bomb.length; i += 1024) {
      readFromSource += 1024;
      yield bomb.subarray(i, i + 1024);
    }
  })());
  const content = await openContent(source, { maxBytes: 1024 * 1024 });
  await assert.rejects(text(content.body), (error: unknown) => {
    assert.ok(error instanceof ObjectTooLargeError);
    assert.match(error.message, /larger than TRAILWATCH_MAX_OBJECT_BYTES \(1048576 bytes\) after gunzip of only \d+ compressed bytes/);
    return true;
  });
  assert.ok(readFromSource < bomb.length, "the rest of the bomb was never read");
});

test("content at the limit passes; one byte over it (plain or within the first bytes) is refused", async () => {
  const plain = Buffer.from("x".repeat(5000));
  assert.equal(await text((await openContent(Readable.from([plain]), { maxBytes: 5000 })).body), plain.toString());
  await assert.rejects(async () => text((await openContent(Readable.from([plain]), { maxBytes: 4999 })).body), ObjectTooLargeError);
  await assert.rejects(async () => text((await openContent(Readable.from([gzipSync(plain)]), { maxBytes: 4999 })).body), ObjectTooLargeError);
});
