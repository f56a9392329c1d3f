import { getPool } from "../db/pool";
import { toNumber, type Queryable } from "../db/queryable";
import { SEARCH_TABLES } from "./search-sql";
import type { FieldValue } from "./search-records";

/** The S3 object (or local file) an event was read from: its entry in the ledger (`ingest_objects`). */
export interface SourceObject {
  id: string;
  bucket: string;
  key: string;
  etag: string;
  /** Bytes, when known. */
  size: number | null;
  kind: string;
  status: string;
  /** When the ledger first saw it / finished it (UTC). */
  firstSeenAt: Date;
  finishedAt: Date | null;
}

export interface StoredEvent {
  recipientAccountId: string;
  eventId: string;
  /** UTC. */
  eventTime: Date;
  /** Hot fields by AWS name (times ISO 8601 UTC). Attacker-controlled text. */
  fields: Record<string, FieldValue>;
  /** The record as stored (`raw` jsonb: AWS's record; Postgres orders an object's keys its own way). */
  raw: Record<string, unknown>;
  /** When Trailwatch stored it (UTC). */
  ingestedAt: Date;
  source: SourceObject | null;
}

/** One CloudTrail event by its key (`recipientAccountId`, `eventID`), with its ledger entry; null when not stored. */
export async function getEvent(recipientAccountId: string, eventId: string, db: Queryable = getPool()): Promise<StoredEvent | null> {
  const { columns } = SEARCH_TABLES.cloudtrail;
  const { rows } = await db.query(
    `SELECT ${columns.map((c) => `e."${c.column}"`).join(", ")}, e.raw, e.ingested_at,
            o.id AS o_id, o.bucket AS o_bucket, o.key AS o_key, o.etag AS o_etag, o.size AS o_size, o.kind AS o_kind,
            o.status AS o_status, o.first_seen_at AS o_first_seen_at, o.finished_at AS o_finished_at
       FROM cloudtrail_events e
       LEFT JOIN ingest_objects o ON o.id = e.object_id
      WHERE e.recipient_account_id = $1 AND e.event_id = $2`,
    [recipientAccountId, eventId],
  );
  const r = rows[0];
  if (!r) return null;
  const fields: Record<string, FieldValue> = {};
  for (const c of columns) {
    const v = r[c.column];
    fields[c.name] = v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === "boolean" ? v : String(v);
  }
  return {
    recipientAccountId: String(r.recipient_account_id),
    eventId: String(r.event_id),
    eventTime: r.event_time as Date,
    fields,
    raw: (typeof r.raw === "object" && r.raw !== null ? r.raw : {}) as Record<string, unknown>,
    ingestedAt: r.ingested_at as Date,
    source:
      r.o_id === null || r.o_id === undefined
        ? null
        : {
            id: String(r.o_id),
            bucket: String(r.o_bucket),
            key: String(r.o_key),
            etag: String(r.o_etag),
            size: r.o_size === null ? null : toNumber(r.o_size),
            kind: String(r.o_kind),
            status: String(r.o_status),
            firstSeenAt: r.o_first_seen_at as Date,
            finishedAt: (r.o_finished_at as Date | null) ?? null,
          },
  };
}
