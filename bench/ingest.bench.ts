import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type pg from "pg";
import { machineInfo, writeBenchResult, type BenchRow } from "./bench-result";
import { benchArgs, createBenchDatabase, loadAverage, numberFlag, postgresVersion, startBenchAws, startWorkerProcess, waitFor, type BenchAws } from "./support/bench-env";
import { notifyObjects, uploadObjects, writeCloudTrailFiles, writeFlowLogFiles, type BenchObject } from "./support/bench-objects";
import { measureCopyCeiling } from "./support/copy-ceiling";
import { syntheticWorld } from "./support/synthetic-logs";

/**
 * Ingest ceiling vs Trailwatch (issue 9a, item 1). For each source (CloudTrail, VPC flow logs):
 * (a) `psql \copy` of the rows Trailwatch would store, pre-flattened, into the same migrated tables;
 * (b) Trailwatch end to end: objects in the local S3, their S3 event notifications sent to the local SQS queue,
 *     `trailwatch worker` as its own process, timed from the first SendMessage until every object's ledger row
 *     is `done` and the queue is empty. Reports rows/s of both and the ratio b/a (goal ≥ 0.8).
 *
 *   node --import tsx bench/ingest.bench.ts [--quick] [--keep] [--cloudtrail-events N] [--flow-lines N]
 *     [--events-per-file 2000] [--flow-lines-per-file N] [--concurrency N] [--batch-rows N]
 */
const args = benchArgs({
  "cloudtrail-events": { type: "string" },
  "flow-lines": { type: "string" },
  "events-per-file": { type: "string" },
  "flow-lines-per-file": { type: "string" },
  concurrency: { type: "string" },
  "batch-rows": { type: "string" },
});
const quick = args.quick === true;
const perFile = numberFlag(args["events-per-file"], 2000, quick, 2000);
const ctEvents = numberFlag(args["cloudtrail-events"], 500_000, quick, 40_000);
const flowPerFile = numberFlag(args["flow-lines-per-file"], 100_000, quick, 50_000);
const flowLines = numberFlag(args["flow-lines"], 3_000_000, quick, 400_000);
const workerEnv: Record<string, string> = {};
if (args.concurrency !== undefined) workerEnv.TRAILWATCH_WORKER_CONCURRENCY = String(args.concurrency);
if (args["batch-rows"] !== undefined) workerEnv.TRAILWATCH_COPY_BATCH_ROWS = String(args["batch-rows"]);

async function main(): Promise<void> {
  const startedAt = new Date();
  const load = loadAverage();
  const dir = mkdtempSync(path.join(os.tmpdir(), "tw-bench-ingest-"));
  const world = syntheticWorld();
  const endMs = Date.now();
  console.log(`generating ${ctEvents} CloudTrail events (${perFile}/file) and ${flowLines} flow-log lines (${flowPerFile}/file) in ${dir}; load ${load}`);
  const cloudtrail = writeCloudTrailFiles(path.join(dir, "ct"), world, { files: Math.ceil(ctEvents / perFile), perFile, endMs, seed: 11 });
  const flow = await writeFlowLogFiles(path.join(dir, "flow"), world, { files: Math.ceil(flowLines / flowPerFile), perFile: flowPerFile, endMs, seed: 23 });
  const ceilingDb = await createBenchDatabase("ingest_ceiling");
  const twDb = await createBenchDatabase("ingest_e2e");
  const aws = await startBenchAws();
  const rows: BenchRow[] = [];
  const parameters: Record<string, unknown> = { cloudtrailEvents: cloudtrail.length * perFile, eventsPerFile: perFile, cloudtrailFiles: cloudtrail.length, flowLines: flow.length * flowPerFile, flowLinesPerFile: flowPerFile, flowFiles: flow.length, workerEnv, loadAverageAtStart: load, cloudtrailGzBytes: sum(cloudtrail, "size"), flowGzBytes: sum(flow, "size") };
  let worker: ReturnType<typeof startWorkerProcess> | null = null;
  try {
    // (a) the ceiling
    const ceiling: Record<string, { rows: number; seconds: number }> = {};
    for (const [source, objects] of [["cloudtrail", cloudtrail], ["vpcflow", flow]] as const) {
      const c = await measureCopyCeiling(ceilingDb.pool, ceilingDb.url, objects, path.join(dir, `${source}.tsv`));
      ceiling[source] = c;
      console.log(`ceiling ${source}: ${c.rows} rows in ${c.seconds.toFixed(1)} s = ${Math.round(c.rows / c.seconds)} rows/s (psql \\copy into ${c.table})`);
    }
    await ceilingDb.drop(args.keep === true);

    // (b) Trailwatch end to end
    await uploadObjects(aws, [...cloudtrail, ...flow]);
    worker = startWorkerProcess(aws, twDb.url, workerEnv);
    await waitFor("the worker's first heartbeat", async () => (await twDb.pool.query("SELECT 1 FROM worker_heartbeats")).rowCount === 1, 60_000);
    for (const [source, objects] of [["cloudtrail", cloudtrail], ["vpcflow", flow]] as const) {
      const e2e = await timeEndToEnd(aws, twDb.pool, source, objects);
      const base = ceiling[source]!;
      if (e2e.rows !== base.rows) throw new Error(`${source}: Trailwatch stored ${e2e.rows} rows, the ceiling loaded ${base.rows}`);
      const value = Math.round(e2e.rows / e2e.seconds);
      const baseline = Math.round(base.rows / base.seconds);
      console.log(`trailwatch ${source}: ${e2e.rows} rows in ${e2e.seconds.toFixed(1)} s = ${value} rows/s`);
      rows.push({
        section: "ingest",
        metric: `${source} rows/s end to end`,
        value,
        unit: "rows/s",
        baseline: { label: "psql \\copy", value: baseline },
        ratio: value / baseline,
        goal: "≥ 0.8 of \\copy",
        met: value / baseline >= 0.8,
        note: `${e2e.rows} rows, ${objects.length} objects; e2e ${e2e.seconds.toFixed(1)} s, \\copy ${base.seconds.toFixed(1)} s; load ${load}`,
      });
    }
  } finally {
    await worker?.stop();
    await aws.stop();
    await twDb.drop(args.keep === true);
    rmSync(dir, { recursive: true, force: true });
  }
  writeBenchResult({ name: "ingest", startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine: machineInfo(await serverVersion()), parameters, rows });
}

async function serverVersion(): Promise<string> {
  const db = await createBenchDatabase("version");
  try {
    return await postgresVersion(db.pool);
  } finally {
    await db.drop(false);
  }
}

const sum = (objects: BenchObject[], field: "size" | "records") => objects.reduce((n, o) => n + o[field], 0);

/** Sends the objects' notifications and waits until each one's ledger row is done and the queue is empty. */
async function timeEndToEnd(aws: BenchAws, pool: pg.Pool, kind: "cloudtrail" | "vpcflow", objects: BenchObject[]): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  await notifyObjects(aws, objects);
  const keys = objects.map((o) => o.key);
  await waitFor(
    `${objects.length} ${kind} objects done`,
    async () => {
      const r = await pool.query<{ n: number; failed: number }>("SELECT count(*) FILTER (WHERE status = 'done')::int AS n, count(*) FILTER (WHERE status IN ('failed', 'rejected'))::int AS failed FROM ingest_objects WHERE key = ANY($1)", [keys]);
      if ((r.rows[0]?.failed ?? 0) > 0) throw new Error(`${kind}: some objects failed; see ingest_objects.reason`);
      return r.rows[0]?.n === objects.length;
    },
    60 * 60_000,
    50,
  );
  await waitFor("the queue to empty", async () => {
    const a = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: aws.queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    return Number(a.Attributes?.ApproximateNumberOfMessages ?? 1) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 1) === 0;
  }, 60_000, 20);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stored = await pool.query<{ n: number }>("SELECT coalesce(sum(records_stored), 0)::int AS n FROM ingest_objects WHERE key = ANY($1)", [keys]);
  return { rows: stored.rows[0]?.n ?? 0, seconds };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
