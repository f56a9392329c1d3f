import { columnName, numberSql, SOURCE_TABLES, type SqlParams } from "../detect/compile-rule";
import type { Queryable } from "../db/queryable";
import type { Logger } from "../log";
import { pause } from "../ops/heartbeat";
import { presenceSpan, rawEdges, rollupSpans, storedBucketsSql, type GrainSpan, type RollupGrain } from "./grains";
import { refreshCloudTrailLeaders, refreshFlowLeaders } from "./leaders";
import { refreshBucketCallers } from "./bucket-callers";
import { refreshSignInSightings } from "./sign-in-sightings";
import { ASSUME_ROLE, IAM_WRITES } from "./change-catalogue";
import { selectionSql, selectionWithin, type RecordSource, type Selection } from "./selection";
import { SIGNIN_EVENTS } from "./slices";

/**
 * The report rollups (tables `cloudtrail_rollup` and `flow_rollup`, migrations 20261204120000_report_rollups and
 * 20261206100000_report_rollups_actors_slices; week rows: 20261206130000_rollup_weeks; `buckets`:
 * 20261206140000_s3_report_rollup_slice; 5-minute rows: 20261206200000_flow_five_minute_rows and
 * 20261207000000_cloudtrail_five_minute_rows; 6-hour rows: 20261207010000_rollup_six_hour_rows; `sessions` and `logins`:
 * 20261206190000_assume_role_sessions_rollup, 20261207030000_logins_rollup): records per UTC
 * hour, for the narrow rollups per UTC 6 hours, day and week too, and for the narrowest per 5 minutes
 * ({@link Rollup.fiveMinutes}), for
 * each combination of a few low-cardinality fields, with the first and last record time (and the sums of flows'
 * `bytes` and `packets` and of S3's `additionalEventData.bytesTransferredOut`, in bytes). The ingest transaction
 * records the hours of the rows it loaded ({@link markRollupHours});
 * triggers record the hours every update and delete touched (retention); {@link refreshRollups} recomputes
 * those hours, their quarters of a day, days and weeks from the raw rows, so a rollup equals the raw answer once refreshed, whatever
 * arrived (re-delivered duplicates store nothing; late data marks its old hour).
 *
 * lib/reports/report-query.ts reads the narrowest rollup holding every field a panel counts, groups and
 * filters by ({@link rollupFor}) through {@link rollupRelation}; everything else reads raw rows.
 */

/** One rollup: the catalogue fields it keeps, under the raw table's column names. */
export interface Rollup {
  /** The value of the table's `rollup` column. */
  name: string;
  source: RecordSource;
  fields: readonly string[];
  /** Numeric fields stored as sums (under the raw column's name, as `numeric`; a text field's values are read with `trailwatch_numeric`). */
  sums: readonly string[];
  /** Whether 6-hour, day and week rows are kept besides hour rows (the rollups small enough to be worth it). */
  daily: boolean;
  /**
   * Whether 5-minute rows are kept besides hour rows, for the partial hours at a range's edges: flow records are
   * ≈ 70k an hour at 50M a month and CloudTrail events ≈ 14k at 10M, which the edges would otherwise group from raw
   * rows on every read. Only for a rollup with few rows per 5 minutes (`interfaces` would keep a third as many rows as
   * records; `principals` and `sources` nearly one per event).
   */
  fiveMinutes?: boolean;
  /**
   * The records it counts, when not all of them (plain values, as a slice's): a panel reads it only when its base
   * selection lies within (lib/reports/selection.ts selectionWithin). For fields that are nearly unique across all
   * records but repeat within a few (a role session's name and caller, in role assumptions).
   */
  within?: Selection;
}

/**
 * Every rollup, narrowest first (fewest rows per hour on real trails): {@link rollupFor} takes the first that
 * holds a panel's fields. The refresh function of the migrations builds exactly these (rollups.int.test.ts checks).
 */
export const ROLLUPS: readonly Rollup[] = [
  // Sign-ins (the `signins` slice's records) per call, identity type, result and MFA: the Login audit's tiles and
  // chart. 13 to 25 rows per bucket at 10M events; first, since within its records it is the narrowest.
  {
    name: "logins",
    source: "cloudtrail",
    within: SIGNIN_EVENTS,
    fields: ["eventSource", "eventName", "userIdentity.type", "responseElements.ConsoleLogin", "additionalEventData.MFAUsed"],
    sums: [],
    daily: true,
  },
  { name: "errors", source: "cloudtrail", fields: ["errorCode"], sums: [], daily: true, fiveMinutes: true },
  // readOnly follows from the event name: it adds no rows to `names`, and few to `regions`.
  { name: "names", source: "cloudtrail", fields: ["eventSource", "eventName", "readOnly"], sums: [], daily: true, fiveMinutes: true },
  { name: "regions", source: "cloudtrail", fields: ["recipientAccountId", "awsRegion", "readOnly"], sums: [], daily: true, fiveMinutes: true },
  { name: "sources", source: "cloudtrail", fields: ["sourceIPAddress"], sums: [], daily: true },
  // With S3's bytes out: the S3 report's tiles read its rows, not a row per bucket of `buckets`.
  { name: "activity", source: "cloudtrail", fields: ["eventSource", "eventName", "readOnly", "errorCode"], sums: ["additionalEventData.bytesTransferredOut"], daily: true, fiveMinutes: true },
  { name: "accounts", source: "cloudtrail", fields: ["recipientAccountId", "awsRegion", "readOnly", "errorCode"], sums: [], daily: true, fiveMinutes: true },
  // The ARN names its account: the account column adds no rows, and the account filter can use this rollup.
  { name: "principals", source: "cloudtrail", fields: ["recipientAccountId", "userIdentity.arn"], sums: [], daily: true },
  // Events without a bucket add the rows of `activity`; S3 has a few hundred (bucket, call, error) combinations a day.
  { name: "buckets", source: "cloudtrail", fields: ["eventSource", "eventName", "readOnly", "errorCode", "requestParameters.bucketName"], sums: ["additionalEventData.bytesTransferredOut"], daily: true, fiveMinutes: true },
  { name: "detail", source: "cloudtrail", fields: ["recipientAccountId", "awsRegion", "eventSource", "eventName", "readOnly", "errorCode"], sums: [], daily: false },
  // Role assumptions per role, session name, caller and source identity (the IAM audit's sessions): a session repeats
  // over a day and a week, while across all events its fields are nearly unique per call. The caller's ARN names
  // its account, so the account column adds no rows.
  {
    name: "sessions",
    source: "cloudtrail",
    within: ASSUME_ROLE,
    fields: [
      ...["recipientAccountId", "eventSource", "eventName", "errorCode", "userIdentity.arn", "userIdentity.userName", "userIdentity.invokedBy"],
      ...["requestParameters.roleArn", "requestParameters.roleSessionName", "requestParameters.sourceIdentity"],
    ],
    sums: [],
    daily: true,
  },
  // IAM writes per account, principal and error: the IAM audit's distinct principals changing IAM read the rows of one
  // grain (rollupPresence), a few per principal, not every change. The event source and readOnly are nearly constant
  // within its records (kept so a panel's selection on them can read it).
  { name: "changers", source: "cloudtrail", within: IAM_WRITES, fields: ["recipientAccountId", "eventSource", "readOnly", "errorCode", "userIdentity.arn"], sums: [], daily: true },
  // `traffic` without the account and region: at most a dozen rows per bucket, for the panels over every account.
  { name: "actions", source: "vpcflow", fields: ["action", "log-status", "flow-direction"], sums: ["bytes", "packets"], daily: true, fiveMinutes: true },
  { name: "traffic", source: "vpcflow", fields: ["account-id", "region", "action", "log-status", "flow-direction"], sums: ["bytes", "packets"], daily: true, fiveMinutes: true },
  // An interface lives in one account, region, VPC and subnet: those columns add no rows.
  { name: "interfaces", source: "vpcflow", fields: ["account-id", "region", "vpc-id", "subnet-id", "interface-id", "action", "log-status"], sums: ["bytes", "packets"], daily: true },
];

/** Each source's rollup table (its raw table and time column are the rule engine's `SOURCE_TABLES`). */
const ROLLUP_TABLES: Record<RecordSource, string> = { cloudtrail: "cloudtrail_rollup", vpcflow: "flow_rollup" };


/**
 * The narrowest rollup of `source` keeping every one of `fields` and summing every one of `sums`, and counting every
 * record of each of `counted` (the selections a panel counts: its base selection, or each number's own where rows are
 * not groups; a rollup `within` a selection only serves panels whose records all lie within it), or null.
 */
export function rollupFor(source: RecordSource, fields: readonly string[], sums: readonly string[] = [], counted: readonly (Selection | undefined)[] = [undefined]): Rollup | null {
  const serves = (r: Rollup) => r.source === source && fields.every((f) => r.fields.includes(f)) && sums.every((s) => r.sums.includes(s));
  const holds = (r: Rollup) => !r.within || (counted.length > 0 && counted.every((c) => selectionWithin(c, r.within!)));
  return ROLLUPS.find((r) => serves(r) && holds(r)) ?? null;
}

/**
 * Marks UTC hours of `source` for the next refresh: the hour holding each of `hours` (any time in it, e.g.
 * its start; repeats are harmless). The loader (lib/ingest/load-rows.ts) passes the hours of the rows it loaded,
 * collected as it encoded them, inside its transaction, so the marks commit with the rows: no scan of the
 * stored rows. Throws when the database fails.
 */
export async function markRollupHours(db: Queryable, source: RecordSource, hours: readonly Date[]): Promise<void> {
  if (hours.length === 0) return;
  await db.query(
    `INSERT INTO rollup_dirty_hours (source, hour) SELECT $1::text, date_trunc('hour', h AT TIME ZONE 'UTC') FROM unnest($2::timestamptz[]) h`,
    [source, hours],
  );
}

/**
 * Recomputes every rollup for the hours marked dirty since the last refresh, and the 6 hours, days and weeks holding
 * them, then the leader boards of those hours (lib/reports/leaders.ts), the S3 callers-per-bucket board
 * (lib/reports/bucket-callers.ts) and the sign-in sightings (lib/reports/sign-in-sightings.ts); one refresh at a
 * time, the others wait for it. Returns how many hours were rebuilt (an hour counts once for its rollups, once for
 * each board and once for the sightings). Throws when the database fails.
 *
 * Every hour marked before the call is rolled up when the promise resolves. Calls on the same handle share a
 * refresh: while one is under way (it may have taken its hours before this caller's were marked), the callers
 * arriving meanwhile share the next one. So a page whose panels all refresh first holds one connection waiting
 * for a long refresh (the worker's backfill), not one per panel, which would exhaust the pool.
 */
export function refreshRollups(db: Queryable): Promise<number> {
  const shared = sharedRefreshes.get(db);
  if (!shared) return startRefresh(db);
  shared.next ??= shared.running.then(noop, noop).then(() => startRefresh(db));
  return shared.next;
}

/** Per database handle: the refresh under way, and the one queued after it for the callers that arrived meanwhile. */
const sharedRefreshes = new WeakMap<Queryable, { running: Promise<number>; next?: Promise<number> }>();
const noop = () => undefined;

function startRefresh(db: Queryable): Promise<number> {
  const running: Promise<number> = refreshOnce(db).finally(() => {
    // The queued refresh, if any, replaces this entry as it starts.
    if (!sharedRefreshes.get(db)?.next) sharedRefreshes.delete(db);
  });
  sharedRefreshes.set(db, { running });
  return running;
}

async function refreshOnce(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_rollups() AS n");
  // The CloudTrail boards' coarser rows come from the rollups' rows, the sightings from the slices': after the rollups.
  return (
    Number(rows[0]?.n ?? 0) +
    (await refreshFlowLeaders(db)) +
    (await refreshBucketCallers(db)) +
    (await refreshCloudTrailLeaders(db)) +
    (await refreshSignInSightings(db))
  );
}

/**
 * Refreshes the rollups every `everyMs` (default 10 s) until `signal` aborts, so a report read rarely finds
 * hours to rebuild (it refreshes first, and waits for a refresh under way). Errors are logged and retried
 * at the next tick. Part of the worker process (workers/ingest.ts) and the demo.
 *
 * While `busy()` (asked once per tick) says objects are loading, a tick is skipped unless the last refresh is
 * `maxDeferMs` (default 60 s) old: an hour still being loaded would be rebuilt at every tick, each time competing
 * with the load for the cores (at the issue's sizes the worker loaded at 0.68-0.79 of the `\copy` ceiling with a
 * refresh every 10 s, at 0.74-0.95 with it deferred: docs/performance.md, Ingest). Reads stay exact: they refresh
 * the hours left first.
 */
export function startRollupRefresh(options: {
  pool: Queryable;
  log: Logger;
  signal: AbortSignal;
  everyMs?: number;
  busy?: () => boolean;
  maxDeferMs?: number;
}): { done: Promise<void> } {
  const maxDeferMs = options.maxDeferMs ?? 60_000;
  let lastRefresh = Number.NEGATIVE_INFINITY;
  const loop = async () => {
    while (!options.signal.aborted) {
      if (!options.busy?.() || performance.now() - lastRefresh >= maxDeferMs) {
        try {
          const hours = await refreshRollups(options.pool);
          if (hours > 0) options.log.debug({ hours }, "rollups refreshed");
        } catch (error) {
          options.log.error({ err: error }, "rollup refresh failed; retrying at the next tick");
        }
        lastRefresh = performance.now();
      }
      await pause(options.everyMs ?? 10_000, options.signal);
    }
  };
  return { done: loop() };
}


/**
 * A relation with the rollup's columns (`bucket`: the UTC 5 minutes, hour, 6 hours, day or week as a `timestamp`; the field
 * and sum columns; `records`; `first_time`, `last_time`) covering `[from, to)` exactly: week rows for the whole UTC
 * weeks of the range (from Monday 00:00, as `date_trunc('week')`) when `grain` is "week", day rows for its other
 * whole UTC days (when the rollup keeps days and `grain` allows them), 6-hour rows for the other whole quarters of a
 * day (likewise), hour rows for the other whole hours, 5-minute
 * rows for the whole 5 minutes of the partial hours at the edges (when the rollup keeps them), and the raw rows
 * left at the edges aggregated the same way (bucket: their hour). Null when the range holds no whole hour (then raw
 * rows are as cheap). Parameters are added to `params`.
 */
export function rollupRelation(rollup: Rollup, from: Date, to: Date, grain: RollupGrain, params: SqlParams): string | null {
  const spans = rollupSpans(from, to, rollup.daily ? grain : "hour", { fiveMinutes: rollup.fiveMinutes, sixHours: rollup.daily });
  if (!spans) return null;
  const { table: raw, time } = SOURCE_TABLES[rollup.source];
  // A rollup's columns (sum columns too) are named as the raw table's.
  const fields = rollup.fields.map((f) => columnName(rollup.source, f));
  const sums = rollup.sums.map((f) => columnName(rollup.source, f));
  // One part per span: each is an index range scan of its grain.
  const parts = spans.stored.map((span) => storedRowsSql(rollup, span, params));
  // Each raw edge is its own range of the time index: CloudTrail's covers the rollups' columns, so a range is an
  // index-only scan (where one condition OR-ing both edges could only be a bitmap scan, which reads the table).
  // Not grains.ts rawEdgeRowsSql: its `SELECT *` branches let the planner push every filter of a panel down into
  // them, which planned for ≈ 2.5 ms (`loginsOverTime` over 24 hours 3-5 → 7-8 ms at 10M, measured).
  const edges = rawEdges(from, to, spans).map(
    ([start, end]) =>
      `SELECT ${[time, ...fields, ...sums].join(", ")} FROM ${raw} r
        WHERE ${time} >= ${params.add(new Date(start))}::timestamptz AND ${time} < ${params.add(new Date(end))}::timestamptz${rollup.within ? ` AND ${selectionSql("r", rollup.source, rollup.within, params)}` : ""}`,
  );
  if (edges.length > 0) {
    parts.push(
      `SELECT date_trunc('hour', ${time} AT TIME ZONE 'UTC'), ${[...fields, ...rollup.sums.map((s) => `coalesce(sum(${numberSql("r", rollup.source, s, params)}), 0)`)].join(", ")}, count(*), min(${time}), max(${time})
         FROM (${edges.join("\n UNION ALL\n ")}) r
        GROUP BY ${Array.from({ length: fields.length + 1 }, (_, i) => i + 1).join(", ")}`,
    );
  }
  return `(${parts.join("\n UNION ALL\n ")})`;
}

/**
 * The rollup's rows holding a record within `[from, to)`, of one grain, with {@link rollupRelation}'s columns: for
 * which values occur in the range (a distinct count), not how many records (a row's `records` are its whole bucket's).
 * Exact from stored rows alone, with no raw edges: a row is kept when its first or last record time lies in the range,
 * at a grain where that decides it (lib/reports/grains.ts presenceSpan). Over 30 days a principal is 5 or 6 week rows
 * instead of up to 3 week, 13 day and 46 hour rows and its raw records in the edge hours. Null when no grain decides
 * (a range inside one hour, not from its start). Parameters are added to `params`.
 */
export function rollupPresence(rollup: Rollup, from: Date, to: Date, params: SqlParams): string | null {
  const span = presenceSpan(from, to, rollup.daily ? ["week", "day", "hour"] : ["hour"]);
  if (!span) return null;
  const [f, t] = [params.add(from), params.add(to)];
  const inRange = (column: string) => `(${column} >= ${f}::timestamptz AND ${column} < ${t}::timestamptz)`;
  return `(${storedRowsSql(rollup, span, params)}
              AND (${inRange("first_time")} OR ${inRange("last_time")}))`;
}

/** The rollup's stored rows of one span, with {@link rollupRelation}'s columns (a SELECT ending in its WHERE clause). */
function storedRowsSql(rollup: Rollup, span: GrainSpan, params: SqlParams): string {
  const columns = [...rollup.fields, ...rollup.sums].map((f) => columnName(rollup.source, f)).join(", ");
  return `SELECT bucket, ${columns}, records, first_time, last_time FROM ${ROLLUP_TABLES[rollup.source]}
            WHERE rollup = ${params.add(rollup.name)} AND ${storedBucketsSql([span], params)}`;
}
