import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { SNIFF_BYTES } from "./route-object";

export interface Content {
  /** The first `SNIFF_BYTES` decompressed bytes, what the router reads (fewer if the object is smaller). */
  head: Buffer;
  /** All decompressed bytes, head included, as a stream (read it once). */
  body: Readable;
  gzipped: boolean;
}

/**
 * Turns an object's raw bytes into its content: gzip is detected by its magic
 * bytes (1f 8b), never by file name, and decompressed as a stream (concatenated
 * gzip members included), so memory stays bounded whatever the object's size.
 * Errors of the underlying stream or of gunzip (e.g. a truncated file) surface
 * when `body` is read.
 */
export async function openContent(raw: Readable): Promise<Content> {
  const rawPeek = await peek(raw, 2);
  const gzipped = rawPeek.head[0] === 0x1f && rawPeek.head[1] === 0x8b;
  const decoded = gzipped ? rawPeek.stream.pipe(createGunzip()) : rawPeek.stream;
  if (gzipped) rawPeek.stream.on("error", (e) => decoded.destroy(e));
  const { head, stream } = await peek(decoded, SNIFF_BYTES);
  return { head, body: stream, gzipped };
}

/** Reads at least `bytes` bytes (or to the end), and returns them with a stream that replays them before the rest. */
async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay() {
    if (head.length > 0) yield head;
    if (finished) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    }
  }
  const stream = Readable.from(replay(), { objectMode: false });
  stream.on("close", () => void iterator.return?.());
  return { head: head.subarray(0, bytes), stream };
}
