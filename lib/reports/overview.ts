import { getPool } from "../db/pool";
import { toNumber, type Queryable } from "./queryable";
import { BUCKET_MS, BUCKET_UNITS, type BucketUnit } from "./time-range";

/**
 * The Overview report: one function per panel over a half-open UTC interval `[from, to)`.
 * Every query filters on time first (`event_time` for CloudTrail, `start` for flow records),
 * so it stays on the time indexes, and takes values only as `$n` parameters.
 * Each function takes the database as an optional last argument (default: the process pool).
 */

/** A half-open interval `[from, to)` of UTC instants. */
export interface ReportRange {
  from: Date;
  to: Date;
}

export interface OverviewKpis {
  /** CloudTrail events in the range. */
  events: number;
  /** Distinct `userIdentity.arn` values (events without an ARN, e.g. some AWS service calls, are not counted). */
  principals: number;
  /** Distinct `sourceIPAddress` values (these may be AWS service names such as `s3.amazonaws.com`). */
  sourceIps: number;
  /** Events with an `errorCode`. */
  errors: number;
  /** `errors / events`, from 0 to 1; 0 when there are no events. */
  errorRate: number;
  /** Sum of `bytes` of flow records with action ACCEPT whose `start` is in the range, in bytes. */
  flowBytesAccepted: number;
  /** Same for action REJECT, in bytes. */
  flowBytesRejected: number;
}

export interface EventsOverTimeOptions extends ReportRange {
  /** Bucket width; default hourly for ranges up to two days, daily beyond. */
  bucket?: BucketUnit;
}

export interface EventsBucket {
  /** Start of the bucket (UTC, aligned to the hour or to midnight UTC). */
  bucketStart: Date;
  /** Events with `readOnly: true`. */
  read: number;
  /** Events with `readOnly: false` or absent: an unknown event is treated as a possible change. */
  write: number;
}

export interface TopOptions extends ReportRange {
  /** Rows to return, 1 to 100; default 10. */
  limit?: number;
}

export interface TopRow {
  /** The grouped value exactly as stored (attacker-controlled: render it as text only). */
  value: string;
  count: number;
}

/** All Overview panels, as the page and `GET /api/reports/overview` return them. */
export interface OverviewReport {
  kpis: OverviewKpis;
  eventsOverTime: EventsBucket[];
  topEventNames: TopRow[];
  topPrincipals: TopRow[];
  topSourceIps: TopRow[];
}

/** A series longer than this is refused rather than generated (about 13 years of days, or 7 months of hours). */
export const MAX_BUCKETS = 5000;

// Whitelisted `date_trunc` unit → the matching `generate_series` step.
const BUCKET_STEP: Record<BucketUnit, string> = { hour: "1 hour", day: "1 day" };

const EVENT_TIME = "event_time >= $1 AND event_time < $2";
const FLOW_TIME = "start >= $1 AND start < $2";

/** KPI tiles: event volume, distinct actors, error rate, accepted/rejected flow bytes. */
export async function overviewKpis(range: ReportRange, db: Queryable = getPool()): Promise<OverviewKpis> {
  const params = [range.from, range.to];
  const [events, flows] = await Promise.all([
    db.query(
      `SELECT count(*) AS events,
              count(DISTINCT user_identity_arn) AS principals,
              count(DISTINCT source_ip_address) AS source_ips,
              count(*) FILTER (WHERE error_code IS NOT NULL) AS errors
         FROM cloudtrail_events
        WHERE ${EVENT_TIME}`,
      params,
    ),
    db.query(
      `SELECT sum(bytes) FILTER (WHERE action = 'ACCEPT') AS accepted,
              sum(bytes) FILTER (WHERE action = 'REJECT') AS rejected
         FROM flow_records
        WHERE ${FLOW_TIME}`,
      params,
    ),
  ]);
  const e = events.rows[0] ?? {};
  const f = flows.rows[0] ?? {};
  const total = toNumber(e.events);
  const errors = toNumber(e.errors);
  return {
    events: total,
    principals: toNumber(e.principals),
    sourceIps: toNumber(e.source_ips),
    errors,
    errorRate: total === 0 ? 0 : errors / total,
    flowBytesAccepted: toNumber(f.accepted),
    flowBytesRejected: toNumber(f.rejected),
  };
}

/**
 * Event counts per UTC bucket, read vs write, with a row for every bucket from the one containing
 * `from` to the one containing the last instant before `to` (empty buckets are zeros), oldest first.
 * Throws `RangeError` for an unknown bucket unit or a series longer than {@link MAX_BUCKETS}.
 */
export async function eventsOverTime(options: EventsOverTimeOptions, db: Queryable = getPool()): Promise<EventsBucket[]> {
  const { from, to } = options;
  const bucket = options.bucket ?? (to.getTime() - from.getTime() <= 2 * BUCKET_MS.day ? "hour" : "day");
  // The unit travels as a parameter, yet it is still checked: callers may pass untyped input.
  if (!(BUCKET_UNITS as readonly string[]).includes(bucket)) throw new RangeError(`unknown bucket unit ${JSON.stringify(bucket)}`);
  if (to.getTime() <= from.getTime()) return [];
  if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_BUCKETS) {
    throw new RangeError(`a series of one-${bucket} buckets over this range would exceed ${MAX_BUCKETS} buckets`);
  }
  // Bucketing happens on `timestamp` values in UTC, not on `timestamptz`: adding '1 day' to a timestamptz
  // follows the session's time zone across DST changes, which would shift buckets off midnight UTC.
  const { rows } = await db.query(
    `WITH buckets AS (
       SELECT generate_series(
                date_trunc($3, $1::timestamptz AT TIME ZONE 'UTC'),
                date_trunc($3, ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                $4::interval
              ) AS bucket
     ),
     counts AS (
       SELECT date_trunc($3, event_time AT TIME ZONE 'UTC') AS bucket,
              count(*) FILTER (WHERE read_only) AS read,
              count(*) FILTER (WHERE read_only IS NOT TRUE) AS write
         FROM cloudtrail_events
        WHERE ${EVENT_TIME}
        GROUP BY 1
     )
     SELECT b.bucket AT TIME ZONE 'UTC' AS bucket_start, c.read, c.write
       FROM buckets b
       LEFT JOIN counts c ON c.bucket = b.bucket
      ORDER BY b.bucket`,
    [from, to, bucket, BUCKET_STEP[bucket]],
  );
  return rows.map((r) => ({ bucketStart: r.bucket_start as Date, read: toNumber(r.read), write: toNumber(r.write) }));
}

// Which column each top-N panel groups by. Identifiers cannot be parameters, so they come only from here.
const TOP_COLUMNS = {
  eventName: "event_name",
  principal: "user_identity_arn",
  sourceIp: "source_ip_address",
} as const;

async function topBy(column: keyof typeof TOP_COLUMNS, options: TopOptions, db: Queryable): Promise<TopRow[]> {
  const name = TOP_COLUMNS[column];
  const limit = Math.min(100, Math.max(1, Math.trunc(options.limit ?? 10)));
  // Ties are ordered by value so the panel (and its tests) is stable.
  const { rows } = await db.query(
    `SELECT ${name} AS value, count(*) AS count
       FROM cloudtrail_events
      WHERE ${EVENT_TIME} AND ${name} IS NOT NULL
      GROUP BY ${name}
      ORDER BY count DESC, value ASC
      LIMIT $3`,
    [options.from, options.to, limit],
  );
  return rows.map((r) => ({ value: String(r.value), count: toNumber(r.count) }));
}

/** The most frequent `eventName`s, most frequent first (ties by name). */
export function topEventNames(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("eventName", options, db);
}

/** The most active principals by `userIdentity.arn`, most active first; events without an ARN are skipped. */
export function topPrincipals(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("principal", options, db);
}

/** The most frequent `sourceIPAddress` values (IPs or AWS service names), most frequent first. */
export function topSourceIps(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("sourceIp", options, db);
}

/** Every Overview panel for one range, queried in parallel. */
export async function overviewReport(
  range: ReportRange & { bucket?: BucketUnit },
  db: Queryable = getPool(),
): Promise<OverviewReport> {
  const [kpis, series, names, principals, ips] = await Promise.all([
    overviewKpis(range, db),
    eventsOverTime(range, db),
    topEventNames(range, db),
    topPrincipals(range, db),
    topSourceIps(range, db),
  ]);
  return { kpis, eventsOverTime: series, topEventNames: names, topPrincipals: principals, topSourceIps: ips };
}
