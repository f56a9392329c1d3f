import type { PrismaClient } from "../db/generated/client";
import { prisma } from "../db/prisma";
import type { LedgerStatus } from "../ingest/ledger";
import type { ObjectKind } from "../ingest/types";

/**
 * The Ingest report: how every S3 object and every SQS message the worker has seen was handled,
 * read from the object ledger (`ingest_objects`), the refused records (`ingest_rejections`) and the
 * messages that announced nothing to ingest (`message_log`). One function per panel, each returning
 * plain data: ids as strings (they are `bigint`), sizes and counts as numbers, times as `Date` (UTC).
 * Every text field (keys, reasons, excerpts, message bodies) is attacker-controlled: render it as text only.
 * Each function takes the Prisma client as an optional last argument (default: the process's `prisma()`).
 */

/** Every status the ledger writes (lib/ingest/ledger.ts), in the order the UI lists them. */
export const LEDGER_STATUSES = ["done", "processing", "failed", "rejected", "skipped", "unsupported"] as const satisfies readonly LedgerStatus[];

/** Every object kind the router assigns (lib/ingest/types.ts). */
export const OBJECT_KINDS = ["cloudtrail", "cloudtrail-digest", "cloudtrail-insight", "vpcflow", "unknown"] as const satisfies readonly ObjectKind[];

/** The outcomes of `message_log` rows (lib/ingest/message-log.ts). */
export const MESSAGE_OUTCOMES = ["rejected", "test", "ignored"] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

/** Final statuses other than `done`: the object was read once and will not be retried, but nothing was stored. */
const NOT_STORED_STATUSES = ["failed", "rejected", "unsupported", "skipped"] as const;

/** An object still `processing` this long after its attempt began is reported as stalled (10 minutes, in ms). */
export const STALLED_AFTER_MS = 10 * 60_000;

/** Row limits of the list panels: the default and the largest accepted. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/**
 * Object counts by status and by kind. Every known key is present (0 when unused); a value the
 * ledger holds that this code does not know yet is kept under its own key rather than dropped.
 */
export type StatusCounts = Record<LedgerStatus, number> & Record<string, number>;
export type KindCounts = Record<ObjectKind, number> & Record<string, number>;

export interface LedgerSummary {
  /** Objects in the ledger (one per bucket, key and ETag). */
  objects: number;
  byStatus: StatusCounts;
  byKind: KindCounts;
  /** Sums over all objects of `records_stored`, `records_duplicate` (already stored: skipped) and `records_rejected`. */
  records: { stored: number; duplicate: number; rejected: number };
  /** When the latest attempt on any object ended, whatever its outcome (`finished_at`, UTC); null before the first. */
  lastFinishedAt: Date | null;
  /** When the latest object finished with status `done` (UTC); null before the first. */
  lastDoneAt: Date | null;
  /** The object whose failure (status `failed` or `rejected`) is the most recent; null when none is. */
  lastFailure: { at: Date | null; bucket: string; key: string; status: string; reason: string | null } | null;
}

/** One ledger row as plain data. */
export interface IngestObjectRow {
  /** The ledger id (`bigint`), as a decimal string. */
  id: string;
  bucket: string;
  key: string;
  /** S3 ETag without quotes, or the version id, or `sha256:<hex>` for local files. */
  etag: string;
  /** Object size in bytes, when the notification gave it. */
  size: number | null;
  /** One of {@link OBJECT_KINDS}. */
  kind: string;
  /** One of {@link LEDGER_STATUSES}. */
  status: string;
  recordsStored: number;
  recordsDuplicate: number;
  recordsRejected: number;
  /** Why the object failed, was rejected, skipped or is unsupported; null when done. */
  reason: string | null;
  /** Attempts made so far (1 after the first). */
  attempts: number;
  /** The SQS message id that last announced it; null for local imports. */
  messageId: string | null;
  /** When the ledger first saw the object (UTC). */
  firstSeenAt: Date;
  /** When the latest attempt began (UTC). */
  startedAt: Date | null;
  /** When the latest attempt ended (UTC); null while the first attempt runs. May predate `startedAt` while a retry runs. */
  finishedAt: Date | null;
  /** Duration of the latest finished attempt, in ms. */
  durationMs: number | null;
}

/**
 * Why an object is listed under "needs attention": its status (`failed`, `rejected`, `unsupported`,
 * `skipped`), `stalled` (still `processing` {@link STALLED_AFTER_MS} after its attempt began: the worker
 * may have stopped mid-object), or `records-rejected` (stored, but some records or lines were refused).
 */
export type AttentionReason = (typeof NOT_STORED_STATUSES)[number] | "stalled" | "records-rejected";

export interface AttentionRow extends IngestObjectRow {
  attention: AttentionReason;
}

export interface ListOptions {
  /** Rows to return, 1 to {@link MAX_LIMIT}; default {@link DEFAULT_LIMIT}. */
  limit?: number;
}

export interface AttentionOptions extends ListOptions {
  /** The current time, against which stalled objects are judged; default `new Date()`. */
  now?: Date;
}

export interface MessageLogOptions extends ListOptions {
  /** Only messages with this outcome; all when absent. */
  outcome?: MessageOutcome;
}

/** One refused record or line, with the object it came from. */
export interface RejectionRow {
  /** The rejection's id, as a decimal string. */
  id: string;
  /** CloudTrail: 0-based index in `Records`; flow logs: 1-based line number. */
  position: number;
  /** A sentence saying why the record could not be stored. */
  reason: string;
  /** The start of the offending input (at most 500 characters). */
  excerpt: string;
  object: { id: string; bucket: string; key: string; kind: string; status: string; finishedAt: Date | null };
}

/** One SQS message that announced no object to ingest. */
export interface MessageLogRow {
  id: string;
  /** The SQS message id. */
  messageId: string;
  /** `rejected`: not understood (left on the queue for its DLQ); `test`: `s3:TestEvent`; `ignored`: understood, nothing to ingest. */
  outcome: string;
  /** What the body looked like, e.g. `sns/s3-notification` or `not-json`. */
  shape: string;
  reason: string;
  /** The start of the body (at most 500 characters). */
  bodyExcerpt: string;
  /** SQS `ApproximateReceiveCount` as last seen. */
  receiveCount: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** Every Ingest panel, as the page and `GET /api/ingest` return them. */
export interface IngestStatusReport {
  summary: LedgerSummary;
  needsAttention: AttentionRow[];
  refusedRecords: RejectionRow[];
  messageLog: MessageLogRow[];
  recentObjects: IngestObjectRow[];
}

export interface IngestStatusOptions {
  /** Rows per list panel (see {@link ListOptions}). */
  limit?: number;
  /** Filter of the message log panel. */
  outcome?: MessageOutcome;
  /** See {@link AttentionOptions}. */
  now?: Date;
}

/** A row limit from untyped input: non-numbers get the default, others are truncated and clamped to 1..MAX_LIMIT. */
export function clampLimit(limit: number | undefined, fallback = DEFAULT_LIMIT): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** Whether a value is one of {@link MESSAGE_OUTCOMES}. */
export function isMessageOutcome(value: unknown): value is MessageOutcome {
  return (MESSAGE_OUTCOMES as readonly unknown[]).includes(value);
}

const OBJECT_SELECT = {
  id: true,
  bucket: true,
  key: true,
  etag: true,
  size: true,
  kind: true,
  status: true,
  recordsStored: true,
  recordsDuplicate: true,
  recordsRejected: true,
  reason: true,
  attempts: true,
  messageId: true,
  firstSeenAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
} as const;

type SelectedObject = Omit<IngestObjectRow, "id" | "size"> & { id: bigint; size: bigint | null };

function toObjectRow(o: SelectedObject): IngestObjectRow {
  return { ...o, id: o.id.toString(), size: o.size === null ? null : Number(o.size) };
}

function zeroFilled<K extends string>(keys: readonly K[], groups: { key: string; count: number }[]): Record<K, number> & Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const g of groups) counts[g.key] = (counts[g.key] ?? 0) + g.count;
  return counts as Record<K, number> & Record<string, number>;
}

/**
 * The ledger in numbers: objects by status and by kind, record totals, the latest finish and the latest failure.
 * These are whole-ledger aggregates (no time filter), so their cost grows with the ledger: one row per object.
 */
export async function ledgerSummary(db: PrismaClient = prisma()): Promise<LedgerSummary> {
  const [byStatus, byKind, totals, lastFinished, lastDone, lastFailure] = await Promise.all([
    db.ingestObject.groupBy({ by: ["status"], _count: { _all: true } }),
    db.ingestObject.groupBy({ by: ["kind"], _count: { _all: true } }),
    db.ingestObject.aggregate({ _count: { _all: true }, _sum: { recordsStored: true, recordsDuplicate: true, recordsRejected: true } }),
    // A `processing` row keeps the finish time of its previous attempt: not a finish.
    db.ingestObject.aggregate({ where: { status: { not: "processing" } }, _max: { finishedAt: true } }),
    db.ingestObject.aggregate({ where: { status: "done" }, _max: { finishedAt: true } }),
    db.ingestObject.findFirst({
      where: { status: { in: ["failed", "rejected"] } },
      orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
      select: { finishedAt: true, bucket: true, key: true, status: true, reason: true },
    }),
  ]);
  return {
    objects: totals._count._all,
    byStatus: zeroFilled(LEDGER_STATUSES, byStatus.map((g) => ({ key: g.status, count: g._count._all }))),
    byKind: zeroFilled(OBJECT_KINDS, byKind.map((g) => ({ key: g.kind, count: g._count._all }))),
    records: {
      stored: Number(totals._sum.recordsStored ?? 0),
      duplicate: Number(totals._sum.recordsDuplicate ?? 0),
      rejected: Number(totals._sum.recordsRejected ?? 0),
    },
    lastFinishedAt: lastFinished._max.finishedAt ?? null,
    lastDoneAt: lastDone._max.finishedAt ?? null,
    lastFailure: lastFailure
      ? { at: lastFailure.finishedAt, bucket: lastFailure.bucket, key: lastFailure.key, status: lastFailure.status, reason: lastFailure.reason }
      : null,
  };
}

/**
 * Objects someone should look at, latest attempt first (`started_at` descending, then newest id):
 * status `failed`, `rejected`, `unsupported` or `skipped`; `processing` for more than
 * {@link STALLED_AFTER_MS} (measured from `started_at`, or `first_seen_at` when absent, against `options.now`);
 * or any status with `records_rejected > 0`. Each row says which in `attention`.
 */
export async function objectsNeedingAttention(options: AttentionOptions = {}, db: PrismaClient = prisma()): Promise<AttentionRow[]> {
  const stalledBefore = new Date((options.now ?? new Date()).getTime() - STALLED_AFTER_MS);
  const rows = await db.ingestObject.findMany({
    where: {
      OR: [
        { status: { in: [...NOT_STORED_STATUSES] } },
        { status: "processing", startedAt: { lt: stalledBefore } },
        { status: "processing", startedAt: null, firstSeenAt: { lt: stalledBefore } },
        { recordsRejected: { gt: 0 } },
      ],
    },
    orderBy: [{ startedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: clampLimit(options.limit),
    select: OBJECT_SELECT,
  });
  return rows.map((o) => ({ ...toObjectRow(o), attention: attentionOf(o.status) }));
}

function attentionOf(status: string): AttentionReason {
  if (status === "processing") return "stalled";
  const notStored = NOT_STORED_STATUSES.find((s) => s === status);
  return notStored ?? "records-rejected";
}

/**
 * The newest refused records and lines (by rejection id: the latest stored first), each with its object.
 * Within one object they are listed in file order (ascending `position`), so a page reads like the file.
 */
export async function recentRejections(options: ListOptions = {}, db: PrismaClient = prisma()): Promise<RejectionRow[]> {
  const rows = await db.ingestRejection.findMany({
    orderBy: { id: "desc" },
    take: clampLimit(options.limit),
    select: {
      id: true,
      position: true,
      reason: true,
      excerpt: true,
      object: { select: { id: true, bucket: true, key: true, kind: true, status: true, finishedAt: true } },
    },
  });
  // Keep objects in newest-first order of their first row here; sort each object's rows by position.
  const objectRank = new Map<bigint, number>();
  for (const r of rows) if (!objectRank.has(r.object.id)) objectRank.set(r.object.id, objectRank.size);
  rows.sort((a, b) => objectRank.get(a.object.id)! - objectRank.get(b.object.id)! || a.position - b.position);
  return rows.map((r) => ({
    id: r.id.toString(),
    position: r.position,
    reason: r.reason,
    excerpt: r.excerpt,
    object: { ...r.object, id: r.object.id.toString() },
  }));
}

/**
 * SQS messages that announced no object to ingest, most recently received first (`last_seen_at`, then newest id).
 * Throws `RangeError` for an `outcome` outside {@link MESSAGE_OUTCOMES} (callers may pass untyped input).
 */
export async function messageLog(options: MessageLogOptions = {}, db: PrismaClient = prisma()): Promise<MessageLogRow[]> {
  const { outcome } = options;
  if (outcome !== undefined && !isMessageOutcome(outcome)) throw new RangeError(`unknown message outcome ${JSON.stringify(outcome)}`);
  const rows = await db.messageLog.findMany({
    where: outcome === undefined ? {} : { outcome },
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: clampLimit(options.limit),
  });
  return rows.map((m) => ({
    id: m.id.toString(),
    messageId: m.messageId,
    outcome: m.outcome,
    shape: m.shape,
    reason: m.reason,
    bodyExcerpt: m.bodyExcerpt,
    receiveCount: m.receiveCount,
    firstSeenAt: m.firstSeenAt,
    lastSeenAt: m.lastSeenAt,
  }));
}

/**
 * The objects the ledger saw last, any status, newest first. Ordered by ledger id (assigned when an
 * object is first seen), which the primary key serves directly however large the ledger grows.
 */
export async function recentObjects(options: ListOptions = {}, db: PrismaClient = prisma()): Promise<IngestObjectRow[]> {
  const rows = await db.ingestObject.findMany({ orderBy: { id: "desc" }, take: clampLimit(options.limit), select: OBJECT_SELECT });
  return rows.map(toObjectRow);
}

/** Every Ingest panel, queried in parallel; `limit` applies to each list panel. */
export async function ingestStatusReport(options: IngestStatusOptions = {}, db: PrismaClient = prisma()): Promise<IngestStatusReport> {
  const { limit, outcome, now } = options;
  const [summary, needsAttention, refusedRecords, messages, recent] = await Promise.all([
    ledgerSummary(db),
    objectsNeedingAttention({ limit, now }, db),
    recentRejections({ limit }, db),
    messageLog({ limit, outcome }, db),
    recentObjects({ limit }, db),
  ]);
  return { summary, needsAttention, refusedRecords, messageLog: messages, recentObjects: recent };
}
