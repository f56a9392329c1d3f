import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { encodeCopyRow } from "../db/copy";
import type { ParseResult } from "../parse-result";
import { loadRows, type TableSpec } from "./load-rows";

// loadRows on a table of its own (so Postgres itself refuses values: `inet`), in many small batches so
// every path runs with the batch buffer reused: straight COPY, the fall-back to staging and merging
// after a duplicate, and the row-by-row retry of a batch Postgres refuses. Rows carry text that COPY
// must escape and multi-byte characters.

interface TestRow {
  n: number;
  addr: string;
  note: string;
}

const spec: TableSpec<TestRow> = {
  table: "tw_load_test",
  columns: ["object_id", "n", "addr", "note"],
  values: (row) => [row.n, row.addr, row.note],
  position: (row) => row.n,
};

const note = (n: number) => `row ${n}\ttab\nnewline \\ back é東😀 ${"x".repeat(n * 37)}`;
const rowsOf = (count: number, bad: Record<number, string> = {}): TestRow[] =>
  Array.from({ length: count }, (_, n) => ({ n, addr: bad[n] ?? `192.0.2.${n}`, note: note(n) }));

async function* results(rows: TestRow[]): AsyncGenerator<ParseResult<TestRow>> {
  for (const row of rows) yield { ok: true, row };
}

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase("load_rows");
  await db.pool.query("CREATE TABLE tw_load_test (object_id bigint NOT NULL, n int NOT NULL, addr inet NOT NULL, note text NOT NULL, PRIMARY KEY (object_id, n))");
});
after(async () => db?.drop());

/** Loads `rows` as object `objectId` in one committed transaction; `copies` collects the COPY statements sent. */
async function load(objectId: bigint, rows: TestRow[], options: { batchRows: number; batchBytes?: number }, copies: string[] = []) {
  const client = await db.pool.connect();
  // Watches what reaches pg (the library), nothing of ours is replaced.
  const watched = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== "query" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (query: unknown, ...rest: unknown[]) => {
        const text = (query as { text?: unknown } | null)?.text;
        if (typeof text === "string" && text.startsWith("COPY ")) copies.push(text);
        return (value as (...a: unknown[]) => unknown).call(target, query, ...rest);
      };
    },
  });
  try {
    await client.query("BEGIN");
    const counts = await loadRows(watched, spec, results(rows), { objectId, ...options });
    await client.query("COMMIT");
    return counts;
  } finally {
    client.release();
  }
}

async function stored(objectId: bigint) {
  const r = await db.pool.query<{ n: number; addr: string; note: string }>("SELECT n, host(addr) AS addr, note FROM tw_load_test WHERE object_id = $1 ORDER BY n", [objectId]);
  return r.rows;
}

describe("loadRows", () => {
  it("stores every row exactly, batch after batch", async () => {
    const rows = rowsOf(40);
    const counts = await load(1n, rows, { batchRows: 7 });
    assert.deepEqual(counts, { stored: 40, duplicate: 0, rejected: 0, rejections: [] });
    assert.deepEqual(await stored(1n), rows);
  });

  it("counts rows stored before as duplicates, rejects the row Postgres refuses with its reason, and stores the rest", async () => {
    await db.pool.query("INSERT INTO tw_load_test VALUES (2, 5, '192.0.2.5', 'earlier'), (2, 30, '192.0.2.30', 'earlier')");
    const rows = rowsOf(40, { 17: "not-an-address" });
    const counts = await load(2n, rows, { batchRows: 6 });
    assert.equal(counts.stored, 37);
    assert.equal(counts.duplicate, 2);
    assert.equal(counts.rejected, 1);
    assert.equal(counts.rejections[0]?.position, 17);
    assert.match(counts.rejections[0]!.reason, /^record 17: refused by Postgres: invalid input syntax for type inet/);
    assert.match(counts.rejections[0]!.excerpt ?? "", /^17\tnot-an-address\trow 17\\ttab\\nnewline \\\\ back é東😀/);
    const expected = rows.filter((r) => r.n !== 17).map((r) => (r.n === 5 || r.n === 30 ? { ...r, note: "earlier" } : r));
    assert.deepEqual(await stored(2n), expected);
  });

  it("sends a batch when its text reaches batchBytes, whatever batchRows says", async () => {
    const rows = rowsOf(25);
    // The batches expected: rows are added until their UTF-8 COPY text reaches 300 bytes.
    let batches = 0;
    let bytes = 0;
    for (const r of rows) {
      bytes += Buffer.byteLength(encodeCopyRow([3n, ...spec.values(r)]));
      if (bytes >= 300) [batches, bytes] = [batches + 1, 0];
    }
    if (bytes > 0) batches += 1;
    const copies: string[] = [];
    const counts = await load(3n, rows, { batchRows: 10_000, batchBytes: 300 }, copies);
    assert.equal(counts.stored, 25);
    assert.ok(batches > 5);
    assert.equal(copies.length, batches);
    assert.deepEqual(await stored(3n), rows);
    const one: string[] = [];
    await load(4n, rows, { batchRows: 10_000 }, one);
    assert.equal(one.length, 1, "by default the 25 rows are one batch");
  });
});
