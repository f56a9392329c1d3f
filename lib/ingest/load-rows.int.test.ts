import assert from "node:assert/strict";
import { finished } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
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

/**
 * What reaches pg (the library) from one client: the COPY statements, how many statements are open at once, how
 * many failed, a hook when each COPY finishes, and `until` to wait for one of these. Only observes: every call goes
 * to pg unchanged.
 */
class Watcher {
  copies: string[] = [];
  /** Statements sent and not yet finished, the most there ever were, and how many failed. */
  open = 0;
  maxOpen = 0;
  failed = 0;
  private waiting: { ready: () => boolean; resolve: () => void }[] = [];
  /** Called when each COPY has finished (Postgres answered). */
  onCopyDone: () => void = () => {};
  readonly client: pg.PoolClient;

  constructor(target: pg.PoolClient) {
    this.client = new Proxy(target, {
      get: (t, property) => {
        const value = Reflect.get(t, property, t) as unknown;
        if (property !== "query" || typeof value !== "function") return typeof value === "function" ? value.bind(t) : value;
        return (query: unknown, ...rest: unknown[]) => this.sent(t, value as (...a: unknown[]) => unknown, query, rest);
      },
    });
  }

  /** Resolves once `ready()` holds (at once if it does now), checked after each statement is sent or ends. */
  until(ready: () => boolean): Promise<void> {
    return ready() ? Promise.resolve() : new Promise((resolve) => this.waiting.push({ ready, resolve }));
  }

  private changed() {
    const now = this.waiting.filter((w) => w.ready());
    this.waiting = this.waiting.filter((w) => !now.includes(w));
    now.forEach((w) => w.resolve());
  }

  private sent(target: pg.PoolClient, query: (...a: unknown[]) => unknown, text: unknown, rest: unknown[]): unknown {
    this.open += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    const sql = typeof text === "string" ? text : (text as { text?: unknown } | null)?.text;
    const result = query.call(target, text, ...rest);
    const ended = (ok: boolean) => {
      this.open -= 1;
      if (!ok) this.failed += 1;
      this.changed();
    };
    if (typeof sql === "string" && sql.startsWith("COPY ")) {
      // pg-copy-streams: the statement is the stream, finished once Postgres has answered.
      this.copies.push(sql);
      finished(result as NodeJS.WritableStream).then(
        () => {
          this.onCopyDone();
          ended(true);
        },
        () => ended(false),
      );
    } else {
      (result as Promise<unknown>).then(() => ended(true), () => ended(false));
    }
    this.changed();
    return result;
  }
}

/** Loads `parsed` as object `objectId` in one committed transaction, through a {@link Watcher} (`onCopyDone`: its hook). */
async function loadWatched(objectId: bigint, parsed: AsyncIterable<ParseResult<TestRow>>, options: { batchRows: number; batchBytes?: number }, onCopyDone?: () => void) {
  const client = await db.pool.connect();
  const watcher = new Watcher(client);
  if (onCopyDone) watcher.onCopyDone = onCopyDone;
  try {
    await client.query("BEGIN");
    const counts = await loadRows(watcher.client, spec, parsed, { objectId, ...options });
    await client.query("COMMIT");
    return { counts, watcher };
  } finally {
    client.release();
  }
}

/** Loads `rows` as object `objectId` in one committed transaction; `copies` collects the COPY statements sent. */
async function load(objectId: bigint, rows: TestRow[], options: { batchRows: number; batchBytes?: number }, copies: string[] = []) {
  const { counts, watcher } = await loadWatched(objectId, results(rows), options);
  copies.push(...watcher.copies);
  return counts;
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

// Parse-ahead: while Postgres stores one batch, loadRows parses the next. The parsers here are in-memory async
// generators: they never wait for I/O, so whenever the loader waits for Postgres they are not running, and how many
// rows they had yielded when a COPY finished says exactly whether the loader kept parsing while it was in flight.
describe("loadRows, parsing the next batch while Postgres stores one", { timeout: 30_000 }, () => {
  /** Yields `rows`, counting them; `beforeRow(n)` runs before the n-th row (0-based) and may wait or throw. */
  function counted(rows: TestRow[], beforeRow?: (n: number) => Promise<void> | void) {
    const state = { yielded: 0 };
    async function* generate(): AsyncGenerator<ParseResult<TestRow>> {
      for (const row of rows) {
        await beforeRow?.(state.yielded);
        state.yielded += 1;
        yield { ok: true, row };
      }
    }
    return { state, results: generate() };
  }

  it("encodes the next batch while the COPY of the current one is in flight, one statement at a time", async () => {
    const rows = rowsOf(40);
    const { state, results: parsed } = counted(rows);
    const yieldedAtCopyDone: number[] = [];
    const { counts, watcher } = await loadWatched(10n, parsed, { batchRows: 5 }, () => yieldedAtCopyDone.push(state.yielded));
    assert.equal(watcher.maxOpen, 1, "never two statements at once on the connection");
    // When the COPY of batch k finished, batch k+1 (rows up to 5(k+1)) had been parsed; not more, since
    // it waits for batch k before it is sent. Loading batch after batch would give 5, 10, …, 40.
    assert.deepEqual(yieldedAtCopyDone, [10, 15, 20, 25, 30, 35, 40, 40]);
    assert.deepEqual(counts, { stored: 40, duplicate: 0, rejected: 0, rejections: [] });
    assert.deepEqual(await stored(10n), rows);
  });

  it("sends the batch being encoded when the one before it was refused by the staging path too, with exact counts", async () => {
    // Batch 1 (rows 0-3) holds a row stored before, so the fast path refuses it while batch 2 is encoded;
    // batch 2 and every later batch must then be staged and merged as well. Row 9 is not an address.
    await db.pool.query("INSERT INTO tw_load_test VALUES (11, 2, '192.0.2.2', 'earlier'), (11, 13, '192.0.2.13', 'earlier')");
    const rows = rowsOf(18, { 9: "not-an-address" });
    const { state, results: parsed } = counted(rows);
    const yieldedAtCopyDone: number[] = [];
    const { counts, watcher } = await loadWatched(11n, parsed, { batchRows: 4 }, () => yieldedAtCopyDone.push(state.yielded));
    assert.equal(yieldedAtCopyDone[0], 8, "batch 2 was encoded while batch 1 was being refused");
    assert.equal(watcher.maxOpen, 1);
    assert.deepEqual(
      watcher.copies.map((c) => c.split(" ")[1]),
      ["tw_load_test", ...Array(watcher.copies.length - 1).fill("tw_stage_tw_load_test")],
      "the first refused batch and all later ones go through the staging table",
    );
    assert.equal(counts.stored, 15);
    assert.equal(counts.duplicate, 2);
    assert.equal(counts.rejected, 1);
    assert.equal(counts.rejections[0]?.position, 9);
    const expected = rows.filter((r) => r.n !== 9).map((r) => (r.n === 2 || r.n === 13 ? { ...r, note: "earlier" } : r));
    assert.deepEqual(await stored(11n), expected);
  });

  it("stores the same rows with the same counts in batches of 1, 2 and 3 rows as in one batch", async () => {
    // Rows stored before (3, 11), rows Postgres refuses (7, 12) and records the parser rejects (5, 14), so the
    // parser's rejections and Postgres's arrive interleaved with the batches.
    const rows = rowsOf(20, { 7: "not-an-address", 12: "999.1.1.1" });
    const parserRejects = new Set([5, 14]);
    const outcomes = [];
    for (const [i, batchRows] of [1000, 1, 2, 3].entries()) {
      const objectId = BigInt(20 + i);
      await db.pool.query("INSERT INTO tw_load_test VALUES ($1, 3, '192.0.2.3', 'earlier'), ($1, 11, '192.0.2.11', 'earlier')", [objectId]);
      async function* parsed(): AsyncGenerator<ParseResult<TestRow>> {
        for (const row of rows) {
          if (parserRejects.has(row.n)) yield { ok: false, rejection: { position: row.n, reason: `record ${row.n}: parser says no`, excerpt: "" } };
          else yield { ok: true, row };
        }
      }
      const client = await db.pool.connect();
      try {
        await client.query("BEGIN");
        const counts = await loadRows(client, spec, parsed(), { objectId, batchRows });
        await client.query("COMMIT");
        outcomes.push({ batchRows, counts, rows: await stored(objectId) });
      } finally {
        client.release();
      }
    }
    const [one, ...small] = outcomes;
    assert.equal(one!.counts.stored, 14);
    assert.equal(one!.counts.duplicate, 2);
    assert.deepEqual(one!.counts.rejections.map((r) => r.position), [5, 7, 12, 14], "rejections in file order");
    for (const o of small) {
      assert.deepEqual(o.counts, one!.counts, `counts with batchRows ${o.batchRows}`);
      assert.deepEqual(o.rows, one!.rows, `rows with batchRows ${o.batchRows}`);
    }
  });

  it("lets the COPY in flight finish before it rethrows the parser's error, and the rollback leaves nothing stored", async () => {
    const rows = rowsOf(12);
    const truncated = new Error("unexpected end of file (truncated gzip)");
    const client = await db.pool.connect();
    const watcher = new Watcher(client);
    try {
      await client.query("BEGIN");
      // Batch 1 (rows 0-4) is sent; the parser then fails mid-batch 2, once batch 1's COPY has started.
      let openAtThrow = -1;
      const { results: parsed } = counted(rows, async (n) => {
        if (n === 7) {
          await watcher.until(() => watcher.copies.length > 0);
          openAtThrow = watcher.open;
          throw truncated;
        }
      });
      let openWhenThrown = -1;
      await assert.rejects(
        loadRows(watcher.client, spec, parsed, { objectId: 30n, batchRows: 5 }).finally(() => (openWhenThrown = watcher.open)),
        (error) => error === truncated,
      );
      assert.equal(openAtThrow, 1, "the COPY of batch 1 was in flight when the parser failed");
      assert.equal(openWhenThrown, 0, "no statement left running on the connection when the error surfaced");
      assert.equal(watcher.copies.length, 1);
      await client.query("ROLLBACK");
      assert.equal((await client.query("SELECT 1 AS ok")).rows[0].ok, 1, "the connection is usable");
    } finally {
      client.release();
    }
    assert.deepEqual(await stored(30n), []);
  });

  describe("a batch Postgres fails (not a refused row) while the next is parsed", () => {
    // A CHECK constraint the staging table does not copy: the fast path refuses the batch, staging takes it, and
    // the merge into the table fails with a database error, which loadRows must throw, not swallow.
    before(async () => {
      await db.pool.query("CREATE TABLE tw_load_check (LIKE tw_load_test INCLUDING ALL, CONSTRAINT no_boom CHECK (note <> 'boom'))");
    });
    const checked: TableSpec<TestRow> = { ...spec, table: "tw_load_check" };
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);

    /** Loads 10 rows (row 2 violates the check) in batches of 4; the parser stops before row 6 until the merge has failed. */
    async function loadFailing(objectId: bigint, then: (n: number) => void) {
      const rows = rowsOf(10).map((r) => (r.n === 2 ? { ...r, note: "boom" } : r));
      const client = await db.pool.connect();
      const watcher = new Watcher(client);
      let reached = false;
      process.on("unhandledRejection", record);
      try {
        await client.query("BEGIN");
        const { results: parsed } = counted(rows, async (n) => {
          if (n === 6) {
            await watcher.until(() => watcher.failed === 2); // the fast path's COPY, then the merge
            reached = true;
            // Past the microtasks in which a rejection without a handler is reported.
            await new Promise((resolve) => setImmediate(resolve));
            await new Promise((resolve) => setImmediate(resolve));
          }
          then(n);
        });
        let caught: unknown;
        await loadRows(watcher.client, checked, parsed, { objectId, batchRows: 4 }).catch((error: unknown) => (caught = error));
        assert.ok(reached, "the batch failed while the parser went on");
        assert.equal(watcher.open, 0);
        await client.query("ROLLBACK");
        return caught;
      } finally {
        process.off("unhandledRejection", record);
        client.release();
      }
    }

    it("throws Postgres's error once parsing reaches the next send, with no unhandled rejection meanwhile", async () => {
      const caught = await loadFailing(40n, () => {});
      assert.match((caught as Error).message, /violates check constraint "no_boom"/);
      assert.deepEqual(unhandled, []);
      assert.equal((await db.pool.query("SELECT count(*)::int AS n FROM tw_load_check WHERE object_id = 40")).rows[0].n, 0);
    });

    it("throws the parser's error when the parser fails after the batch did", async () => {
      const truncated = new Error("truncated");
      const caught = await loadFailing(41n, (n) => {
        if (n === 6) throw truncated;
      });
      assert.equal(caught, truncated);
      assert.deepEqual(unhandled, []);
    });
  });
});
