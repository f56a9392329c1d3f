import { Readable, Transform, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import { DEFAULT_MAX_OBJECT_BYTES } from "../config";
import { SNIFF_BYTES } from "./route-object";

/**
 * The object's content (after gunzip) is larger than the configured limit
 * (TRAILWATCH_MAX_OBJECT_BYTES), e.g. a gzip bomb. Permanent: reading it again
 * gives the same answer, so the object is recorded as `rejected`, not retried.
 */
export class ObjectTooLargeError extends Error {
  override readonly name = "ObjectTooLargeError";
  constructor(
    /** The limit, bytes of decompressed content. */
    readonly maxBytes: number,
    readonly gzipped: boolean,
    /** Compressed bytes read when the limit was passed (gzip only). */
    readonly compressedBytesRead: number | null,
  ) {
    super(
      `content is larger than TRAILWATCH_MAX_OBJECT_BYTES (${maxBytes} bytes)` +
        (gzipped && compressedBytesRead !== null
          ? ` after gunzip of only ${compressedBytesRead} compressed bytes (ratio over ${Math.floor(maxBytes / Math.max(1, compressedBytesRead))}:1, a gzip bomb?)`
          : "") +
        "; refused while streaming, nothing of it stored — raise the limit and reprocess the object if it is genuine",
    );
  }
}

export interface OpenContentOptions {
  /** Largest decompressed content accepted, bytes; default DEFAULT_MAX_OBJECT_BYTES (2 GiB). */
  maxBytes?: number;
}

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
 * when `body` is read. Decompressed bytes are counted as they stream: past
 * `options.maxBytes` reading stops and `ObjectTooLargeError` surfaces (from this
 * call when the limit is inside the first `SNIFF_BYTES`, else when `body` is read).
 */
export async function openContent(raw: Readable, options: OpenContentOptions = {}): Promise<Content> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const rawPeek = await peek(raw, 2);
  const gzipped = rawPeek.head[0] === 0x1f && rawPeek.head[1] === 0x8b;
  let compressedRead = 0;
  if (gzipped) rawPeek.stream.on("data", (chunk: Buffer) => (compressedRead += chunk.length));
  const gunzipped = gzipped ? rawPeek.stream.pipe(createGunzip()) : rawPeek.stream;
  const decoded = gunzipped.pipe(byteLimit(maxBytes, () => new ObjectTooLargeError(maxBytes, gzipped, gzipped ? compressedRead : null)));
  gunzipped.on("error", (e) => decoded.destroy(e));
  if (gzipped) rawPeek.stream.on("error", (e) => gunzipped.destroy(e));
  // Past the limit, stop reading the source at once (S3 connection, file).
  decoded.on("error", () => rawPeek.stream.destroy());
  const { head, stream } = await peek(decoded, SNIFF_BYTES);
  return { head, body: stream, gzipped };
}

/** Passes bytes through until more than `maxBytes` have gone by, then fails with `tooLarge()`. */
function byteLimit(maxBytes: number, tooLarge: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLarge());
      else callback(null, chunk);
    },
  });
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
