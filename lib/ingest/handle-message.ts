import type { S3Client } from "@aws-sdk/client-s3";
import { decodeMessage } from "./decode-message";
import { alreadyIngested, describeError, ingestObject, type IngestContext, type ObjectOutcome } from "./ingest-object";
import { beginAttempt, failObject, findObject, FINAL_STATUSES } from "./ledger";
import { recordMessage } from "./message-log";
import { bareEtag, openS3Object } from "./open-s3-object";
import { kindFromKey } from "./route-object";
import type { ObjectRef } from "./types";

/** An SQS message as the worker sees it. */
export interface QueueMessage {
  messageId: string;
  body: string;
  /** SQS `ApproximateReceiveCount` (1 on first delivery). */
  receiveCount: number;
}

/**
 * The message's fate, decided in one place:
 * - `delete`: everything it announced is stored (or was already, or needs nothing);
 * - `retry`: leave it on the queue; it reappears after its visibility timeout and,
 *   past the queue's `maxReceiveCount`, the redrive policy moves it to the DLQ.
 *   Chosen for messages not understood and for objects that failed; the reason
 *   is already in the message log or the ledger.
 */
export interface MessageResult {
  fate: "delete" | "retry";
  objects: ObjectOutcome[];
  reason: string | null;
}

export interface HandleContext extends Omit<IngestContext, "messageId"> {
  s3: S3Client;
  signal?: AbortSignal;
}

/** Decodes one message and ingests every object it announces, one after another. Throws only when the database is unreachable. */
export async function handleMessage(message: QueueMessage, ctx: HandleContext): Promise<MessageResult> {
  const decoded = decodeMessage(message.body);
  const log = { messageId: message.messageId, shape: decoded.shape, receiveCount: message.receiveCount, body: message.body };
  switch (decoded.type) {
    case "rejected":
      await recordMessage(ctx.pool, { ...log, outcome: "rejected", reason: decoded.reason });
      ctx.log.warn({ messageId: message.messageId, shape: decoded.shape, reason: decoded.reason }, "message not understood");
      return { fate: "retry", objects: [], reason: decoded.reason };
    case "test":
      await recordMessage(ctx.pool, { ...log, outcome: "test", reason: `s3:TestEvent for bucket ${decoded.bucket ?? "(unnamed)"}: acknowledged` });
      return { fate: "delete", objects: [], reason: null };
    case "ignored":
      await recordMessage(ctx.pool, { ...log, outcome: "ignored", reason: decoded.reason });
      return { fate: "delete", objects: [], reason: null };
    default: {
      const objects: ObjectOutcome[] = [];
      for (const ref of decoded.objects) objects.push(await ingestAnnounced(ref, message, ctx));
      const failed = objects.filter((o) => o.status === "failed");
      return failed.length === 0
        ? { fate: "delete", objects, reason: null }
        : { fate: "retry", objects, reason: failed.map((o) => `${o.key}: ${o.reason}`).join("; ") };
    }
  }
}

async function ingestAnnounced(ref: ObjectRef, message: QueueMessage, ctx: HandleContext): Promise<ObjectOutcome> {
  const ingestCtx: IngestContext = { ...ctx, messageId: message.messageId };
  const etag = bareEtag(ref.etag);
  if (etag) {
    // A redelivered notification: known from the ledger without reading S3.
    const known = await findObject(ctx.pool, { bucket: ref.bucket, key: ref.key, etag });
    if (known && FINAL_STATUSES.includes(known.status)) return alreadyIngested(ref, known);
  }
  let opened;
  try {
    opened = await openS3Object(ctx.s3, ref, ctx.signal);
  } catch (error) {
    // e.g. NoSuchKey, AccessDenied: recorded against the object so the UI shows it.
    const kind = kindFromKey(ref.key) ?? "unknown";
    const reason = `S3 GetObject failed: ${describeError(error)}`;
    const entry = await beginAttempt(ctx.pool, { bucket: ref.bucket, key: ref.key, etag: etag ?? "", size: ref.size, kind, messageId: message.messageId });
    await failObject(ctx.pool, entry.id, kind, reason);
    ctx.log.warn({ bucket: ref.bucket, key: ref.key, messageId: message.messageId, reason }, "object failed");
    return { bucket: ref.bucket, key: ref.key, kind, status: "failed", stored: 0, duplicate: 0, rejected: 0, reason };
  }
  return ingestObject(opened, ingestCtx);
}
