import { conditionSql, SqlParams } from "../detect/compile-rule";
import { exists, eq, missing, not, any } from "../detect/conditions";
import type { ColumnField } from "../detect/fields";
import type { Condition } from "../detect/rule-schema";
import { getPool } from "../db/pool";
import { toNumber, type Queryable } from "../db/queryable";
import type { SearchQuery } from "./parse-search";
import { encodeCursor } from "./search-cursor";
import type { SearchSource } from "./search-fields";
import { SEARCH_TABLES, searchOrderSql, searchWhereSql } from "./search-sql";
import { eventHref } from "./search-url";

/**
 * Runs searches: one page of rows (keyset-paged), the histogram of all
 * matches, and the count. Each function takes the database as an optional
 * last argument (default: the process pool).
 */

/** A field value as the API and the pages carry it: times ISO 8601 UTC, addresses as text, counts as numbers (bytes are bytes). */
export type FieldValue = string | number | boolean | null;

export interface SearchRow {
  /** Column fields by AWS name (`eventName`, `userIdentity.arn`, `srcaddr`, `log-status`). Attacker-controlled text: render as text. */
  fields: Record<string, FieldValue>;
  /** Stable id within the source: CloudTrail `<recipientAccountId>/<eventID>`, flows `<objectId>:<lineNumber>`. */
  id: string;
  /** CloudTrail: the event's own page; flows: null. */
  href: string | null;
  /** The record as AWS wrote it (CloudTrail `raw`), only when asked for. */
  raw?: unknown;
}

export interface SearchPage {
  rows: SearchRow[];
  /** Cursor of the page after this one, or null when this is the last. */
  nextCursor: string | null;
}

export interface SearchPageOptions {
  /** Also return CloudTrail's raw record per row (exports). */
  includeRaw?: boolean;
}

/**
 * One page of matching records, newest first (ties by primary key, descending), at most `query.limit`
 * rows after `query.cursor`. Reads `limit + 1` rows to know whether another page exists.
 */
export async function searchPage(query: SearchQuery, options: SearchPageOptions = {}, db: Queryable = getPool()): Promise<SearchPage> {
  const t = SEARCH_TABLES[query.source];
  const params = new SqlParams();
  const where = searchWhereSql(query, "e", params);
  const limit = params.add(query.limit + 1);
  const select = [...t.columns.map((c) => `e."${c.column}"`), `e.${t.keys[0]}`, `e.${t.keys[1]}`];
  if (options.includeRaw && query.source === "cloudtrail") select.push("e.raw");
  const { rows } = await db.query(
    `SELECT ${[...new Set(select)].join(", ")}
       FROM ${t.table} e
      WHERE ${where}
      ORDER BY ${searchOrderSql(query.source, "e")}
      LIMIT ${limit}`,
    params.values,
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit).map((r) => toRow(query.source, t.columns, r, options.includeRaw === true));
  const lastRaw = rows[query.limit - 1];
  const nextCursor =
    more && lastRaw
      ? encodeCursor({
          time: lastRaw[t.time] as Date,
          key: query.source === "cloudtrail" ? [String(lastRaw[t.keys[0]]), String(lastRaw[t.keys[1]])] : [String(lastRaw[t.keys[0]]), Number(lastRaw[t.keys[1]])],
          from: query.range.from,
          to: query.range.to,
        })
      : null;
  return { rows: page, nextCursor };
}

function toRow(source: SearchSource, columns: readonly ColumnField[], r: Record<string, unknown>, includeRaw: boolean): SearchRow {
  const fields: Record<string, FieldValue> = {};
  for (const c of columns) fields[c.name] = fieldValue(c, r[c.column]);
  if (source === "cloudtrail") {
    const account = String(r.recipient_account_id);
    const eventId = String(r.event_id);
    return { fields, id: `${account}/${eventId}`, href: eventHref(account, eventId), ...(includeRaw ? { raw: r.raw } : {}) };
  }
  return { fields, id: `${String(r.object_id)}:${String(r.line_number)}`, href: null };
}

function fieldValue(c: ColumnField, v: unknown): FieldValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (c.type === "number") return toNumber(v);
  if (c.type === "boolean") return Boolean(v);
  return String(v);
}

/** One stack of a histogram bar: what part of the matches it counts. */
export interface HistogramSeries {
  key: string;
  label: string;
}

export interface HistogramBucket {
  /** Bucket start (UTC, aligned to a multiple of the width since the Unix epoch). */
  start: Date;
  /** Matches per series key. */
  counts: Record<string, number>;
}

export interface SearchHistogram {
  /** Bar width, seconds. */
  bucketSeconds: number;
  series: HistogramSeries[];
  /** Every bucket from the one containing `from` to the one containing the last instant before `to`, oldest first; empty ones are zeros. */
  buckets: HistogramBucket[];
  /** All matches in the range (the sum of every bar). */
  total: number;
}

/** Bar widths a histogram may use, seconds: the first giving at most {@link MAX_BARS} bars is taken. */
export const HISTOGRAM_WIDTHS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86_400] as const;
export const MAX_BARS = 120;

/** The bar width for a range `[from, to)`: 1 minute for an hour, 15 minutes for a day, 3 hours for a week, 6 hours for 30 days. */
export function histogramWidth(from: Date, to: Date): number {
  const span = (to.getTime() - from.getTime()) / 1000;
  return HISTOGRAM_WIDTHS.find((w) => Math.ceil(span / w) <= MAX_BARS) ?? 86_400;
}

// How bars are split. Conditions over catalogue fields, compiled like filters.
const SPLITS: Record<SearchSource, readonly { key: string; label: string; when: Condition }[]> = {
  cloudtrail: [
    { key: "succeeded", label: "Succeeded", when: missing("errorCode") },
    { key: "failed", label: "Failed (errorCode)", when: exists("errorCode") },
  ],
  vpcflow: [
    { key: "accept", label: "ACCEPT", when: eq("action", "ACCEPT") },
    { key: "reject", label: "REJECT", when: eq("action", "REJECT") },
    { key: "other", label: "No action (NODATA, SKIPDATA)", when: not(any(eq("action", "ACCEPT"), eq("action", "REJECT"))) },
  ],
};

/**
 * Matches per time bucket over the whole range (the cursor is ignored), split into series
 * (CloudTrail: succeeded / failed; flows: ACCEPT / REJECT / other). Throws `RangeError` when `to <= from`.
 */
export async function searchHistogram(query: SearchQuery, db: Queryable = getPool()): Promise<SearchHistogram> {
  const { from, to } = query.range;
  if (to.getTime() <= from.getTime()) throw new RangeError("the time range is empty");
  const t = SEARCH_TABLES[query.source];
  const width = histogramWidth(from, to);
  const params = new SqlParams();
  const where = searchWhereSql(query, "e", params, { ignoreCursor: true });
  const w = params.add(width);
  const splits = SPLITS[query.source];
  const counts = splits.map((s, i) => `count(*) FILTER (WHERE ${conditionSql("e", query.source, s.when, params)}) AS s${i}`);
  const { rows } = await db.query(
    `SELECT floor(extract(epoch FROM e."${t.time}") / ${w})::bigint AS b, ${counts.join(", ")}
       FROM ${t.table} e
      WHERE ${where}
      GROUP BY 1`,
    params.values,
  );
  const byBucket = new Map(rows.map((r) => [toNumber(r.b), r]));
  const first = Math.floor(from.getTime() / 1000 / width);
  const last = Math.floor((to.getTime() - 1) / 1000 / width);
  const buckets: HistogramBucket[] = [];
  let total = 0;
  for (let b = first; b <= last; b++) {
    const r = byBucket.get(b);
    const c: Record<string, number> = {};
    splits.forEach((s, i) => {
      c[s.key] = r ? toNumber(r[`s${i}`]) : 0;
      total += c[s.key]!;
    });
    buckets.push({ start: new Date(b * width * 1000), counts: c });
  }
  return { bucketSeconds: width, series: splits.map(({ key, label }) => ({ key, label })), buckets, total };
}

/** How many records match (the whole range; the cursor is ignored). */
export async function searchCount(query: SearchQuery, db: Queryable = getPool()): Promise<number> {
  const t = SEARCH_TABLES[query.source];
  const params = new SqlParams();
  const where = searchWhereSql(query, "e", params, { ignoreCursor: true });
  const { rows } = await db.query(`SELECT count(*) AS n FROM ${t.table} e WHERE ${where}`, params.values);
  return toNumber(rows[0]?.n);
}
