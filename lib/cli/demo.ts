import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createS3Client, createSqsClient } from "../aws/clients";
import { startLocalAws } from "../aws/local-server";
import { s3ObjectCreatedNotification } from "../aws/s3-notification";
import type { Config } from "../config";
import { closePool, getPool } from "../db/pool";
import { prepareDatabase } from "../db/prepare";
import { generateDemoWeek } from "../demo/generate-demo-week";
import { bareEtag } from "../ingest/open-s3-object";
import { saveRuleOverride } from "../detect/load-rules";
import { detectOnce } from "../detect/run-detection";
import { startDetector } from "../detect/run-detector";
import { DEMO_RULE_OVERRIDES } from "../demo/demo-rule-overrides";
import { newWorkerStats, runWorker, workerTuning, type WorkerStats } from "../ingest/run-worker";
import { startHeartbeat } from "../ops/heartbeat";
import { startOpsRunner } from "../ops/ops-requests";
import type { Logger } from "../log";
import { ensureDemoAdmin } from "./demo-admin";
import { ensureWebBuild, startWeb } from "./web";
import { refreshRollups, startRollupRefresh } from "../reports/rollups";

export const DEMO_BUCKET = "trailwatch-demo-logs";
const DEMO_QUEUE = "trailwatch-ingest";
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const LIB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Real sample files shipped with the project (with their licences in each folder's NOTICE.md). */
const SAMPLE_DIRS = [path.join(LIB, "cloudtrail", "testdata"), path.join(LIB, "flowlogs", "testdata")];

export interface DemoObject {
  key: string;
  body: Buffer;
}

/**
 * The embedded default of the main job, run through the production path:
 * embedded PostgreSQL (unless DATABASE_URL is set) → a local SQS/S3 server →
 * real sample files and a generated week uploaded to a bucket → one S3 event
 * notification per object, exactly as S3 formats it → the ingest worker →
 * the web app at http://localhost:PORT. Runs until SIGINT / SIGTERM.
 * With `web: false` it returns after ingesting (used by tests and `--no-web`).
 */
export async function runDemo(cfg: Config, log: Logger, options: { web: boolean; end?: Date }): Promise<WorkerStats> {
  const db = await prepareDatabase(cfg, log, { migrate: true });
  const aws = await startLocalAws({ region: "us-east-1" });
  const local: Config = { ...cfg, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: aws.endpoint, TRAILWATCH_S3_FORCE_PATH_STYLE: true };
  const s3 = createS3Client(local, LOCAL_CREDENTIALS);
  const sqs = createSqsClient(local, LOCAL_CREDENTIALS);
  aws.createBucket(DEMO_BUCKET);
  const { queueUrl } = aws.createQueueWithDlq(DEMO_QUEUE, 3);

  const end = options.end ?? startOfHour(new Date());
  const objects = [...(await sampleObjects()), ...generateDemoWeek({ end })];
  log.info({ objects: objects.length, bucket: DEMO_BUCKET }, "uploading demo objects and sending their S3 event notifications");
  await deliver(s3, sqs, queueUrl, objects);

  const stop = new AbortController();
  // Per-object lines would flood the terminal; problems still show, and the Ingest page has every object.
  const ingest = runWorker({
    sqs, s3, pool: getPool(), log: log.child({}, { level: "warn" }), queueUrl,
    ...workerTuning(cfg),
    signal: stop.signal,
    stopWhenIdle: true,
  });
  const stats = await ingest;
  log.info(stats, "demo objects ingested");
  // Built now, so the first report read has nothing to rebuild.
  await refreshRollups(getPool());
  for (const override of DEMO_RULE_OVERRIDES) await saveRuleOverride(getPool(), override, "demo");
  // The scheduler's "now" is the end of the demo week, so threshold states describe the week.
  const detection = await detectOnce({ pool: getPool(), log }, end);
  log.info({ alertsOpened: detection.changes.filter((c) => c.change === "opened").length, ruleErrors: detection.ruleErrors.length }, "detection rules evaluated");
  const admin = await ensureDemoAdmin(getPool(), cfg);
  const credentials = `Sign in as ${admin.email} with password ${admin.password}`;

  if (options.web) {
    await ensureWebBuild(log);
    const web = await startWeb({ databaseUrl: db.url, port: cfg.PORT, host: cfg.TRAILWATCH_WEB_HOST, log });
    // While the app runs, the worker keeps consuming the queue as in production: its heartbeat
    // feeds the Health page, and it carries out the Ledger page's reprocess and DLQ replay.
    const running = new AbortController();
    const liveStats = newWorkerStats();
    const heartbeat = startHeartbeat({ pool: getPool(), sqs, queueUrl, log: log.child({}, { level: "warn" }), stats: liveStats, signal: running.signal, everyMs: cfg.TRAILWATCH_HEARTBEAT_SECONDS * 1000 });
    const ops = startOpsRunner({ pool: getPool(), sqs, queueUrl, log: log.child({}, { level: "warn" }), region: "us-east-1", signal: running.signal });
    const detector = startDetector({ pool: getPool(), log: log.child({}, { level: "warn" }), signal: running.signal });
    const rollups = startRollupRefresh({ pool: getPool(), log: log.child({}, { level: "warn" }), signal: running.signal });
    const live = runWorker({ sqs, s3, pool: getPool(), log: log.child({}, { level: "warn" }), queueUrl, ...workerTuning(cfg), signal: running.signal, stats: liveStats, afterMessage: detector.wake });
    console.log(`\nTrailwatch is running at ${web.url.replace("127.0.0.1", "localhost")}  (Ctrl-C to stop)\n${credentials}\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    running.abort();
    await Promise.all([live, heartbeat.done, ops.done, detector.done, rollups.done]);
    web.child.kill("SIGTERM");
  } else {
    console.log(credentials);
  }
  await closePool();
  await aws.stop();
  await db.embedded?.stop();
  return stats;
}

async function sampleObjects(): Promise<DemoObject[]> {
  const objects: DemoObject[] = [];
  for (const dir of SAMPLE_DIRS) {
    // The folders also hold their NOTICE.md and test helpers (.ts): only the log files are uploaded.
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => !/\.(md|ts)$/.test(n)).sort();
    for (const name of names) {
      objects.push({ key: `samples/${path.basename(path.dirname(dir))}/${name}`, body: await readFile(path.join(dir, name)) });
    }
  }
  return objects;
}

/** PutObject each object, then send its notification (SendMessageBatch, 10 at a time). */
async function deliver(s3: S3Client, sqs: SQSClient, queueUrl: string, objects: DemoObject[]): Promise<void> {
  for (let i = 0; i < objects.length; i += 10) {
    const slice = objects.slice(i, i + 10);
    const entries = await Promise.all(
      slice.map(async (object, n) => {
        const put = await s3.send(new PutObjectCommand({ Bucket: DEMO_BUCKET, Key: object.key, Body: object.body }));
        const body = s3ObjectCreatedNotification({ bucket: DEMO_BUCKET, key: object.key, size: object.body.length, etag: bareEtag(put.ETag) ?? "" });
        return { Id: String(n), MessageBody: body };
      }),
    );
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

function startOfHour(date: Date): Date {
  const d = new Date(date);
  d.setUTCMinutes(0, 0, 0);
  return d;
}
