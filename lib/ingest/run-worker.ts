import type { S3Client } from "@aws-sdk/client-s3";
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type pg from "pg";
import type { Config } from "../config";
import type { Logger } from "../log";
import { handleMessage } from "./handle-message";

export interface WorkerOptions {
  sqs: SQSClient;
  s3: S3Client;
  pool: pg.Pool;
  log: Logger;
  queueUrl: string;
  /** Messages processed at once (each message's objects are processed in order). */
  concurrency: number;
  /** Long-poll wait per ReceiveMessage, seconds (0–20). */
  waitSeconds: number;
  /** Visibility timeout asked for each message, seconds; extended every third of it while the message is worked on. */
  visibilitySeconds: number;
  batchRows: number;
  maxRecordBytes: number;
  /** Largest decompressed object, bytes (default 2 GiB); see IngestContext. */
  maxObjectBytes?: number;
  /** Aborting stops receiving; messages already started are finished, then `runWorker` returns. */
  signal: AbortSignal;
  /** Return once a receive finds the queue empty and nothing is in flight (demo, import tests). */
  stopWhenIdle?: boolean;
  /** Called after each message is handled (the detector's wake-up, so new rows meet the rules at once). */
  afterMessage?: () => void;
  /** Counters to update in place (the heartbeat reads them while the loop runs); default: fresh ones. */
  stats?: WorkerStats;
}

/** The worker options that come from configuration (TRAILWATCH_WORKER_CONCURRENCY, TRAILWATCH_SQS_*, …). */
export function workerTuning(cfg: Config): Pick<WorkerOptions, "concurrency" | "waitSeconds" | "visibilitySeconds" | "batchRows" | "maxRecordBytes" | "maxObjectBytes"> {
  return {
    concurrency: cfg.TRAILWATCH_WORKER_CONCURRENCY,
    waitSeconds: cfg.TRAILWATCH_SQS_WAIT_SECONDS,
    visibilitySeconds: cfg.TRAILWATCH_SQS_VISIBILITY_SECONDS,
    batchRows: cfg.TRAILWATCH_COPY_BATCH_ROWS,
    maxRecordBytes: cfg.TRAILWATCH_MAX_RECORD_BYTES,
    maxObjectBytes: cfg.TRAILWATCH_MAX_OBJECT_BYTES,
  };
}

export interface WorkerStats {
  received: number;
  deleted: number;
  retried: number;
  errors: number;
  /** Messages being handled right now. */
  inFlight: number;
  /** The latest receive or handling error, or the reason the latest message was left for retry (UTC time). */
  lastError: { at: Date; message: string } | null;
}

/** Zeroed counters. */
export function newWorkerStats(): WorkerStats {
  return { received: 0, deleted: 0, retried: 0, errors: 0, inFlight: 0, lastError: null };
}

/**
 * The ingest loop: long-polls SQS in batches of up to 10, handles up to
 * `concurrency` messages at once, keeps each message invisible while it is
 * worked on, and deletes a message only after everything it announced is
 * committed (see `handleMessage`). Receive errors back off up to 30 s and
 * never end the loop. Returns when `signal` aborts (or the queue is idle,
 * with `stopWhenIdle`), after in-flight messages settle.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerStats> {
  const { sqs, queueUrl, log, signal } = options;
  const stats: WorkerStats = options.stats ?? newWorkerStats();
  const inFlight = new Set<Promise<void>>();
  let backoffMs = 0;

  while (!signal.aborted) {
    const free = options.concurrency - inFlight.size;
    if (free <= 0) {
      await Promise.race(inFlight);
      continue;
    }
    let messages: Message[];
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, free),
          WaitTimeSeconds: options.stopWhenIdle ? Math.min(options.waitSeconds, 1) : options.waitSeconds,
          VisibilityTimeout: options.visibilitySeconds,
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
        { abortSignal: signal },
      );
      messages = response.Messages ?? [];
      backoffMs = 0;
    } catch (error) {
      if (signal.aborted) break;
      stats.errors += 1;
      stats.lastError = { at: new Date(), message: `ReceiveMessage failed: ${error instanceof Error ? error.message : String(error)}` };
      backoffMs = Math.min(30_000, Math.max(1_000, backoffMs * 2));
      log.error({ err: error, retryInMs: backoffMs }, "ReceiveMessage failed");
      await sleep(backoffMs, signal);
      continue;
    }
    if (messages.length === 0 && options.stopWhenIdle && inFlight.size === 0) break;
    stats.received += messages.length;
    for (const message of messages) {
      const task = processMessage(message, options, stats).finally(() => {
        inFlight.delete(task);
        stats.inFlight = inFlight.size;
      });
      inFlight.add(task);
      stats.inFlight = inFlight.size;
    }
  }
  await Promise.allSettled(inFlight);
  return stats;
}

async function processMessage(message: Message, options: WorkerOptions, stats: WorkerStats): Promise<void> {
  const { sqs, queueUrl, log } = options;
  const receiptHandle = message.ReceiptHandle ?? "";
  const messageId = message.MessageId ?? "";
  const keepalive = setInterval(() => {
    sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: options.visibilitySeconds }))
      .catch((err: unknown) => log.warn({ err, messageId }, "visibility keepalive failed"));
  }, (options.visibilitySeconds * 1000) / 3);
  try {
    const result = await handleMessage(
      { messageId, body: message.Body ?? "", receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1) },
      { pool: options.pool, s3: options.s3, log, batchRows: options.batchRows, maxRecordBytes: options.maxRecordBytes, maxObjectBytes: options.maxObjectBytes },
    );
    clearInterval(keepalive);
    if (result.fate === "delete") {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
      stats.deleted += 1;
    } else {
      stats.retried += 1;
      stats.lastError = { at: new Date(), message: `message ${messageId} left for retry: ${result.reason ?? "unknown reason"}` };
      log.warn({ messageId, reason: result.reason }, "message left for retry");
    }
  } catch (error) {
    stats.errors += 1;
    stats.lastError = { at: new Date(), message: `message ${messageId} failed: ${error instanceof Error ? error.message : String(error)}` };
    log.error({ err: error, messageId }, "message handling failed; it will be redelivered");
  } finally {
    clearInterval(keepalive);
    options.afterMessage?.();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
