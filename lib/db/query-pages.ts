import type pg from "pg";

let cursors = 0;

/**
 * Runs one query as a server-side cursor (`DECLARE … NO SCROLL CURSOR`, then `FETCH pageRows` until a short page)
 * and hands its rows to `onPage`, `pageRows` at a time (≥ 1; Infinity: all of them in one `FETCH ALL`), in the
 * query's order: the process holds one page, not the whole result. `onPage` may run other statements on the same
 * client between pages (the cursor keeps the snapshot it was declared in). Must run inside a transaction on `client`
 * (a cursor lives until its transaction ends); the cursor is closed when the rows are read, and by the rollback when
 * anything throws. Planned like the plain query, for all its rows: Postgres would otherwise plan a cursor for its
 * first 10 % (`cursor_tuple_fraction`), which can pick a slower plan for a result that is always read to the end.
 */
export async function queryPages<R extends pg.QueryResultRow>(
  client: pg.ClientBase,
  query: { text: string; values: unknown[] },
  pageRows: number,
  onPage: (rows: R[]) => Promise<void>,
): Promise<void> {
  if (pageRows !== Infinity && (!Number.isInteger(pageRows) || pageRows < 1)) throw new RangeError(`pageRows must be a positive integer or Infinity, got ${pageRows}`);
  cursors += 1;
  const name = `tw_pages_${cursors}`;
  const { rows } = await client.query<{ previous: string }>(
    "SELECT current_setting('cursor_tuple_fraction') AS previous, set_config('cursor_tuple_fraction', '1', true)",
  );
  await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${query.text}`, query.values);
  // The plan is fixed at DECLARE: the caller's transaction gets its own setting back.
  await client.query("SELECT set_config('cursor_tuple_fraction', $1, true)", [rows[0]!.previous]);
  for (;;) {
    const page = await client.query<R>(`FETCH ${pageRows === Infinity ? "ALL" : pageRows} FROM ${name}`);
    if (page.rows.length > 0) await onPage(page.rows);
    if (page.rows.length < pageRows) break;
  }
  await client.query(`CLOSE ${name}`);
}
