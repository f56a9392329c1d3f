import type pg from "pg";
import type { Rejection } from "../parse-result";
import type { ObjectKind } from "./types";

/**
 * The object ledger (`ingest_objects`): one row per S3 object (bucket, key, etag)
 * or local file. It is how "nothing lost, nothing twice" is proved and shown.
 */
export type LedgerStatus = "processing" | "done" | "failed" | "rejected" | "skipped" | "unsupported";

/**
 * Statuses after which the object is never processed again: reading it again
 * would give the same result. `rejected`: its content is not a valid log file
 * of its kind (a permanent error, unlike `failed`, which a retry may cure).
 */
export const FINAL_STATUSES: readonly LedgerStatus[] = ["done", "rejected", "skipped", "unsupported"];
const FINAL_SQL = "('done', 'rejected', 'skipped', 'unsupported')";

export interface LedgerEntry {
  id: bigint;
  status: LedgerStatus;
  kind: ObjectKind;
  recordsStored: number;
  recordsDuplicate: number;
  recordsRejected: number;
  reason: string | null;
}

interface LedgerRow {
  id: string;
  status: LedgerStatus;
  kind: ObjectKind;
  records_stored: number;
  records_duplicate: number;
  records_rejected: number;
  reason: string | null;
}

const RETURNING = "RETURNING id::text, status, kind, records_stored, records_duplicate, records_rejected, reason";

function toEntry(row: LedgerRow | undefined): LedgerEntry {
  if (!row) throw new Error("ledger row missing");
  return {
    id: BigInt(row.id),
    status: row.status,
    kind: row.kind,
    recordsStored: row.records_stored,
    recordsDuplicate: row.records_duplicate,
    recordsRejected: row.records_rejected,
    reason: row.reason,
  };
}

export interface ObjectIdentity {
  bucket: string;
  key: string;
  /** ETag without quotes, version id, or `sha256:<hex>` for local files. */
  etag: string;
}

/** The ledger entry of an object, or null when it was never seen. */
export async function findObject(db: pg.ClientBase | pg.Pool, id: ObjectIdentity): Promise<LedgerEntry | null> {
  const result = await db.query<LedgerRow>(
    `SELECT id::text, status, kind, records_stored, records_duplicate, records_rejected, reason
       FROM ingest_objects WHERE bucket = $1 AND key = $2 AND etag = $3`,
    [id.bucket, id.key, id.etag],
  );
  return result.rows[0] ? toEntry(result.rows[0]) : null;
}

/**
 * Records that an attempt on the object begins (committed at once, so a crash
 * mid-object still leaves a trace): inserts the row, or bumps `attempts` on an
 * existing one that is not final. Returns the entry as it stands; a final
 * status means the object was already ingested and must not be processed again.
 */
export async function beginAttempt(
  db: pg.Pool,
  id: ObjectIdentity & { size: number | null; kind: ObjectKind; messageId: string | null },
): Promise<LedgerEntry> {
  const result = await db.query<LedgerRow>(
    `INSERT INTO ingest_objects (bucket, key, etag, size, kind, status, attempts, message_id, started_at)
     VALUES ($1, $2, $3, $4, $5, 'processing', 1, $6, now())
     ON CONFLICT (bucket, key, etag) DO UPDATE SET
       attempts = ingest_objects.attempts + CASE WHEN ingest_objects.status IN ${FINAL_SQL} THEN 0 ELSE 1 END,
       status = CASE WHEN ingest_objects.status IN ${FINAL_SQL} THEN ingest_objects.status ELSE 'processing' END,
       started_at = CASE WHEN ingest_objects.status IN ${FINAL_SQL} THEN ingest_objects.started_at ELSE now() END,
       message_id = COALESCE($6, ingest_objects.message_id)
     ${RETURNING}`,
    [id.bucket, id.key, id.etag, id.size, id.kind, id.messageId],
  );
  return toEntry(result.rows[0]);
}

/** Locks the entry for the caller's transaction, so two workers never load one object at once. */
export async function lockObject(client: pg.ClientBase, objectId: bigint): Promise<LedgerEntry> {
  const result = await client.query<LedgerRow>(
    `SELECT id::text, status, kind, records_stored, records_duplicate, records_rejected, reason
       FROM ingest_objects WHERE id = $1 FOR UPDATE`,
    [objectId],
  );
  return toEntry(result.rows[0]);
}

export interface Completion {
  status: Exclude<LedgerStatus, "processing" | "failed">;
  kind: ObjectKind;
  stored: number;
  duplicate: number;
  rejected: number;
  rejections: Rejection[];
  reason: string | null;
}

/**
 * Marks the object finished inside the caller's transaction (the one that loaded
 * its rows) and stores its rejections. An object that stored rows joins the
 * detection queue in the same transaction, so its rows reach the rules exactly once.
 */
export async function completeObject(client: pg.ClientBase | pg.Pool, objectId: bigint, done: Completion): Promise<void> {
  await client.query(
    // clock_timestamp(), not now(): inside the load transaction now() is when the transaction
    // began, which would record every object as finishing the moment it started.
    // A reprocessed object (lib/ops/ops-requests.ts) keeps the rows it stored before: they come back as
    // duplicates of itself, so its counts add up rather than restart (first attempts start from 0).
    `UPDATE ingest_objects SET status = $2, kind = $3, records_stored = records_stored + $4,
       records_duplicate = GREATEST(0, $5 - records_stored),
       records_rejected = $6, reason = $7, finished_at = clock_timestamp(),
       duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int
     WHERE id = $1`,
    [objectId, done.status, done.kind, done.stored, done.duplicate, done.rejected, done.reason],
  );
  await client.query("DELETE FROM ingest_rejections WHERE object_id = $1", [objectId]);
  if (done.rejections.length > 0) {
    await client.query(
      `INSERT INTO ingest_rejections (object_id, position, reason, excerpt)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [objectId, done.rejections.map((r) => r.position), done.rejections.map((r) => r.reason), done.rejections.map((r) => r.excerpt)],
    );
  }
  if (done.stored > 0) await client.query("INSERT INTO detection_queue (object_id) VALUES ($1) ON CONFLICT DO NOTHING", [objectId]);
}

/** Records a failed attempt with its reason (outside any load transaction, which has been rolled back). */
export async function failObject(db: pg.Pool, objectId: bigint, kind: ObjectKind, reason: string): Promise<void> {
  await db.query(
    `UPDATE ingest_objects SET status = 'failed', kind = $3, reason = $2, finished_at = clock_timestamp(),
       duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int
     WHERE id = $1 AND status NOT IN ${FINAL_SQL}`,
    [objectId, reason.slice(0, 2000), kind],
  );
}
