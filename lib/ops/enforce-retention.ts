import type pg from "pg";
import type { Config } from "../config";
import type { Logger } from "../log";
import { pause } from "./heartbeat";

/** Days kept per source; 0 keeps everything. */
export interface RetentionPolicy {
  cloudtrail: number;
  vpcflow: number;
}

/** The policy from TRAILWATCH_RETENTION_DAYS and its per-source overrides. */
export function retentionPolicy(cfg: Config): RetentionPolicy {
  return {
    cloudtrail: cfg.TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL ?? cfg.TRAILWATCH_RETENTION_DAYS,
    vpcflow: cfg.TRAILWATCH_RETENTION_DAYS_VPCFLOW ?? cfg.TRAILWATCH_RETENTION_DAYS,
  };
}

// Trusted identifiers: the table and its time column per source (the time index serves the delete).
const TABLES = {
  cloudtrail: { table: "cloudtrail_events", time: "event_time" },
  vpcflow: { table: "flow_records", time: "start" },
} as const;

/** Rows deleted per transaction: short transactions, so ingest never waits long behind retention. */
const BATCH_ROWS = 5000;
// Only one process enforces retention at a time (any number of workers may schedule it).
const RETENTION_LOCK = 72707370;

export interface RetentionResult {
  source: keyof RetentionPolicy;
  days: number;
  /** Events with a time before this (UTC) were deleted. */
  cutoff: Date;
  rowsDeleted: number;
}

/**
 * Deletes events older than each source's retention (CloudTrail by eventTime, flow records by start;
 * sources with 0 days are kept), in batches of 5000 rows through the time indexes, and records one
 * `retention_runs` row per source. The ledger keeps its entries: it records what was seen, not what is kept.
 * Returns [] without doing anything when another process holds the retention lock. Throws on database errors.
 * The report rollups follow by themselves: the delete triggers mark the hours they emptied or cut,
 * and the next rollup refresh rebuilds them (lib/reports/rollups.ts).
 * Cost note: the event tables are not partitioned yet; with time partitions this becomes DROP PARTITION.
 */
export async function enforceRetention(pool: pg.Pool, policy: RetentionPolicy, now: Date = new Date()): Promise<RetentionResult[]> {
  const lock = await pool.connect();
  try {
    const got = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RETENTION_LOCK]);
    if (!got.rows[0]?.ok) return [];
    const results: RetentionResult[] = [];
    for (const source of ["cloudtrail", "vpcflow"] as const) {
      const days = policy[source];
      if (days <= 0) continue;
      const startedAt = new Date();
      const cutoff = new Date(now.getTime() - days * 86_400_000);
      const { table, time } = TABLES[source];
      let rowsDeleted = 0;
      for (;;) {
        const res = await pool.query(
          `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE "${time}" < $1 LIMIT ${BATCH_ROWS})`,
          [cutoff],
        );
        rowsDeleted += res.rowCount ?? 0;
        if ((res.rowCount ?? 0) < BATCH_ROWS) break;
      }
      await pool.query(
        `INSERT INTO retention_runs (source, retention_days, cutoff, rows_deleted, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, clock_timestamp())`,
        [source, days, cutoff, rowsDeleted, startedAt],
      );
      results.push({ source, days, cutoff, rowsDeleted });
    }
    return results;
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK]).catch(() => undefined);
    lock.release();
  }
}

/** Runs `enforceRetention` now and then every `everyMs` (default 1 h) until `signal` aborts; errors are logged, never thrown. */
export function startRetentionJob(options: { pool: pg.Pool; policy: RetentionPolicy; log: Logger; signal: AbortSignal; everyMs?: number }): { done: Promise<void> } {
  const loop = async () => {
    if (options.policy.cloudtrail <= 0 && options.policy.vpcflow <= 0) return;
    while (!options.signal.aborted) {
      try {
        for (const r of await enforceRetention(options.pool, options.policy)) options.log.info({ ...r }, "retention enforced");
      } catch (error) {
        options.log.error({ err: error }, "retention failed; retrying at the next run");
      }
      await pause(options.everyMs ?? 3_600_000, options.signal);
    }
  };
  return { done: loop() };
}
