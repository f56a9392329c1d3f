import type { RetentionPolicy } from "../ops/enforce-retention";
import { HEARTBEAT_STALE_MS } from "../ops/heartbeat";
import { toNumber, type Queryable } from "../db/queryable";

/**
 * The Health report: is ingest running, keeping up, and hearing from every source?
 * Read from `worker_heartbeats` (written by each worker, with the SQS queue and DLQ depths it
 * samples: the web app needs no AWS access), the ledger (`ingest_objects`) and `source_freshness`.
 * One function per panel, plain data; times are `Date` (UTC), durations ms. Keys, reasons and
 * errors are attacker-influenced text: render as text only.
 */

/** A worker as its heartbeat row shows it: `running` (beat within HEARTBEAT_STALE_MS), `stopped` (said so), `silent` (stopped beating: crashed or cut off). */
export interface WorkerRow {
  workerId: string;
  hostname: string;
  pid: number;
  state: "running" | "stopped" | "silent";
  startedAt: Date;
  lastBeatAt: Date;
  messagesReceived: number;
  messagesDeleted: number;
  messagesRetried: number;
  errors: number;
  inFlight: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/** The queue as the freshest heartbeat sampled it (SQS approximate counts); null before any sample. */
export interface QueueState {
  /** ApproximateNumberOfMessages: waiting to be received (the backlog). */
  backlog: number | null;
  /** ApproximateNumberOfMessagesNotVisible: received and being worked on (or by a crashed worker, until their visibility timeout). */
  inFlight: number | null;
  /** Messages in the DLQ (null when the queue has no redrive policy or it could not be read). */
  dlqDepth: number | null;
  checkedAt: Date;
}

/** Objects finished and records stored in one UTC hour. */
export interface HourRow {
  /** Start of the hour, UTC. */
  hour: Date;
  objects: number;
  records: number;
  /** Objects whose attempt ended `failed` or `rejected` in the hour. */
  failures: number;
}

/** A source: OK while it delivers; INSUFFICIENT_DATA once it has delivered nothing for the quiet period (CloudWatch's term). */
export interface FreshnessRow {
  accountId: string;
  region: string;
  source: "cloudtrail" | "vpcflow";
  state: "OK" | "INSUFFICIENT_DATA";
  /** When its latest object was stored, UTC. */
  lastObjectAt: Date;
  /** The latest delivery time AWS wrote into one of its file names, UTC (null when names carry none). */
  lastDataAt: Date | null;
  /** ms since `lastObjectAt`. */
  quietForMs: number;
  objects: number;
  records: number;
}

export interface LastOutcomes {
  /** The latest object stored (`done`). */
  lastSuccess: { at: Date; bucket: string; key: string } | null;
  /** The latest object that failed or was rejected, with its reason. */
  lastObjectError: { at: Date; bucket: string; key: string; status: string; reason: string | null } | null;
  /** The latest error any worker reported (receive, database, retry). */
  lastWorkerError: { at: Date; message: string; workerId: string } | null;
}

/** Retention per source: the configured days (0 keeps everything) and the last run of the job. */
export interface RetentionRow {
  source: "cloudtrail" | "vpcflow";
  days: number;
  lastRun: { at: Date; cutoff: Date; rowsDeleted: number } | null;
}

export interface HealthReport {
  /** `ok` when a worker is running and nothing below is wrong; else the problems, one sentence each. */
  status: "ok" | "attention";
  problems: string[];
  workers: WorkerRow[];
  queue: QueueState | null;
  perHour: HourRow[];
  last: LastOutcomes;
  freshness: FreshnessRow[];
  retention: RetentionRow[];
  /** When the report was computed (UTC). */
  at: Date;
}

export interface HealthOptions {
  /** Default now. */
  now?: Date;
  /** A source quiet this long (ms) is INSUFFICIENT_DATA (TRAILWATCH_FRESHNESS_QUIET_MINUTES). */
  quietAfterMs: number;
  /** Hours of the per-hour panel, newest last; default 24. */
  hours?: number;
  /** The configured retention (TRAILWATCH_RETENTION_DAYS…); default keeps everything. */
  retention?: RetentionPolicy;
}

/** Heartbeat rows, most recent beat first (workers silent for over a day are left out). */
export async function workerRows(db: Queryable, now: Date = new Date()): Promise<WorkerRow[]> {
  const res = await db.query<Record<string, unknown>>(
    `SELECT worker_id, hostname, pid, started_at, last_beat_at, stopped_at, messages_received, messages_deleted,
            messages_retried, errors, in_flight, last_error, last_error_at
       FROM worker_heartbeats WHERE last_beat_at > $1::timestamptz - interval '1 day' ORDER BY last_beat_at DESC LIMIT 50`,
    [now],
  );
  return res.rows.map((r) => {
    const lastBeatAt = r.last_beat_at as Date;
    const state = r.stopped_at ? "stopped" : now.getTime() - lastBeatAt.getTime() > HEARTBEAT_STALE_MS ? "silent" : "running";
    return {
      workerId: String(r.worker_id), hostname: String(r.hostname), pid: toNumber(r.pid), state, startedAt: r.started_at as Date, lastBeatAt,
      messagesReceived: toNumber(r.messages_received), messagesDeleted: toNumber(r.messages_deleted), messagesRetried: toNumber(r.messages_retried),
      errors: toNumber(r.errors), inFlight: toNumber(r.in_flight), lastError: (r.last_error as string | null) ?? null, lastErrorAt: (r.last_error_at as Date | null) ?? null,
    };
  });
}

/** The queue depths from the most recent sample of any worker. */
export async function queueState(db: Queryable): Promise<QueueState | null> {
  const res = await db.query<{ queue_visible: number | null; queue_in_flight: number | null; dlq_visible: number | null; queue_checked_at: Date }>(
    `SELECT queue_visible, queue_in_flight, dlq_visible, queue_checked_at FROM worker_heartbeats
      WHERE queue_checked_at IS NOT NULL ORDER BY queue_checked_at DESC LIMIT 1`,
  );
  const r = res.rows[0];
  return r ? { backlog: r.queue_visible, inFlight: r.queue_in_flight, dlqDepth: r.dlq_visible, checkedAt: r.queue_checked_at } : null;
}

/** Objects finished and records stored per UTC hour over the last `hours` hours (every hour present, oldest first), from the `finished_at` index. */
export async function ingestPerHour(db: Queryable, options: { now?: Date; hours?: number } = {}): Promise<HourRow[]> {
  const now = options.now ?? new Date();
  const hours = Math.min(24 * 14, Math.max(1, Math.trunc(options.hours ?? 24)));
  const res = await db.query<{ hour: Date; objects: number; records: unknown; failures: number }>(
    `SELECT h.hour, count(o.id) FILTER (WHERE o.status = 'done')::int AS objects,
            coalesce(sum(o.records_stored) FILTER (WHERE o.status = 'done'), 0) AS records,
            count(o.id) FILTER (WHERE o.status IN ('failed', 'rejected'))::int AS failures
       FROM generate_series(date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC') - ($2::int - 1) * interval '1 hour',
                            date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC'), interval '1 hour') AS g(h_local)
       CROSS JOIN LATERAL (SELECT g.h_local AT TIME ZONE 'UTC' AS hour) h
       LEFT JOIN ingest_objects o ON o.finished_at >= h.hour AND o.finished_at < h.hour + interval '1 hour'
      GROUP BY h.hour ORDER BY h.hour`,
    [now, hours],
  );
  return res.rows.map((r) => ({ hour: r.hour, objects: r.objects, records: toNumber(r.records), failures: r.failures }));
}

/** The latest success, the latest object failure and the latest worker error. */
export async function lastOutcomes(db: Queryable): Promise<LastOutcomes> {
  const [ok, bad, worker] = await Promise.all([
    db.query<{ finished_at: Date; bucket: string; key: string }>(
      "SELECT finished_at, bucket, key FROM ingest_objects WHERE status = 'done' AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
    ),
    db.query<{ finished_at: Date; bucket: string; key: string; status: string; reason: string | null }>(
      "SELECT finished_at, bucket, key, status, reason FROM ingest_objects WHERE status IN ('failed', 'rejected') AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
    ),
    db.query<{ last_error_at: Date; last_error: string; worker_id: string }>(
      "SELECT last_error_at, last_error, worker_id FROM worker_heartbeats WHERE last_error_at IS NOT NULL ORDER BY last_error_at DESC LIMIT 1",
    ),
  ]);
  const o = ok.rows[0];
  const b = bad.rows[0];
  const w = worker.rows[0];
  return {
    lastSuccess: o ? { at: o.finished_at, bucket: o.bucket, key: o.key } : null,
    lastObjectError: b ? { at: b.finished_at, bucket: b.bucket, key: b.key, status: b.status, reason: b.reason } : null,
    lastWorkerError: w ? { at: w.last_error_at, message: w.last_error, workerId: w.worker_id } : null,
  };
}

/** Every source that has delivered, with OK / INSUFFICIENT_DATA, quietest first. */
export async function sourceFreshness(db: Queryable, options: { now?: Date; quietAfterMs: number }): Promise<FreshnessRow[]> {
  const now = options.now ?? new Date();
  const res = await db.query<{ account_id: string; region: string; source: "cloudtrail" | "vpcflow"; last_object_at: Date; last_data_at: Date | null; objects: number; records: unknown }>(
    "SELECT account_id, region, source, last_object_at, last_data_at, objects, records FROM source_freshness ORDER BY last_object_at, account_id, region, source LIMIT 1000",
  );
  return res.rows.map((r) => {
    const quietForMs = Math.max(0, now.getTime() - r.last_object_at.getTime());
    return {
      accountId: r.account_id, region: r.region, source: r.source, state: quietForMs > options.quietAfterMs ? "INSUFFICIENT_DATA" : "OK",
      lastObjectAt: r.last_object_at, lastDataAt: r.last_data_at, quietForMs, objects: r.objects, records: toNumber(r.records),
    };
  });
}

/** The retention policy with each source's last run. */
export async function retentionRows(db: Queryable, policy: RetentionPolicy = { cloudtrail: 0, vpcflow: 0 }): Promise<RetentionRow[]> {
  const res = await db.query<{ source: string; finished_at: Date; cutoff: Date; rows_deleted: unknown }>(
    "SELECT DISTINCT ON (source) source, finished_at, cutoff, rows_deleted FROM retention_runs ORDER BY source, finished_at DESC",
  );
  const last = new Map(res.rows.map((r) => [r.source, r]));
  return (["cloudtrail", "vpcflow"] as const).map((source) => {
    const r = last.get(source);
    return { source, days: policy[source], lastRun: r ? { at: r.finished_at, cutoff: r.cutoff, rowsDeleted: toNumber(r.rows_deleted) } : null };
  });
}

/** Every panel, and the problems a person should look at (empty when all is well). */
export async function healthReport(db: Queryable, options: HealthOptions): Promise<HealthReport> {
  const now = options.now ?? new Date();
  const [workers, queue, perHour, last, freshness, retention] = await Promise.all([
    workerRows(db, now),
    queueState(db),
    ingestPerHour(db, { now, hours: options.hours }),
    lastOutcomes(db),
    sourceFreshness(db, { now, quietAfterMs: options.quietAfterMs }),
    retentionRows(db, options.retention),
  ]);
  const problems: string[] = [];
  if (!workers.some((w) => w.state === "running")) problems.push("no ingest worker is running (no heartbeat in the last 30 s)");
  for (const w of workers.filter((w) => w.state === "silent")) problems.push(`worker ${w.hostname}/${w.pid} stopped beating at ${w.lastBeatAt.toISOString()} without stopping cleanly`);
  if (queue?.dlqDepth) problems.push(`${queue.dlqDepth} message(s) in the dead-letter queue`);
  const quiet = freshness.filter((f) => f.state === "INSUFFICIENT_DATA");
  if (quiet.length) problems.push(`${quiet.length} source(s) quiet for over ${Math.round(options.quietAfterMs / 60_000)} min`);
  return { status: problems.length ? "attention" : "ok", problems, workers, queue, perHour, last, freshness, retention, at: now };
}
