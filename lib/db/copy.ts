import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** A value COPY can carry: text, numbers, booleans, times (sent as UTC ISO-8601), JSON objects, or NULL. */
export type CopyValue = string | number | bigint | boolean | Date | Record<string, unknown> | null;

/**
 * Encodes one value in PostgreSQL's COPY text format
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2):
 * NULL is `\N`; backslash, tab, newline and carriage return are escaped.
 * Called for every value of every row loaded (tens of millions per hour of flow logs), so each type
 * takes its cheapest path: see `escapeCopyText` and `isoTime`.
 */
export function encodeCopyValue(value: CopyValue): string {
  if (value === null) return "\\N";
  switch (typeof value) {
    case "string":
      return escapeCopyText(value);
    case "number":
    case "bigint":
      return `${value}`;
    case "boolean":
      return value ? "t" : "f";
  }
  return value instanceof Date ? isoTime(value) : escapeCopyText(JSON.stringify(value));
}

/** One row as a line of COPY text (values tab-separated, ending in a newline). */
export function encodeCopyRow(values: readonly CopyValue[]): string {
  // A loop of concatenations, not map + join: no array per row.
  let line = values.length === 0 ? "" : encodeCopyValue(values[0]!);
  for (let i = 1; i < values.length; i++) line += `\t${encodeCopyValue(values[i]!)}`;
  return `${line}\n`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;

/** Text with COPY's special characters escaped; the text itself (no copy) in the usual case where it has none. */
function escapeCopyText(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(COPY_SPECIAL_ALL, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

const HOUR_MS = 3_600_000;
/** `isoTime`'s cache: the last UTC hour (ms since the epoch / HOUR_MS) it formatted, and that hour's ISO text up to the minutes ("2026-12-06T01:"). */
let cachedHour = Number.NaN;
let cachedHourPrefix = "";
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"));

/**
 * `date.toISOString()` (UTC, milliseconds, e.g. `2026-12-06T01:02:03.000Z`), about ten times faster: the date
 * part is formatted once per UTC hour (rows of one object mostly share their hours) and the minutes, seconds
 * and milliseconds by arithmetic. `toISOString` costs about 1 µs a call, twice per flow record.
 * Throws RangeError for an invalid Date, as `toISOString` does.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  const hour = Math.floor(ms / HOUR_MS);
  if (hour !== cachedHour) {
    // Every hour's ISO text ends in "00:00.000Z"; what comes before is the date and hour, years beyond 9999 included.
    cachedHourPrefix = new Date(hour * HOUR_MS).toISOString().slice(0, -10);
    cachedHour = hour;
  }
  let rest = ms - hour * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedHourPrefix}${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
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
