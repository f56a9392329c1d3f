import pg from "pg";
import { config } from "../config";

// Postgres `bigint` (int8) arrives as a string by default; counts in Trailwatch stay
// far below 2^53, so reports get plain numbers. Values above that would lose precision.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

let pool: pg.Pool | undefined;
let urlOverride: string | undefined;

/**
 * Points the process at a database other than `DATABASE_URL` (the embedded one).
 * Must be called before the first `getPool()`.
 */
export function useDatabaseUrl(url: string): void {
  if (pool) throw new Error("useDatabaseUrl() called after the pool was created");
  urlOverride = url;
}

/** The connection string this process uses, or undefined when none is known yet. */
export function databaseUrl(): string | undefined {
  return urlOverride ?? config().DATABASE_URL;
}

/**
 * Settings of every connection the app opens (libpq `options`, applied by the server at connect):
 * - `work_mem` 64 MB: a 30-day report panel aggregates up to ~100k rollup rows, which PostgreSQL's default
 *   4 MB sorts on disk instead of hashing in memory;
 * - `jit` off: PostgreSQL compiles any query its planner costs above 100,000 (most 30-day panels at 10M events),
 *   and on these short aggregates compiling takes longer than it saves (docs/performance.md);
 * - `max_parallel_workers_per_gather` 0: on the 2-core box Trailwatch targets, starting parallel workers cost
 *   10–120 ms per query (a 3 ms rollup read took 128 ms), and even the large raw scans ran faster serially
 *   beside the worker's own load (docs/performance.md, "Connection settings").
 */
export const SESSION_OPTIONS = "-c work_mem=64MB -c jit=off -c max_parallel_workers_per_gather=0";

/**
 * The process-wide connection pool. Report and ingest SQL goes through it with
 * parameters (`pool.query(text, values)`), never string concatenation.
 * Throws when no database is known: entry points start the embedded one first.
 */
export function getPool(): pg.Pool {
  if (!pool) {
    const url = databaseUrl();
    if (!url) throw new Error("DATABASE_URL is not set: start the embedded database (lib/db/embedded.ts) or set it");
    pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000, options: SESSION_OPTIONS });
    pool.on("error", () => undefined); // an idle client's broken connection is replaced on next use
    // A checked-out client whose server goes away (Postgres restarted mid-transaction) emits
    // 'error' between queries; unheard, that would crash the process. Its pending or next query
    // rejects with the same error, which the caller handles (the message is retried).
    pool.on("connect", (client) => client.on("error", () => undefined));
  }
  return pool;
}

/** Closes the pool (graceful shutdown, end of tests). */
export async function closePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.end();
}
