import type pg from "pg";
import { copyText, encodeCopyRow, type CopyValue } from "../db/copy";
import { CopyBatch } from "../db/copy-batch";
import { excerptOf, type ParseResult, type Rejection } from "../parse-result";
import { markRollupHours } from "../reports/rollups";
import type { RecordSource } from "../reports/selection";

/** How a parser's rows map onto an event table. Identifiers here are trusted constants. */
export interface TableSpec<Row> {
  table: string;
  /** SQL columns in COPY order; the first is always `object_id`. */
  columns: readonly string[];
  /** The row's values in `columns` order, after the object id. */
  values(row: Row): CopyValue[];
  /** Where a row sits in its file, for rejections (flow logs: line number); default: its index among the file's records. */
  position?(row: Row): number;
  /**
   * The report rollups the table feeds (lib/reports/rollups.ts), when it feeds any: their `source`, and
   * `time(row)`, the row's value of the source's time column (`SOURCE_TABLES[source].time`: CloudTrail
   * `eventTime`, flow-log `start`), by whose UTC hour the rollups count it; null when the row has none.
   */
  rollup?: { source: RecordSource; time(row: Row): Date | null };
}

/** Default of `LoadOptions.batchBytes`: 4 MiB of COPY text per batch. */
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;

export interface LoadOptions {
  objectId: bigint;
  /** Rows sent per COPY batch (and staged before they are merged, on the safe path). */
  batchRows: number;
  /** A batch is also sent once its COPY text reaches this many bytes (default `DEFAULT_BATCH_BYTES`), so large CloudTrail records keep memory bounded. */
  batchBytes?: number;
  /** Try COPY straight into the table first (default true); false always stages and merges. */
  direct?: boolean;
  /** At most this many rejections are kept with their details; all are counted. */
  keepRejections?: number;
}

export interface LoadCounts {
  /** Rows newly stored. */
  stored: number;
  /** Rows already stored before (same idempotency key), not stored again. */
  duplicate: number;
  /** Records the parser or Postgres refused. */
  rejected: number;
  /** Details of the first `keepRejections` rejected records. */
  rejections: Rejection[];
}

const HOUR_MS = 3_600_000;

/**
 * Loads parsed rows into `spec.table` inside the caller's open transaction.
 * Fast path: each batch is COPYed straight into the table under a savepoint
 * (the common case, a new object whose rows are all new, costs one COPY).
 * The first batch Postgres refuses there (a row already stored under the same
 * idempotency key, or a value such as an address `inet` rejects) is rolled back
 * to the savepoint and, with every later batch of the object, takes the safe
 * path: COPY into a temporary staging table, then merge with
 * `INSERT … SELECT … ON CONFLICT DO NOTHING`, so a retried or re-delivered
 * object stores nothing twice and the count of duplicates is exact. A batch
 * refused even by the staging table is retried row by row so one bad row is
 * rejected with Postgres's reason and the rest are stored.
 * Each row is encoded to COPY text once, as it arrives, into a `CopyBatch`
 * (UTF-8 bytes outside the JS heap, reused from batch to batch). Parse-ahead: while
 * Postgres stores one batch, the next is parsed into a second `CopyBatch`, and is
 * sent once the first is stored; memory holds at most two batches of text (each at
 * most `batchRows` rows or about `batchBytes` bytes), and the connection runs one
 * statement at a time. When parsing throws, the batch in flight is let finish
 * before the error is rethrown, so the caller can roll back at once.
 * When the table feeds report rollups (`spec.rollup`) and rows were stored, the UTC
 * hours of the rows sent to Postgres are marked dirty (`markRollupHours`) in the
 * same transaction: collected as the rows are encoded, so every hour that got a
 * stored row is marked (an hour whose rows all proved duplicates or were refused
 * is marked too, which costs a refresh of that hour and nothing else) and the
 * stored rows are not read back. Throws on database errors other than a refused row,
 * and the parser's errors. `rejections` are in file order (by position).
 */
export async function loadRows<Row>(
  client: pg.ClientBase,
  spec: TableSpec<Row>,
  results: AsyncIterable<ParseResult<Row>>,
  options: LoadOptions,
): Promise<LoadCounts> {
  const keep = options.keepRejections ?? 100;
  const counts: LoadCounts = { stored: 0, duplicate: 0, rejected: 0, rejections: [] };
  const reject = (rejection: Rejection) => {
    counts.rejected += 1;
    if (counts.rejections.length < keep) counts.rejections.push(rejection);
  };
  const stage = `tw_stage_${spec.table}`;
  let staging = false;
  const startStaging = async () => {
    staging = true;
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${spec.table} INCLUDING DEFAULTS) ON COMMIT DROP`);
    await client.query(`TRUNCATE ${stage}`);
  };
  if (options.direct === false) await startStaging();

  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  /** Stores one batch and empties it. Only `send` calls it, one batch after the other, so `staging` and the counts change in batch order. */
  const flush = async (batch: CopyBatch) => {
    if (!staging) {
      if (await copyDirect(client, spec, batch)) {
        counts.stored += batch.rows;
        batch.clear();
        return;
      }
      await startStaging();
    }
    const staged = await stageBatch(client, stage, spec.columns, batch, reject);
    const columns = spec.columns.map((c) => `"${c}"`).join(", ");
    const merged = await client.query(`INSERT INTO ${spec.table} (${columns}) SELECT ${columns} FROM ${stage} ON CONFLICT DO NOTHING`);
    const stored = merged.rowCount ?? 0;
    counts.stored += stored;
    counts.duplicate += staged - stored;
    await client.query(`TRUNCATE ${stage}`);
    batch.clear();
  };

  // Parse-ahead: while Postgres stores one batch, the next is parsed and encoded into the other, so neither
  // waits for the other (sequentially, load connections sat idle in their transaction a third of the time while
  // their object was parsed; docs/performance.md). `inFlight` is the storing of the batch last sent; the next is
  // sent only once it has settled, so the connection runs one statement at a time and memory holds two batches.
  let filling = new CopyBatch();
  let spare = new CopyBatch();
  let inFlight: Promise<void> = Promise.resolve();
  const send = async () => {
    if (filling.rows === 0) return;
    await inFlight; // throws the previous batch's error, if any
    const sending = filling;
    [filling, spare] = [spare, sending];
    inFlight = flush(sending);
    // Its error is thrown where it is awaited (the next send, the end, or the catch below); until then parsing
    // goes on, and without a handler a failure meanwhile would be an unhandled rejection (which ends the process).
    inFlight.catch(() => undefined);
  };

  const objectIdText = `${options.objectId}\t`;
  // The UTC hours (ms since the epoch / HOUR_MS) of the rows encoded; rows come mostly in time order, so
  // comparing with the last row's hour spares the set nearly every lookup.
  const hours = new Set<number>();
  let lastHour = Number.NaN;
  let index = 0;
  try {
    for await (const result of results) {
      if (result.ok) {
        const time = spec.rollup?.time(result.row);
        if (time) {
          const hour = Math.floor(time.getTime() / HOUR_MS);
          if (hour !== lastHour) hours.add((lastHour = hour));
        }
        filling.push(objectIdText + encodeCopyRow(spec.values(result.row)), spec.position?.(result.row) ?? index);
        if (filling.rows >= options.batchRows || filling.bytes >= batchBytes) await send();
      } else {
        reject(result.rejection);
      }
      index += 1;
    }
    await send();
    await inFlight;
  } catch (error) {
    // The parser (or a batch) failed: let the batch in flight finish first, so the caller's ROLLBACK finds the
    // connection between statements, not in the middle of a COPY. Its own error, if any, is secondary.
    await inFlight.catch(() => undefined);
    throw error;
  }
  if (spec.rollup && counts.stored > 0) {
    await markRollupHours(client, spec.rollup.source, Array.from(hours, (hour) => new Date(hour * HOUR_MS)));
  }
  // The parser's rejections and Postgres's (found while the next batch was parsed) arrive interleaved: file order.
  counts.rejections.sort((a, b) => a.position - b.position);
  return counts;
}

/** COPYs a batch straight into the table under a savepoint; false (and nothing stored) when Postgres refuses any of it. */
async function copyDirect<Row>(client: pg.ClientBase, spec: TableSpec<Row>, batch: CopyBatch): Promise<boolean> {
  await client.query("SAVEPOINT tw_direct");
  try {
    await copyText(client, spec.table, spec.columns, batch.chunks());
    await client.query("RELEASE SAVEPOINT tw_direct");
    return true;
  } catch {
    await client.query("ROLLBACK TO SAVEPOINT tw_direct");
    await client.query("RELEASE SAVEPOINT tw_direct");
    return false;
  }
}

/** COPYs a batch into the staging table; returns how many rows it holds now (the batch less the rows Postgres refused). */
async function stageBatch(
  client: pg.ClientBase,
  stage: string,
  columns: readonly string[],
  batch: CopyBatch,
  reject: (r: Rejection) => void,
): Promise<number> {
  await client.query("SAVEPOINT tw_batch");
  try {
    await copyText(client, stage, columns, batch.chunks());
    await client.query("RELEASE SAVEPOINT tw_batch");
    return batch.rows;
  } catch {
    await client.query("ROLLBACK TO SAVEPOINT tw_batch");
  }
  // Slow path, only for a batch Postgres refused: find the rows it refuses.
  await client.query("RELEASE SAVEPOINT tw_batch");
  let staged = 0;
  for (let i = 0; i < batch.rows; i += 1) {
    const row = batch.row(i);
    await client.query("SAVEPOINT tw_row");
    try {
      await copyText(client, stage, columns, [row.text]);
      staged += 1;
    } catch (error) {
      await client.query("ROLLBACK TO SAVEPOINT tw_row");
      const line = row.text.toString("utf8");
      reject({
        position: row.position,
        reason: `record ${row.position}: refused by Postgres: ${(error as Error).message}`,
        // The row's COPY text after the object id: its values, tab-separated.
        excerpt: excerptOf(line.slice(line.indexOf("\t") + 1).trimEnd()),
      });
    }
    await client.query("RELEASE SAVEPOINT tw_row");
  }
  return staged;
}
