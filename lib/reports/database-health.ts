import type { Queryable } from "../db/queryable";

export type DatabaseHealth = { up: true; latencyMs: number } | { up: false; reason: string };

/**
 * Whether the database answers `SELECT 1` within `timeoutMs` (default 3000 ms).
 * Never throws: a failure (refused connection, bad credentials, timeout) becomes `{ up: false, reason }`.
 * `db` is a function so that creating the pool (which throws without DATABASE_URL) is also covered.
 */
export async function databaseHealth(db: () => Queryable, timeoutMs = 3000): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    // pg has no per-query deadline and, by default, no connect timeout: race the query against a timer.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([db().query("SELECT 1"), timeout]);
    return { up: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { up: false, reason: error instanceof Error && error.message ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
