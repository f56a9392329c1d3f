import type { IngestObjectRow } from "./ingest-status";
import { clampLimit, LEDGER_STATUSES } from "./ingest-status";
import { toNumber, type Queryable } from "../db/queryable";

/**
 * The Ledger report: every object in `ingest_objects`, newest first, optionally of one status,
 * paged by id (`beforeId`: the smallest id of the previous page). Rows are `IngestObjectRow`s
 * (lib/reports/ingest-status.ts): ids as decimal strings, sizes bytes, durations ms, times UTC.
 * Throws RangeError for a status outside LEDGER_STATUSES (callers may pass untyped input).
 */
export async function ledgerObjects(db: Queryable, options: { status?: string; limit?: number; beforeId?: string } = {}): Promise<IngestObjectRow[]> {
  const { status } = options;
  if (status !== undefined && !(LEDGER_STATUSES as readonly string[]).includes(status)) throw new RangeError(`unknown ledger status ${JSON.stringify(status)}`);
  const before = options.beforeId && /^\d{1,19}$/.test(options.beforeId) ? options.beforeId : null;
  const res = await db.query<Record<string, unknown>>(
    `SELECT id::text, bucket, key, etag, size, kind, status, records_stored, records_duplicate, records_rejected, reason,
            attempts, message_id, first_seen_at, started_at, finished_at, duration_ms
       FROM ingest_objects
      WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR id < $2::bigint)
      ORDER BY ingest_objects.id DESC LIMIT $3`, // the bigint column: a bare "id" would sort the text output column
    [status ?? null, before, clampLimit(options.limit)],
  );
  return res.rows.map((r) => ({
    id: String(r.id), bucket: String(r.bucket), key: String(r.key), etag: String(r.etag), size: r.size === null ? null : toNumber(r.size),
    kind: String(r.kind), status: String(r.status), recordsStored: toNumber(r.records_stored), recordsDuplicate: toNumber(r.records_duplicate),
    recordsRejected: toNumber(r.records_rejected), reason: (r.reason as string | null) ?? null, attempts: toNumber(r.attempts),
    messageId: (r.message_id as string | null) ?? null, firstSeenAt: r.first_seen_at as Date, startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null, durationMs: r.duration_ms === null ? null : toNumber(r.duration_ms),
  }));
}
