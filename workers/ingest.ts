import { createS3Client, createSqsClient } from "../lib/aws/clients";
import { config, requireSetting } from "../lib/config";
import { closePool, getPool } from "../lib/db/pool";
import { prepareDatabase } from "../lib/db/prepare";
import { startDetector } from "../lib/detect/run-detector";
import { newWorkerStats, runWorker, workerTuning } from "../lib/ingest/run-worker";
import { startHeartbeat } from "../lib/ops/heartbeat";
import { startOpsRunner } from "../lib/ops/ops-requests";
import { retentionPolicy, startRetentionJob } from "../lib/ops/enforce-retention";
import { createLogger } from "../lib/log";
import { startNotifier } from "../lib/notify/run-notifier";
import { startRollupRefresh } from "../lib/reports/rollups";

/**
 * The ingest worker process: SQS (TRAILWATCH_SQS_QUEUE_URL) → S3 → Postgres,
 * the detection loop that runs the rules over what it stored, the
 * notification loop that sends what the alerts' outbox holds, and the
 * report rollups' refresh (lib/reports/rollups.ts).
 * SIGTERM / SIGINT stop receiving and let in-flight messages finish; a second
 * signal exits at once (unfinished messages reappear after their visibility
 * timeout and their transactions roll back).
 */
export async function runIngestWorker(): Promise<void> {
  const cfg = config();
  const log = createLogger("worker");
  const queueUrl = requireSetting(cfg, "TRAILWATCH_SQS_QUEUE_URL", "the SQS queue URL that receives the S3 event notifications");
  requireSetting(cfg, "AWS_REGION", "the AWS region of the queue and buckets, e.g. us-east-1");
  const db = await prepareDatabase(cfg, log, { migrate: false });
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    log.info({ signal }, "stopping: finishing in-flight messages (signal again to exit now)");
    stop.abort();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  log.info({ queueUrl, concurrency: cfg.TRAILWATCH_WORKER_CONCURRENCY }, "worker started");
  const notifier = startNotifier({ pool: getPool(), config: cfg, log: log.child({ component: "notify" }), signal: stop.signal });
  const detector = startDetector({ pool: getPool(), log: log.child({ component: "detect" }), signal: stop.signal, afterPass: notifier.wake });
  const sqs = createSqsClient(cfg);
  const stats = newWorkerStats();
  // Beats until in-flight messages have settled, then writes its last beat (stopped_at).
  const beating = new AbortController();
  const heartbeat = startHeartbeat({ pool: getPool(), sqs, queueUrl, log: log.child({ component: "heartbeat" }), stats, signal: beating.signal, everyMs: cfg.TRAILWATCH_HEARTBEAT_SECONDS * 1000 });
  // Admin requests from the UI (reprocess an object, replay the DLQ), which need this process's AWS access.
  const ops = startOpsRunner({ pool: getPool(), sqs, queueUrl, log: log.child({ component: "admin" }), region: cfg.AWS_REGION, signal: beating.signal });
  const retention = startRetentionJob({ pool: getPool(), policy: retentionPolicy(cfg), log: log.child({ component: "retention" }), signal: beating.signal });
  // Deferred (at most 60 s) while messages are in flight or arrived since the last tick: rebuilding hours still being
  // loaded slows the load.
  let receivedAtLastTick = stats.received;
  const loading = () => {
    const moved = stats.inFlight > 0 || stats.received !== receivedAtLastTick;
    receivedAtLastTick = stats.received;
    return moved;
  };
  const rollups = startRollupRefresh({ pool: getPool(), log: log.child({ component: "rollups" }), signal: beating.signal, busy: loading });
  await runWorker({
    sqs,
    s3: createS3Client(cfg),
    pool: getPool(),
    log,
    queueUrl,
    ...workerTuning(cfg),
    signal: stop.signal,
    afterMessage: detector.wake,
    stats,
  });
  beating.abort();
  await Promise.all([detector.done, notifier.done, heartbeat.done, ops.done, retention.done, rollups.done]);
  log.info(stats, "worker stopped");
  await closePool();
  await db.embedded?.stop();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runIngestWorker().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
