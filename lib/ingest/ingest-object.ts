import type { Readable } from "node:stream";
import type pg from "pg";
import { CloudTrailFormatError, parseCloudTrailFile } from "../cloudtrail";
import { FlowLogFormatError, parseFlowLog } from "../flowlogs";
import type { Logger } from "../log";
import { beginAttempt, completeObject, failObject, FINAL_STATUSES, lockObject, type Completion, type LedgerEntry, type ObjectIdentity } from "./ledger";
import { recordFreshness } from "../ops/record-freshness";
import { loadRows, type LoadCounts } from "./load-rows";
import { ObjectTooLargeError, openContent } from "./open-content";
import { kindFromKey, routeObject } from "./route-object";
import { cloudTrailTable, flowTable } from "./tables";
import type { ObjectKind } from "./types";

/** An object whose bytes can be read: an S3 GetObject response or a local file. */
export interface OpenedObject extends ObjectIdentity {
  /** Size in bytes, when known. */
  size: number | null;
  /** The raw (possibly gzipped) bytes. */
  body: Readable;
}

export interface IngestContext {
  pool: pg.Pool;
  log: Logger;
  /** Rows staged per COPY batch. */
  batchRows: number;
  /** A CloudTrail record larger than this many bytes is rejected. */
  maxRecordBytes: number;
  /** An object whose decompressed content is larger than this many bytes is rejected (TRAILWATCH_MAX_OBJECT_BYTES; default 2 GiB). */
  maxObjectBytes?: number;
  /** The SQS message that announced the object (null for local imports). */
  messageId: string | null;
}

/**
 * What happened to one object:
 * - `done` / `skipped` / `unsupported`: final, recorded in the ledger;
 * - `already`: the ledger had it final before; nothing was read or stored
 *   (`duplicate` repeats how many records it holds);
 * - `rejected`: final; its content is not a valid file of its kind (`reason` says why);
 * - `failed`: nothing of it was stored; the ledger holds `reason`; a retry may succeed.
 */
export interface ObjectOutcome {
  bucket: string;
  key: string;
  kind: ObjectKind;
  status: "done" | "rejected" | "skipped" | "unsupported" | "already" | "failed";
  stored: number;
  duplicate: number;
  rejected: number;
  reason: string | null;
}

/**
 * Ingests one object end to end: ledger entry → gunzip (by magic bytes) → route
 * by key and content → streaming parse → COPY → ledger "done", the rows and the
 * ledger update committed in one transaction. Never throws for bad content: a
 * failure rolls the object's rows back and is returned (and recorded) as `failed`.
 * Throws only when the database itself is unreachable.
 */
export async function ingestObject(object: OpenedObject, ctx: IngestContext): Promise<ObjectOutcome> {
  const log = ctx.log.child({ bucket: object.bucket, key: object.key, messageId: ctx.messageId });
  const keyKind = kindFromKey(object.key) ?? "unknown";
  const entry = await beginAttempt(ctx.pool, { ...object, kind: keyKind, messageId: ctx.messageId });
  if (FINAL_STATUSES.includes(entry.status)) {
    object.body.destroy();
    log.debug({ status: entry.status }, "object already ingested");
    return alreadyIngested(object, entry);
  }

  let kind: ObjectKind = keyKind;
  const client = await ctx.pool.connect();
  try {
    await client.query("BEGIN");
    const locked = await lockObject(client, entry.id);
    if (FINAL_STATUSES.includes(locked.status)) {
      // Another worker finished it while we waited for the lock.
      await client.query("ROLLBACK");
      object.body.destroy();
      return alreadyIngested(object, locked);
    }
    const content = await openContent(object.body, { maxBytes: ctx.maxObjectBytes });
    const route = routeObject(object.key, content.head);
    kind = route.kind;
    let completion: Completion;
    if (route.action === "parse-cloudtrail" || route.action === "parse-flowlog") {
      const counts: LoadCounts =
        route.action === "parse-cloudtrail"
          ? await loadRows(client, cloudTrailTable, parseCloudTrailFile(content.body, { maxRecordBytes: ctx.maxRecordBytes }), { objectId: entry.id, batchRows: ctx.batchRows })
          : await loadRows(client, flowTable, parseFlowLog(content.body), { objectId: entry.id, batchRows: ctx.batchRows });
      completion = { status: "done", kind, ...counts, reason: null };
    } else {
      content.body.destroy();
      const status = route.action === "unsupported" ? "unsupported" : "skipped";
      completion = { status, kind, stored: 0, duplicate: 0, rejected: 0, rejections: [], reason: route.reason ?? null };
    }
    await completeObject(client, entry.id, completion);
    if (completion.status === "done") await recordFreshness(client, { key: object.key, records: completion.stored });
    await client.query("COMMIT");
    const outcome: ObjectOutcome = { bucket: object.bucket, key: object.key, kind, status: completion.status, stored: completion.stored, duplicate: completion.duplicate, rejected: completion.rejected, reason: completion.reason };
    log.info({ kind, status: outcome.status, stored: outcome.stored, duplicate: outcome.duplicate, rejected: outcome.rejected, reason: outcome.reason ?? undefined }, "object ingested");
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    object.body.destroy();
    const reason = describeError(error);
    // A file that is not what its kind requires will never parse: final, so it is not retried.
    // Nor will one larger than the limit (a gzip bomb) shrink.
    const permanent = error instanceof CloudTrailFormatError || error instanceof FlowLogFormatError || error instanceof ObjectTooLargeError;
    if (permanent) await completeObject(ctx.pool, entry.id, { status: "rejected", kind, stored: 0, duplicate: 0, rejected: 0, rejections: [], reason });
    else await failObject(ctx.pool, entry.id, kind, reason);
    log.warn({ kind, reason }, permanent ? "object rejected" : "object failed");
    return { bucket: object.bucket, key: object.key, kind, status: permanent ? "rejected" : "failed", stored: 0, duplicate: 0, rejected: 0, reason };
  } finally {
    client.release();
  }
}

/** The outcome for an object the ledger already holds as final: nothing read, its records counted as duplicates. */
export function alreadyIngested(object: { bucket: string; key: string }, entry: LedgerEntry): ObjectOutcome {
  return {
    bucket: object.bucket,
    key: object.key,
    kind: entry.kind,
    status: "already",
    stored: 0,
    duplicate: entry.recordsStored + entry.recordsDuplicate,
    rejected: 0,
    reason: entry.reason,
  };
}

/** A one-line reason for the ledger, naming the error class when it says something (e.g. `CloudTrailFormatError`). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = error.name && error.name !== "Error" ? `${error.name}: ` : typeof code === "string" ? `${code}: ` : "";
    return `${prefix}${error.message}`;
  }
  return String(error);
}
