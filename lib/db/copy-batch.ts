/** Bytes per chunk of a batch's text (a row longer than this gets a chunk of its own). */
export const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * A batch of rows for one COPY, held as their COPY text (lines made by `encodeCopyRow`) in UTF-8,
 * in chunks of `COPY_CHUNK_BYTES` that are reused from one batch to the next, with each row's
 * place and its position in its file (for rejections).
 *
 * Why bytes and not the lines as strings: a batch lives while thousands of rows are parsed and
 * then while Postgres reads it, longer than V8's young generation keeps objects, so its strings
 * were promoted to the old generation and dropped there by the thousand per batch; the old
 * generation then grew to about four times the live heap before each full collection (issue 9,
 * worker memory; docs/performance.md). Here a row's string is dead as soon as it is copied in,
 * and the chunks' memory is outside the JS heap and reused.
 *
 * Rows never span chunks, so `row(i)` is one view. Views (`row`, `chunks`) are valid until
 * `clear()`: call it only after the COPY that reads them has finished.
 */
export class CopyBatch {
  private readonly chunkList: Buffer[] = [];
  /** Index of the chunk being filled and how many of its bytes are used. */
  private current = -1;
  private used = 0;
  /** Per row: chunk index, start, end, position. */
  private index = new Float64Array(4 * 1024);
  private count = 0;
  private totalBytes = 0;

  /** Rows in the batch. */
  get rows(): number {
    return this.count;
  }

  /** Bytes of COPY text in the batch. */
  get bytes(): number {
    return this.totalBytes;
  }

  /**
   * Appends one row: `line` is its COPY text ending in a newline (`encodeCopyRow`), `position` its
   * place in its file (a line number or a record index).
   */
  push(line: string, position: number): void {
    let chunk = this.chunkList[this.current];
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: where that much room is left (nearly always), the
    // line is written straight away and `write` says how long it was; measuring it first would read it twice.
    let length = 3 * line.length;
    if (chunk === undefined || this.used + length > chunk.length) {
      length = Buffer.byteLength(line);
      if (chunk === undefined || this.used + length > chunk.length) {
        this.current += 1;
        chunk = this.chunkList[this.current];
        if (chunk === undefined || chunk.length < length) {
          chunk = Buffer.allocUnsafeSlow(Math.max(COPY_CHUNK_BYTES, length));
          this.chunkList[this.current] = chunk;
        }
        this.used = 0;
      }
    }
    length = chunk.write(line, this.used, "utf8");
    if (this.index.length < (this.count + 1) * 4) {
      const grown = new Float64Array(this.index.length * 2);
      grown.set(this.index);
      this.index = grown;
    }
    const at = this.count * 4;
    this.index[at] = this.current;
    this.index[at + 1] = this.used;
    this.index[at + 2] = this.used + length;
    this.index[at + 3] = position;
    this.used += length;
    this.totalBytes += length;
    this.count += 1;
  }

  /** The batch's text, in row order, as views of the filled part of each chunk. */
  chunks(): Buffer[] {
    const views: Buffer[] = [];
    for (let i = 0; i < this.count; ) {
      const chunk = this.index[i * 4]!;
      const start = this.index[i * 4 + 1]!;
      let end = this.index[i * 4 + 2]!;
      for (i += 1; i < this.count && this.index[i * 4] === chunk; i += 1) end = this.index[i * 4 + 2]!;
      views.push(this.chunkList[chunk]!.subarray(start, end));
    }
    return views;
  }

  /** Row `i`'s COPY text (a view) and its position. */
  row(i: number): { text: Buffer; position: number } {
    const at = i * 4;
    return { text: this.chunkList[this.index[at]!]!.subarray(this.index[at + 1], this.index[at + 2]), position: this.index[at + 3]! };
  }

  /** Empties the batch, keeping its chunks for the next one. */
  clear(): void {
    this.current = -1;
    this.used = 0;
    this.count = 0;
    this.totalBytes = 0;
  }
}
