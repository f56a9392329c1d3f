import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** A value COPY can carry: text, numbers, booleans, times (sent as UTC ISO-8601), JSON objects, or NULL. */
export type CopyValue = string | number | bigint | boolean | Date | Record<string, unknown> | null;

/**
 * Encodes one value in PostgreSQL's COPY text format
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2):
 * NULL is `\N`; backslash, tab, newline and carriage return are escaped.
 */
export function encodeCopyValue(value: CopyValue): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === "string" ? value : JSON.stringify(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** One row as a line of COPY text (values tab-separated, ending in a newline). */
export function encodeCopyRow(values: readonly CopyValue[]): string {
  return `${values.map(encodeCopyValue).join("\t")}\n`;
}

/**
 * Streams COPY text (whole lines made by `encodeCopyRow`, UTF-8, e.g. a `CopyBatch`'s chunks) into
 * `table (columns)` with `COPY … FROM STDIN` on an open client, waiting whenever the connection's
 * buffer is full. `table` and `columns` must be trusted identifiers. Resolves once Postgres has
 * stored every row, so the buffers may be reused then; rejects with Postgres's error when it refuses
 * the data (the transaction is then aborted, as after any failed statement).
 */
export async function copyText(client: pg.ClientBase, table: string, columns: readonly string[], text: readonly Buffer[]): Promise<void> {
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  const stream = client.query(copyFrom(`COPY ${table} (${quoted}) FROM STDIN`));
  const done = finished(stream);
  for (const piece of text) {
    if (!stream.write(piece)) await Promise.race([new Promise((resolve) => stream.once("drain", resolve)), done]);
  }
  stream.end();
  await done;
}
