import { numberSql, SOURCE_TABLES, textSql, type SqlParams } from "../detect/compile-rule";
import type { Queryable } from "../db/queryable";
import { S3_ACCESS_DENIED, S3_BUCKET, S3_BYTES_OUT, S3_CALLER, S3_DATA_EVENT_NAMES, S3_DATA_EVENTS } from "./change-catalogue";
import { rawEdgesSql, rollupSpans, storedBucketsSql } from "./grains";
import { firstPresent, firstPresentIndex, type GroupKey, type Measure } from "./report-query";
import { mergeSelections, sameMeasure, sameSelection, selectionSql, type Selection } from "./selection";

/**
 * The S3 callers-per-bucket board (table `s3_bucket_callers`, migration 20261206200100_s3_bucket_callers), for the
 * S3 report's top principals per bucket: S3 data events per bucket and caller (the first present of {@link S3_CALLER}),
 * with their calls, `bytesTransferredOut` (bytes) and AccessDenied refusals. The (bucket, caller) pairs repeat too
 * little for a rollup to be smaller than the events (69k a day at 10M events a month), so:
 * - an hour row per pair, exact;
 * - a day row per bucket for its {@link LISTED_CALLERS} busiest callers of the day, exact, and one row for its other
 *   callers together: their sums and the most any one of them had, which bounds what a caller may lack; likewise a
 *   6-hour row per bucket for each quarter of a day from 00:00 UTC (20261209010000_bucket_callers_six_hours).
 *
 * Reading a range merges day rows for its whole UTC days, 6-hour rows for its other whole quarters of a day, hour
 * rows for its other whole hours and raw events for the partial hours at its edges. A caller's merged value lacks
 * at most the bounds of the days and quarters of its bucket that did not list it: its margin, as the flow leader
 * boards' (lib/reports/leaders.ts), the true value in [value, value + margin].
 *
 * The refresh (`trailwatch_refresh_s3_bucket_callers`, run by lib/reports/rollups.ts' refreshRollups) rebuilds the
 * hours marked dirty, their quarters of a day and their days; bucket-callers.int.test.ts compares the board with the
 * raw events.
 */

/** Callers a day row lists per bucket: 30 days of the 5 busiest buckets read ≈ 30 × 5 × 25 day rows. */
export const LISTED_CALLERS = 25;

/** The board's columns, as the measures a panel asks for within its records: calls, bytes sent, AccessDenied refusals. */
const KEPT: Record<string, Measure> = {
  records: { kind: "count" },
  bytes_out: { kind: "sum", field: S3_BYTES_OUT },
  denied: { kind: "count", where: S3_ACCESS_DENIED },
};

/**
 * Rebuilds the board's rows for the CloudTrail hours marked since the last refresh, their quarters of a day and
 * their days. Returns how many hours were rebuilt. Throws when the database fails.
 */
export async function refreshBucketCallers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_s3_bucket_callers($1::text[], $2) AS n", [[...S3_DATA_EVENT_NAMES], LISTED_CALLERS]);
  return Number(rows[0]?.n ?? 0);
}

/**
 * SQL of the busiest `perBucket` callers of each of `buckets` over `[from, to)` (UTC), busiest first within a
 * bucket, with columns `bucket_name`, `caller`, `caller_field` (index in {@link S3_CALLER} of the field the caller
 * came from), `records`, `bytes_out`, `denied` (lower bounds), `<column>_error` (what each may lack),
 * `first_time`, `last_time`. Null when the range holds no whole hour (raw events are then as cheap). Parameters
 * are added to `params`.
 */
export function bucketCallersSql(buckets: readonly string[], from: Date, to: Date, perBucket: number, params: SqlParams): string | null {
  const spans = rollupSpans(from, to, "day", { sixHours: true });
  if (!spans) return null;
  const names = params.add(buckets);
  const stored = storedBucketsSql(spans.stored, params);
  const e = "e";
  const { table, time } = SOURCE_TABLES.cloudtrail;
  const callers = S3_CALLER.map((f) => textSql(e, "cloudtrail", f, params));
  const denied = selectionSql(e, "cloudtrail", S3_ACCESS_DENIED, params);
  const base = selectionSql(e, "cloudtrail", mergeSelections(S3_DATA_EVENTS, { include: { [S3_BUCKET]: [...buckets] } }), params);
  const columns = Object.keys(KEPT);
  // The raw events of the partial hours at the edges: exact, so nothing unlisted.
  const edges = `SELECT ${textSql(e, "cloudtrail", S3_BUCKET, params)}, ${firstPresent(callers)}, ${firstPresentIndex(callers)},
                        count(*), coalesce(sum(${numberSql(e, "cloudtrail", S3_BYTES_OUT, params)}), 0), count(*) FILTER (WHERE ${denied}),
                        0, 0, 0, min(${e}.${time}), max(${e}.${time})
                   FROM ${table} ${e}
                  WHERE ${rawEdgesSql(`${e}.${time}`, from, to, spans, params)}
                    AND ${base}
                  GROUP BY 1, 2, 3`;
  // A caller may lack the bounds of its bucket's days that did not list it: all of them less those that did.
  const errors = columns.map((c) => `coalesce(b.${c}, 0) - m.${c}_listed_bound AS ${c}_error`).join(", ");
  return `WITH stored AS MATERIALIZED (
      SELECT bucket_name, rank, caller, caller_field, ${columns.join(", ")}, ${columns.map((c) => `${c}_unlisted`).join(", ")}, first_time, last_time
        FROM s3_bucket_callers WHERE bucket_name = ANY(${names}::text[]) AND (${stored})),
    bounds AS (
      SELECT bucket_name, ${columns.map((c) => `sum(${c}_unlisted) AS ${c}`).join(", ")} FROM stored WHERE rank = 0 GROUP BY 1),
    merged AS (
      SELECT bucket_name, caller, caller_field, ${columns.map((c) => `sum(${c}) AS ${c}, sum(${c}_unlisted) AS ${c}_listed_bound`).join(", ")},
             min(first_time) AS first_time, max(last_time) AS last_time
        FROM (SELECT bucket_name, caller, caller_field, ${columns.join(", ")}, ${columns.map((c) => `${c}_unlisted`).join(", ")}, first_time, last_time
                FROM stored WHERE rank > 0
              UNION ALL
              ${edges}) r
       GROUP BY 1, 2, 3),
    ranked AS (
      SELECT m.bucket_name, m.caller, m.caller_field, ${columns.map((c) => `m.${c}`).join(", ")}, ${errors}, m.first_time, m.last_time,
             row_number() OVER (PARTITION BY m.bucket_name ORDER BY m.records DESC, m.caller COLLATE "C" ASC NULLS LAST) AS rank_in_bucket
        FROM merged m LEFT JOIN bounds b ON b.bucket_name = m.bucket_name)
  SELECT * FROM ranked WHERE rank_in_bucket <= ${params.add(perBucket)} ORDER BY bucket_name, rank_in_bucket`;
}

/** The board column holding `measure`, or null. */
function columnFor(measure: Measure): string | null {
  return Object.entries(KEPT).find(([, m]) => sameMeasure("cloudtrail", m, measure))?.[0] ?? null;
}

/**
 * When a grouping is exactly one the board answers — S3 data events of a list of buckets, keyed by the bucket
 * (ranked within it) and the caller, measures the board keeps, ranked by calls — the buckets, the names of its two
 * keys and the column of each measure; else null.
 */
export function bucketCallersFor(query: {
  base?: Selection;
  keys: Record<string, GroupKey>;
  measures: Record<string, Measure>;
  orderBy: string;
  perKey?: { key: string };
}): { buckets: string[]; bucketKey: string; callerKey: string; columns: Record<string, string> } | null {
  const keyNames = Object.keys(query.keys);
  const bucketKey = keyNames.find((k) => query.keys[k] === S3_BUCKET);
  const callerKey = keyNames.find((k) => JSON.stringify(query.keys[k]) === JSON.stringify(S3_CALLER));
  if (keyNames.length !== 2 || !bucketKey || !callerKey || query.perKey?.key !== bucketKey) return null;
  const listed = query.base?.include?.[S3_BUCKET];
  if (!Array.isArray(listed) || !listed.every((b): b is string => typeof b === "string")) return null;
  const { [S3_BUCKET]: _, ...include } = query.base?.include ?? {};
  if (!sameSelection("cloudtrail", { ...query.base, include }, S3_DATA_EVENTS)) return null;
  const columns: Record<string, string> = {};
  for (const [name, measure] of Object.entries(query.measures)) {
    const column = columnFor(measure);
    if (!column) return null;
    columns[name] = column;
  }
  return columns[query.orderBy] === "records" ? { buckets: listed, bucketKey, callerKey, columns } : null;
}
