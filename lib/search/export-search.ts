import { stringify } from "csv-stringify/sync";
import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import type { SearchQuery } from "./parse-search";
import { decodeCursor } from "./search-cursor";
import { searchPage, type FieldValue } from "./search-records";

/**
 * Exports the whole result of a search (every page from the first; the
 * cursor is ignored) as CSV or JSON, streamed in keyset batches so memory
 * stays bounded, and capped at `maxRows` with a clear message in the file.
 *
 * - CSV (RFC 4180, csv-stringify): a header of AWS field names, then one row
 *   per record with the query's columns. Cells that a spreadsheet would run
 *   as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) are prefixed
 *   with `'` (OWASP "CSV injection"): every value is attacker-controlled.
 *   When capped, the last line is a single cell starting `# truncated:`.
 * - JSON, CloudTrail: `{"Records":[…],"truncated":false}`: the records as AWS
 *   wrote them (the stored `raw`), in CloudTrail's own file shape, so an export
 *   can be read by any CloudTrail tool (and by `trailwatch import`).
 * - JSON, flow logs: `{"records":[{<AWS field name>: value}],"truncated":false}`.
 * In JSON a capped export ends `"truncated":true,"message":"…"`.
 * Times are ISO 8601 UTC, byte counts bytes.
 */

export type ExportFormat = "csv" | "json";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "json"];

/** Default cap of one export, rows. */
export const EXPORT_MAX_ROWS = 100_000;

export interface ExportOptions {
  format: ExportFormat;
  /** Rows at most (default {@link EXPORT_MAX_ROWS}). */
  maxRows?: number;
  /** Rows read per query (default 1000). */
  batchRows?: number;
}

/** The `Content-Type` and a file name (`trailwatch-events-<from>-<to>.csv`) for an export. */
export function exportFileInfo(query: SearchQuery, format: ExportFormat): { contentType: string; filename: string } {
  const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, "");
  const what = query.source === "cloudtrail" ? "events" : "flows";
  return {
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
    filename: `trailwatch-${what}-${stamp(query.range.from)}Z-${stamp(query.range.to)}Z.${format}`,
  };
}

/** The sentence a capped export ends with. */
export function truncationMessage(maxRows: number): string {
  return `truncated: the export stops at ${maxRows} rows (newest first); narrow the filters or the time range to export the rest`;
}

/**
 * The export as text chunks, newest record first. Throws (from the generator) when the database fails;
 * what was yielded before stays valid CSV rows / a JSON prefix.
 */
export async function* exportSearch(query: SearchQuery, options: ExportOptions, db: Queryable = getPool()): AsyncGenerator<string> {
  const maxRows = options.maxRows ?? EXPORT_MAX_ROWS;
  const batch = Math.max(1, Math.min(options.batchRows ?? 1000, maxRows));
  const json = options.format === "json";
  const cloudtrail = query.source === "cloudtrail";
  const columns = query.columns;

  if (json) yield cloudtrail ? '{"Records":[' : '{"records":[';
  else yield stringify([columns]);

  let written = 0;
  let truncated = false;
  let current: SearchQuery = { ...query, cursor: null };
  for (;;) {
    const limit = Math.min(batch, maxRows - written);
    const page = await searchPage({ ...current, limit }, { includeRaw: json && cloudtrail }, db);
    if (json) {
      const items = page.rows.map((r) => JSON.stringify(cloudtrail ? r.raw : r.fields));
      if (items.length > 0) yield (written > 0 ? ",\n" : "\n") + items.join(",\n");
    } else if (page.rows.length > 0) {
      yield stringify(page.rows.map((r) => columns.map((c) => csvCell(r.fields[c] ?? null))));
    }
    written += page.rows.length;
    if (!page.nextCursor) break;
    if (written >= maxRows) {
      truncated = true;
      break;
    }
    current = { ...current, cursor: decodeCursor(query.source, page.nextCursor) };
  }

  if (json) {
    yield `\n],"truncated":${truncated}${truncated ? `,"message":${JSON.stringify(truncationMessage(maxRows))}` : ""}}\n`;
  } else if (truncated) {
    yield stringify([[`# ${truncationMessage(maxRows)}`]]);
  }
}

/** A CSV cell: text as is except a leading formula character, which gets a `'` (spreadsheets then show it as text). */
export function csvCell(value: FieldValue): string {
  if (value === null) return "";
  const text = String(value);
  return typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
