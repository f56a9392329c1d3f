import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type pg from "pg";
import { s3ObjectCreatedNotification } from "../aws/s3-notification";
import type { Logger } from "../log";
import type { Queryable } from "../db/queryable";
import type { AdminAction } from "./admin-actions";
import { findDlqUrl, pause } from "./heartbeat";

/**
 * Admin requests from the UI, carried out by a running worker (the web app has no AWS access):
 * - `reprocess-object`: the ledger entry is reopened (status `failed`, reason "reprocess requested")
 *   and an S3 event notification for it (bucket, key, ETag) is sent to the ingest queue, so the
 *   object goes through the normal pipeline again. Its rows are keyed as before, so nothing already
 *   stored is stored twice; records refused before (e.g. under a lower limit) may now be stored.
 * - `replay-dlq`: every message in the DLQ is sent back to the ingest queue, then deleted from the
 *   DLQ. A crash between the two leaves a copy in both: redelivery is harmless (the ledger).
 * Asking twice while a request is open is asking once (partial unique index).
 */

export interface OpsRequestRow {
  id: string;
  action: AdminAction;
  objectId: string | null;
  requestedBy: string;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  result: string | null;
  error: string | null;
}

/**
 * Records an admin request; returns its id, or the id of the identical request already open.
 * Throws RangeError for `reprocess-object` without an object id, or an object the ledger lacks.
 */
export async function requestOperation(db: Queryable, request: { action: AdminAction; objectId?: bigint | null; actor: string }): Promise<string> {
  const objectId = request.action === "reprocess-object" ? (request.objectId ?? null) : null;
  if (request.action === "reprocess-object") {
    if (objectId === null) throw new RangeError("reprocess-object needs an object id");
    const known = await db.query("SELECT 1 FROM ingest_objects WHERE id = $1", [objectId]);
    if (known.rowCount === 0) throw new RangeError(`no ledger object ${objectId}`);
  }
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO ops_requests (action, object_id, requested_by) VALUES ($1, $2, $3)
     ON CONFLICT (action, COALESCE(object_id, 0)) WHERE finished_at IS NULL DO NOTHING RETURNING id::text`,
    [request.action, objectId, request.actor],
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  const open = await db.query<{ id: string }>(
    "SELECT id::text FROM ops_requests WHERE action = $1 AND COALESCE(object_id, 0) = COALESCE($2::bigint, 0) AND finished_at IS NULL",
    [request.action, objectId],
  );
  return open.rows[0]!.id;
}

/** The newest requests, newest first. */
export async function recentOperations(db: Queryable, limit = 20): Promise<OpsRequestRow[]> {
  const res = await db.query<Record<string, unknown>>(
    `SELECT id::text, action, object_id::text, requested_by, requested_at, started_at, finished_at, result, error
       FROM ops_requests ORDER BY requested_at DESC, id DESC LIMIT $1`,
    [Math.min(200, Math.max(1, limit))],
  );
  return res.rows.map((r) => ({
    id: String(r.id), action: r.action as AdminAction, objectId: (r.object_id as string | null) ?? null, requestedBy: String(r.requested_by),
    requestedAt: r.requested_at as Date, startedAt: (r.started_at as Date | null) ?? null, finishedAt: (r.finished_at as Date | null) ?? null,
    result: (r.result as string | null) ?? null, error: (r.error as string | null) ?? null,
  }));
}

export interface OpsContext {
  pool: pg.Pool;
  sqs: SQSClient;
  queueUrl: string;
  /** The DLQ of `queueUrl`, when it has one (see heartbeat's RedrivePolicy lookup). */
  dlqUrl: string | null;
  log: Logger;
  region?: string;
}

/**
 * Carries out the open requests, oldest first, each claimed with FOR UPDATE SKIP LOCKED so several
 * workers never do one twice. Returns how many were carried out. Failures are recorded on the request.
 */
export async function runOpenOperations(ctx: OpsContext): Promise<number> {
  let done = 0;
  for (;;) {
    const client = await ctx.pool.connect();
    try {
      await client.query("BEGIN");
      const claimed = await client.query<{ id: string; action: AdminAction; object_id: string | null }>(
        "SELECT id::text, action, object_id::text FROM ops_requests WHERE finished_at IS NULL ORDER BY ops_requests.id LIMIT 1 FOR UPDATE SKIP LOCKED",
      );
      const request = claimed.rows[0];
      if (!request) {
        await client.query("COMMIT");
        return done;
      }
      await client.query("UPDATE ops_requests SET started_at = clock_timestamp() WHERE id = $1", [request.id]);
      let result: string | null = null;
      let error: string | null = null;
      try {
        result = request.action === "reprocess-object" ? await reprocess(ctx, BigInt(request.object_id ?? "0"), request.id) : await replayDlq(ctx);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      await client.query("UPDATE ops_requests SET finished_at = clock_timestamp(), result = $2, error = $3 WHERE id = $1", [request.id, result, error]);
      await client.query("COMMIT");
      ctx.log.info({ requestId: request.id, action: request.action, objectId: request.object_id, result, error }, "admin request carried out");
      done += 1;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}

async function reprocess(ctx: OpsContext, objectId: bigint, requestId: string): Promise<string> {
  // Reopened and committed before the notification is sent: the worker that receives it must
  // already see the entry as not final, or it would acknowledge it as "already ingested".
  const res = await ctx.pool.query<{ bucket: string; key: string; etag: string; size: number | null; status: string }>(
    "SELECT bucket, key, etag, size, status FROM ingest_objects WHERE id = $1",
    [objectId],
  );
  const object = res.rows[0];
  if (!object) throw new Error(`no ledger object ${objectId}`);
  if (object.etag.startsWith("sha256:")) throw new Error("a local import, not an S3 object: run `trailwatch import` on the file again");
  if (object.status === "processing") return "already being processed: nothing to do";
  await ctx.pool.query("UPDATE ingest_objects SET status = 'failed', reason = $2 WHERE id = $1 AND status <> 'processing'", [objectId, `reprocess requested (request ${requestId}); was ${object.status}`]);
  await ctx.sqs.send(
    new SendMessageCommand({
      QueueUrl: ctx.queueUrl,
      MessageBody: s3ObjectCreatedNotification({ bucket: object.bucket, key: object.key, size: Number(object.size ?? 0), etag: object.etag, region: ctx.region }),
    }),
  );
  return `notification for s3://${object.bucket}/${object.key} sent to the queue (was ${object.status})`;
}

async function replayDlq(ctx: OpsContext): Promise<string> {
  if (!ctx.dlqUrl) throw new Error("the ingest queue has no dead-letter queue (no RedrivePolicy)");
  let moved = 0;
  for (let round = 0; round < 100; round++) {
    const got = await ctx.sqs.send(new ReceiveMessageCommand({ QueueUrl: ctx.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }));
    const messages = got.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      await ctx.sqs.send(new SendMessageCommand({ QueueUrl: ctx.queueUrl, MessageBody: m.Body ?? "" }));
      await ctx.sqs.send(new DeleteMessageCommand({ QueueUrl: ctx.dlqUrl, ReceiptHandle: m.ReceiptHandle ?? "" }));
      moved += 1;
    }
  }
  return `${moved} message(s) moved from the dead-letter queue to the ingest queue`;
}

/**
 * The worker's loop for admin requests: every `everyMs` (default 2000 ms) carries out the open ones.
 * The DLQ is found from the queue's RedrivePolicy. Errors are logged and retried; never throws.
 */
export function startOpsRunner(options: Omit<OpsContext, "dlqUrl"> & { signal: AbortSignal; everyMs?: number }): { done: Promise<void> } {
  const loop = async () => {
    let dlqUrl: string | null | undefined;
    while (!options.signal.aborted) {
      try {
        dlqUrl ??= await findDlqUrl(options.sqs, options.queueUrl);
        await runOpenOperations({ ...options, dlqUrl });
      } catch (error) {
        options.log.warn({ err: error }, "admin requests not carried out; retrying");
      }
      await pause(options.everyMs ?? 2000, options.signal);
    }
  };
  return { done: loop() };
}
