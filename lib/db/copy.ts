import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
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

/** Streams rows into `table (columns)` with `COPY … FROM STDIN` on an open client. `table` and `columns` must be trusted identifiers. */
export async function copyRows(client: pg.ClientBase, table: string, columns: readonly string[], rows: Iterable<CopyValue[]>): Promise<void> {
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  const stream = client.query(copyFrom(`COPY ${table} (${quoted}) FROM STDIN`));
  await pipeline(Readable.from(encodeLines(rows)), stream);
}

function* encodeLines(rows: Iterable<CopyValue[]>): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    chunk += row.map(encodeCopyValue).join("\t") + "\n";
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
