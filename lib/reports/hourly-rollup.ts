import type { SqlParams } from "../detect/compile-rule";
import type { Queryable } from "../db/queryable";
import type { RecordSource, Selection } from "./selection";

/**
 * The hourly CloudTrail rollup (`cloudtrail_hourly`, prisma/migrations/20261204120000_cloudtrail_hourly_rollup):
 * events per UTC hour × recipientAccountId × awsRegion × eventSource × eventName × readOnly × errorCode, with
 * the first and last event time of each row. The ingest transaction records the hours of the events
 * it stored ({@link markRollupHours}); triggers on `cloudtrail_events` record the hours every update and
 * delete touched (retention); {@link refreshHourlyRollup} recomputes those hours from the raw rows, so the
 * rollup equals the raw answer once refreshed, whatever arrived (re-delivered duplicates store nothing;
 * late data marks its old hour). lib/reports/report-query.ts reads it through {@link hourlyRollupRelation}
 * for panels that only count, group and filter by these fields; everything else reads raw rows.
 */

/** CloudTrail catalogue fields the rollup keeps, under the same column names as `cloudtrail_events`. */
export const ROLLUP_FIELDS: ReadonlySet<string> = new Set(["recipientAccountId", "awsRegion", "eventSource", "eventName", "readOnly", "errorCode"]);

const HOUR_MS = 3_600_000;

/** Whether every field of these selections and keys is in the rollup. */
export function coveredByRollup(source: RecordSource, selections: readonly (Selection | undefined)[], fields: readonly string[] = []): boolean {
  if (source !== "cloudtrail") return false;
  const used = [...fields, ...selections.flatMap((s) => [...Object.keys(s?.include ?? {}), ...Object.keys(s?.exclude ?? {})])];
  return used.every((f) => ROLLUP_FIELDS.has(f));
}

/**
 * Marks the UTC hours of the CloudTrail events stored by these ledger objects (`ingest_objects.id`) for the
 * next refresh: part of the load transaction, so the marks commit with the rows. Throws when the database fails.
 */
export async function markRollupHours(db: Queryable, objectIds: readonly bigint[]): Promise<void> {
  await db.query(
    `INSERT INTO rollup_dirty_hours (hour)
     SELECT DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events WHERE object_id = ANY($1::bigint[])`,
    [objectIds.map(String)],
  );
}

/**
 * Recomputes the hours marked dirty since the last refresh (one refresh at a time; the others wait for it).
 * Returns how many hours were rebuilt. Throws when the database fails.
 */
export async function refreshHourlyRollup(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_cloudtrail_hourly() AS n");
  return Number(rows[0]?.n ?? 0);
}

/**
 * A relation with the rollup's columns (`hour` UTC timestamp, the field columns, `events`, `first_time`,
 * `last_time`) covering `[from, to)` exactly: rollup rows for the whole hours inside the range, and raw
 * events of the partial hours at its edges aggregated the same way. Null when the range holds no whole
 * hour (then raw rows are as cheap). Parameters are added to `params`.
 */
export function hourlyRollupRelation(from: Date, to: Date, params: SqlParams): string | null {
  const firstHour = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const endHour = new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  if (endHour.getTime() <= firstHour.getTime()) return null;
  const f = params.add(from);
  const fh = params.add(firstHour);
  const eh = params.add(endHour);
  const t = params.add(to);
  const columns = "recipient_account_id, aws_region, event_source, event_name, read_only, error_code";
  return `(SELECT hour, ${columns}, events, first_time, last_time
             FROM cloudtrail_hourly
            WHERE hour >= (${fh}::timestamptz AT TIME ZONE 'UTC') AND hour < (${eh}::timestamptz AT TIME ZONE 'UTC')
           UNION ALL
           SELECT date_trunc('hour', event_time AT TIME ZONE 'UTC'), ${columns}, count(*), min(event_time), max(event_time)
             FROM cloudtrail_events
            WHERE (event_time >= ${f}::timestamptz AND event_time < ${fh}::timestamptz)
               OR (event_time >= ${eh}::timestamptz AND event_time < ${t}::timestamptz)
            GROUP BY 1, 2, 3, 4, 5, 6, 7)`;
}
