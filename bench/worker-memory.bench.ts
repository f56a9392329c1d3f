import { mkdtempSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { loadConfig } from "../lib/config";
import { machineInfo, writeBenchResult, type BenchRow } from "./bench-result";
import { benchArgs, createBenchDatabase, loadAverage, numberFlag, postgresVersion, startBenchAws, startWorkerProcess, waitFor } from "./support/bench-env";
import { notifyObjects, uploadObjects, writeFlowLogFile, type BenchObject } from "./support/bench-objects";
import { cloudTrailFileText, cloudTrailKey, DemoRandom, flowLogChunks, flowLogKey, syntheticCloudTrailRecord, syntheticWorld } from "./support/synthetic-logs";

/**
 * Worker memory (issue 9a, item 2): peak RSS (the kernel's VmHWM) of `trailwatch worker`, a fresh process for each
 * object, while it ingests one 1 GB (uncompressed) VPC flow-log object (v5 custom format) and one CloudTrail file of
 * 100k records, both through the local S3 + SQS. Baseline: the same worker's peak RSS while idle, before the
 * notification is sent. Goal: ≤ 256 MiB (VmHWM, 1 MiB = 1024 kB). Each object gives two rows: the peak while it is
 * ingested (until its ledger row is `done`), then the peak of the detection pass over its rows (VmHWM reset at the end
 * of ingest, until the object has left `detection_queue`), so the next object's worker starts with an empty queue.
 *
 *   node --import tsx bench/worker-memory.bench.ts [--quick] [--keep] [--flow-bytes 1000000000] [--cloudtrail-records 100000]
 */
const args = benchArgs({ "flow-bytes": { type: "string" }, "cloudtrail-records": { type: "string" } });
const quick = args.quick === true;
const flowBytes = numberFlag(args["flow-bytes"], 1_000_000_000, quick, 100_000_000);
const ctRecords = numberFlag(args["cloudtrail-records"], 100_000, quick, 10_000);
const GOAL_MB = 256;

async function main(): Promise<void> {
  const startedAt = new Date();
  const load = loadAverage();
  const dir = mkdtempSync(path.join(os.tmpdir(), "tw-bench-memory-"));
  const world = syntheticWorld();
  const account = world.accounts[0] ?? "111122223333";
  const nowMs = Date.now();

  // Lines needed for `flowBytes` of text, from the average line of a sample.
  let sample = 0;
  for (const chunk of flowLogChunks(new DemoRandom(1), world, "custom-v5", 20_000, 1_700_000_000, account)) sample += Buffer.byteLength(chunk);
  const lines = Math.ceil(flowBytes / (sample / 20_000));
  console.log(`generating a ${flowBytes} byte flow-log object (${lines} lines) and a ${ctRecords}-record CloudTrail file in ${dir}; load ${load}`);
  const flowFile = path.join(dir, "big-flow.log.gz");
  const flowStats = await writeFlowLogFile(flowFile, world, { format: "custom-v5", lines, startSec: Math.floor(nowMs / 1000) - 3600, seed: 5, account });
  const flow: BenchObject = { kind: "vpcflow", key: flowLogKey(account, "us-east-1", nowMs, "bigflow"), file: flowFile, records: lines, size: flowStats.size };
  const rnd = new DemoRandom(9);
  const ctText = cloudTrailFileText(Array.from({ length: ctRecords }, (_, i) => syntheticCloudTrailRecord(rnd, world, nowMs - 3_600_000 + i * 10, { recipientAccountId: account })));
  const ctFile = path.join(dir, "big-cloudtrail.json.gz");
  const ctBody = gzipSync(ctText);
  writeFileSync(ctFile, ctBody);
  const cloudtrail: BenchObject = { kind: "cloudtrail", key: cloudTrailKey(account, "us-east-1", nowMs, "bigcloudtrail"), file: ctFile, records: ctRecords, size: ctBody.length };
  const ctUncompressed = Buffer.byteLength(ctText);

  const db = await createBenchDatabase("memory");
  const aws = await startBenchAws();
  const rows: BenchRow[] = [];
  try {
    await uploadObjects(aws, [flow, cloudtrail]);
    for (const [object, what, uncompressed] of [[flow, `1 object, ${(flowStats.uncompressed / 1e9).toFixed(2)} GB flow log`, flowStats.uncompressed], [cloudtrail, `1 CloudTrail file, ${ctRecords} records`, ctUncompressed]] as const) {
      const worker = startWorkerProcess(aws, db.url);
      try {
        await waitFor("the worker's heartbeat", async () => (await db.pool.query("SELECT 1 FROM worker_heartbeats WHERE pid = $1", [worker.pid])).rowCount === 1, 60_000);
        await new Promise((r) => setTimeout(r, 1000));
        const idle = worker.peakRssMb();
        const started = Date.now();
        await notifyObjects(aws, [object]);
        await waitFor(`${object.key} done`, () => isDone(db.pool, object.key), 60 * 60_000, 200);
        const seconds = (Date.now() - started) / 1000;
        const peak = worker.peakRssMb();
        const stored = (await db.pool.query<{ n: number }>("SELECT records_stored AS n FROM ingest_objects WHERE key = $1", [object.key])).rows[0]?.n ?? 0;
        if (stored !== object.records) throw new Error(`${object.key}: stored ${stored} of ${object.records} records`);
        console.log(`${what}: peak RSS ${peak.toFixed(0)} MiB (idle ${idle.toFixed(0)} MiB), ${stored} rows in ${seconds.toFixed(1)} s`);
        rows.push(memoryRow(`worker peak RSS, ${what}`, peak, idle,
          `${(uncompressed / 1e6).toFixed(0)} MB uncompressed, ${(object.size / 1e6).toFixed(0)} MB gzipped, ${stored} rows in ${seconds.toFixed(0)} s; load ${load}`));

        // The detection pass over the object's rows (the worker's detector, woken after the message): its own peak,
        // from the RSS at the end of ingest, until the object has left the detection queue (alerts recorded).
        const reset = worker.resetPeak();
        const detectStarted = Date.now();
        await waitFor(`${object.key} detected`, () => isDetected(db.pool, object.key), 60 * 60_000, 200);
        const detectSeconds = (Date.now() - detectStarted) / 1000;
        const detectPeak = worker.peakRssMb();
        const alerts = (await db.pool.query<{ alerts: number; events: number }>("SELECT (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(*) FROM alert_events)::int AS events")).rows[0]!;
        console.log(`${what}, detection pass: peak RSS ${detectPeak.toFixed(0)} MiB in ${detectSeconds.toFixed(1)} s (${alerts.alerts} alerts, ${alerts.events} alert events so far)`);
        rows.push(memoryRow(`worker peak RSS, detection pass over ${what}`, detectPeak, idle,
          `${reset ? "peak since the end of ingest" : "peak of the whole process (the kernel refused to reset VmHWM)"}; the pass took ${detectSeconds.toFixed(0)} s, ${alerts.alerts} alerts and ${alerts.events} alert events in the database after it; load ${loadAverage()}`));
      } finally {
        await worker.stop();
      }
      // The stopped worker's long poll is still open on fauxqs's side, which does not see the closed connection:
      // a notification sent now would be handed to it and wait out its visibility timeout (120 s) before the
      // next worker saw it. Waiting for the poll to end keeps that out of the next object's time.
      await new Promise((r) => setTimeout(r, (loadConfig().TRAILWATCH_SQS_WAIT_SECONDS + 1) * 1000));
    }
  } finally {
    await aws.stop();
    const version = await postgresVersion(db.pool).catch(() => undefined);
    await db.drop(args.keep === true);
    rmSync(dir, { recursive: true, force: true });
    writeBenchResult({ name: "worker-memory", startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine: machineInfo(version), parameters: { flowBytes: flowStats.uncompressed, flowLines: lines, cloudtrailRecords: ctRecords, cloudtrailBytes: ctUncompressed, loadAverageAtStart: load }, rows });
  }
}

async function isDone(pool: pg.Pool, key: string): Promise<boolean> {
  const r = await pool.query<{ status: string; reason: string | null }>("SELECT status, reason FROM ingest_objects WHERE key = $1", [key]);
  const status = r.rows[0]?.status;
  if (status === "failed" || status === "rejected") throw new Error(`${key}: ${status}: ${r.rows[0]?.reason}`);
  return status === "done";
}

/** A row of this benchmark: a peak RSS (MiB) against the same worker idle, judged against the goal. */
function memoryRow(metric: string, peakMb: number, idleMb: number, note: string): BenchRow {
  return {
    section: "memory",
    metric,
    value: Math.round(peakMb),
    unit: "MiB",
    baseline: { label: "idle worker", value: Math.round(idleMb) },
    ratio: peakMb / idleMb,
    goal: `≤ ${GOAL_MB} MiB`,
    met: peakMb <= GOAL_MB,
    note,
  };
}

/** True once the object's rows have been through the detection pass (it has left `detection_queue`). */
async function isDetected(pool: pg.Pool, key: string): Promise<boolean> {
  const r = await pool.query("SELECT 1 FROM detection_queue q JOIN ingest_objects o ON o.id = q.object_id WHERE o.key = $1", [key]);
  return r.rowCount === 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
