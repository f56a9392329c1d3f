import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type pg from "pg";
import type { WorkerStats } from "../ingest/run-worker";
import type { Logger } from "../log";

/** How often a worker writes its heartbeat row by default, ms (TRAILWATCH_HEARTBEAT_SECONDS: at most 10 s). */
export const HEARTBEAT_EVERY_MS = 10_000;
/** A worker whose last beat is older than this (ms) is reported as not running (three missed beats at the slowest rate). */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_EVERY_MS;

export interface HeartbeatOptions {
  pool: pg.Pool;
  sqs: SQSClient;
  queueUrl: string;
  log: Logger;
  /** The worker loop's counters, read at every beat (runWorker updates them in place). */
  stats: WorkerStats;
  /** Aborting writes a last beat with `stopped_at` and ends the loop. */
  signal: AbortSignal;
  /** Default HEARTBEAT_EVERY_MS. */
  everyMs?: number;
}

export interface Heartbeat {
  workerId: string;
  /** Settles after the last beat was written. */
  done: Promise<void>;
}

/**
 * Keeps the worker's row in `worker_heartbeats` current: counters, in-flight messages, last error,
 * and the queue's backlog and in-flight counts plus the DLQ's depth from SQS GetQueueAttributes
 * (the DLQ is the one the queue's RedrivePolicy names, found with GetQueueUrl; the worker needs
 * sqs:GetQueueAttributes and sqs:GetQueueUrl on both). The web app reads the row, so it needs no
 * AWS access. A beat that fails (database or SQS down) is logged and retried at the next one; never throws.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const workerId = randomUUID();
  const startedAt = new Date();
  const everyMs = options.everyMs ?? HEARTBEAT_EVERY_MS;
  let dlqUrl: string | null | undefined; // undefined: not looked up yet; null: the queue has no DLQ

  const sampleQueues = async () => {
    const attrs = await options.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy"] }),
    );
    const a = attrs.Attributes ?? {};
    if (dlqUrl === undefined) dlqUrl = await dlqUrlFromPolicy(options.sqs, a.RedrivePolicy);
    let dlqVisible: number | null = null;
    if (dlqUrl) {
      const dlq = await options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
      dlqVisible = Number(dlq.Attributes?.ApproximateNumberOfMessages ?? 0);
    }
    return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), dlqVisible };
  };

  const beat = async (stopping: boolean) => {
    let queue: Awaited<ReturnType<typeof sampleQueues>> | null = null;
    try {
      queue = await sampleQueues();
    } catch (error) {
      options.log.warn({ err: error }, "heartbeat: GetQueueAttributes failed");
    }
    const s = options.stats;
    await options.pool.query(
      `INSERT INTO worker_heartbeats (worker_id, hostname, pid, queue_url, started_at, last_beat_at, stopped_at,
         messages_received, messages_deleted, messages_retried, errors, in_flight,
         queue_visible, queue_in_flight, dlq_url, dlq_visible, queue_checked_at, last_error, last_error_at)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp(), CASE WHEN $6 THEN clock_timestamp() END, $7, $8, $9, $10, $11,
         $12, $13, $14, $15, CASE WHEN $16 THEN clock_timestamp() END, $17, $18)
       ON CONFLICT (worker_id) DO UPDATE SET last_beat_at = EXCLUDED.last_beat_at, stopped_at = EXCLUDED.stopped_at,
         messages_received = EXCLUDED.messages_received, messages_deleted = EXCLUDED.messages_deleted,
         messages_retried = EXCLUDED.messages_retried, errors = EXCLUDED.errors, in_flight = EXCLUDED.in_flight,
         queue_visible = COALESCE(EXCLUDED.queue_visible, worker_heartbeats.queue_visible),
         queue_in_flight = COALESCE(EXCLUDED.queue_in_flight, worker_heartbeats.queue_in_flight),
         dlq_url = COALESCE(EXCLUDED.dlq_url, worker_heartbeats.dlq_url),
         dlq_visible = COALESCE(EXCLUDED.dlq_visible, worker_heartbeats.dlq_visible),
         queue_checked_at = COALESCE(EXCLUDED.queue_checked_at, worker_heartbeats.queue_checked_at),
         last_error = EXCLUDED.last_error, last_error_at = EXCLUDED.last_error_at`,
      [
        workerId, hostname(), process.pid, options.queueUrl, startedAt, stopping,
        s.received, s.deleted, s.retried, s.errors, s.inFlight,
        queue?.visible ?? null, queue?.inFlight ?? null, dlqUrl ?? null, queue?.dlqVisible ?? null, queue !== null,
        s.lastError?.message.slice(0, 2000) ?? null, s.lastError?.at ?? null,
      ],
    );
  };

  const loop = async () => {
    while (!options.signal.aborted) {
      await beat(false).catch((error: unknown) => options.log.warn({ err: error }, "heartbeat not written"));
      await pause(everyMs, options.signal);
    }
    await beat(true).catch((error: unknown) => options.log.warn({ err: error }, "last heartbeat not written"));
  };
  return { workerId, done: loop() };
}

/** The URL of a queue's DLQ (named by its RedrivePolicy), or null when it has none. Throws SQS errors. */
export async function findDlqUrl(sqs: SQSClient, queueUrl: string): Promise<string | null> {
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }));
  return dlqUrlFromPolicy(sqs, attrs.Attributes?.RedrivePolicy);
}

/** The DLQ's URL from a queue's RedrivePolicy (`{"deadLetterTargetArn":"arn:aws:sqs:<region>:<account>:<name>",…}`), or null. */
async function dlqUrlFromPolicy(sqs: SQSClient, redrivePolicy: string | undefined): Promise<string | null> {
  if (!redrivePolicy) return null;
  const arn = (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
  const parts = arn?.split(":");
  if (!parts || parts.length < 6) return null;
  const res = await sqs.send(new GetQueueUrlCommand({ QueueName: parts[5], QueueOwnerAWSAccountId: parts[4] }));
  return res.QueueUrl ?? null;
}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind (the loops run for days). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
