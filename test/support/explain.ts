import type pg from "pg";
import type { Queryable } from "../../lib/db/queryable";

/**
 * `pool` as a {@link Queryable} that records the plan (`EXPLAIN (FORMAT JSON)`, as JSON text) of each SELECT it
 * runs, then runs it: for tests of the physical design, which check what a panel's own SQL reads.
 */
export function explaining(pool: pg.Pool, plans: string[]): Queryable {
  return {
    async query(text: string, values?: unknown[]) {
      if (/^\s*(SELECT|WITH)\b/i.test(text) && !/trailwatch_refresh_/.test(text)) {
        const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
        plans.push(JSON.stringify(rows[0]["QUERY PLAN"]));
      }
      return pool.query(text, values);
    },
  } as Queryable;
}
