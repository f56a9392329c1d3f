import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import pg from "pg";
import { createS3Client, createSqsClient } from "../../lib/aws/clients";
import { startLocalAws, type LocalAws } from "../../lib/aws/local-server";
import { childEnv, loadConfig, type Config } from "../../lib/config";
import { migrate } from "../../lib/db/migrate";

/** What every benchmark shares: its flags, a throwaway migrated database, a local SQS/S3 server, the worker as a child process. */

/** Parses `process.argv` with `options` plus the common `--quick` (small sizes) and `--keep` (do not drop databases). */
export function benchArgs<T extends NonNullable<ParseArgsConfig["options"]>>(options: T) {
  return parseArgs({ args: process.argv.slice(2), options: { quick: { type: "boolean", default: false }, keep: { type: "boolean", default: false }, ...options }, strict: true }).values;
}

/** A number flag (`--events 300000`), or `fallback` (`quickFallback` with --quick) when absent. */
export function numberFlag(value: unknown, fallback: number, quick: boolean, quickFallback: number): number {
  if (value === undefined) return quick ? quickFallback : fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

export interface BenchDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  /** Drops the database (unless `keep`, then it only closes the pool and prints its URL). */
  drop(keep: boolean): Promise<void>;
}

function adminUrl(): string {
  return loadConfig().TRAILWATCH_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

/** Creates `tw_bench_<label>_<random>` on TRAILWATCH_BENCH_ADMIN_URL's server and applies the project's migrations. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `tw_bench_${label.replace(/\W/g, "_")}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  return {
    name,
    url: url.toString(),
    pool,
    async drop(keep) {
      await pool.end();
      if (keep) {
        console.log(`kept database ${url.toString()}`);
        return;
      }
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** `SHOW server_version` of the benchmark server. */
export async function postgresVersion(pool: pg.Pool): Promise<string> {
  return (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "unknown";
}

/** The load average when the benchmark started (the machine is shared; figures are noisy when it is high). */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(" ");
}

export const BENCH_BUCKET = "trailwatch-bench-logs";

export interface BenchAws {
  server: LocalAws;
  endpoint: string;
  config: Config;
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  queueUrl: string;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** fauxqs in this process, with the bench bucket and a queue (plus DLQ after 5 receives). */
export async function startBenchAws(): Promise<BenchAws> {
  const server = await startLocalAws({ region: "us-east-1" });
  server.createBucket(BENCH_BUCKET);
  const { queueUrl } = server.createQueueWithDlq("trailwatch-bench", 5);
  const config = loadConfig({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: server.endpoint, TRAILWATCH_S3_FORCE_PATH_STYLE: "true" });
  const s3 = createS3Client(config, LOCAL_CREDENTIALS);
  const sqs = createSqsClient(config, LOCAL_CREDENTIALS);
  return {
    server, endpoint: server.endpoint, config, s3, sqs, bucket: BENCH_BUCKET, queueUrl,
    async stop() {
      s3.destroy();
      sqs.destroy();
      await server.stop();
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Peak resident set size so far, MB (the kernel's VmHWM of the process). */
  peakRssMb(): number;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

const BIN = path.resolve(import.meta.dirname, "../../bin/trailwatch.mjs");

/**
 * Starts `trailwatch worker` as its own process against `databaseUrl` and the local SQS/S3 server,
 * with extra settings in `env` (e.g. TRAILWATCH_WORKER_CONCURRENCY). Its log goes to `logFile`'s
 * directory only on failure: stdout is dropped (one line per object), stderr is kept for errors.
 */
export function startWorkerProcess(aws: BenchAws, databaseUrl: string, env: Record<string, string> = {}): WorkerProcess {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tw-bench-worker-"));
  const child = spawn(process.execPath, [BIN, "worker"], {
    env: childEnv({
      DATABASE_URL: databaseUrl,
      TRAILWATCH_DATA_DIR: dataDir,
      TRAILWATCH_SQS_QUEUE_URL: aws.queueUrl,
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: aws.endpoint,
      TRAILWATCH_S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      TRAILWATCH_LOG_LEVEL: "warn",
      ...env,
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  const pid = child.pid ?? 0;
  let peak = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm?.[1]) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // the process has exited
    }
  };
  const timer = setInterval(sample, 200);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    pid,
    peakRssMb: () => {
      sample();
      return peak;
    },
    async stop() {
      sample();
      clearInterval(timer);
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
