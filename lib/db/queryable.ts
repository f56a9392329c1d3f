import type { QueryResult, QueryResultRow } from "pg";

/**
 * What a report needs from a database handle: `pg.Pool`, `pg.PoolClient` and `pg.Client` all fit.
 * Reports take it as a parameter so tests (and transactions) can pass their own.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * A Postgres number as a JS number. `count`/`bigint` may arrive as strings unless `lib/db/pool.ts`'s
 * int8 parser is loaded, and `sum(bigint)` is `numeric`, which node-postgres always returns as a string.
 * Values stay far below 2^53 (bytes in a 400-day window would need ~9 PB to lose precision).
 */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`expected a number from Postgres, got ${JSON.stringify(value)}`);
  return n;
}
