import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type pg from "pg";
import { startLocalAws } from "../../lib/aws/local-server";
import { childEnv, loadConfig } from "../../lib/config";
import { createMigratedDatabase, type TestDatabase } from "../../test/support/database";
import { localWorkerEnv, testAwsAt, type TestAws } from "../../test/support/local-aws";

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

export interface BenchDatabase extends TestDatabase {
  name: string;
  /** Drops the database (with `keep`, only closes the pool and prints its URL). */
  drop(keep?: boolean): Promise<void>;
}

/** Creates `tw_bench_<label>_<random>` on TRAILWATCH_BENCH_ADMIN_URL's server with the project's migrations applied. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `tw_bench_${label.replace(/\W/g, "_")}_${randomBytes(3).toString("hex")}`;
  const db = await createMigratedDatabase(loadConfig().TRAILWATCH_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres", name);
  return {
    ...db,
    name,
    async drop(keep = false) {
      if (!keep) return db.drop();
      await db.pool.end();
      console.log(`kept database ${db.url}`);
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

/** The local SQS/S3 server of a benchmark: the tests' helpers (test/support/local-aws.ts) on the bench bucket and queue. */
export type BenchAws = TestAws;

/** fauxqs in this process, with the bench bucket and a queue (plus DLQ after 5 receives). */
export async function startBenchAws(): Promise<BenchAws> {
  const server = await startLocalAws({ region: "us-east-1" });
  server.createBucket(BENCH_BUCKET);
  const { queueUrl, dlqUrl } = server.createQueueWithDlq("trailwatch-bench", 5);
  return testAwsAt({ server, endpoint: server.endpoint, bucket: BENCH_BUCKET, queueUrl, dlqUrl, stopServer: () => server.stop() });
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Peak resident set size so far, MiB (the kernel's VmHWM of the process, kB / 1024). */
  peakRssMb(): number;
  /**
   * Starts a new peak: the kernel's VmHWM is reset to the current RSS (`/proc/<pid>/clear_refs` = 5, Linux ≥ 4.0), so
   * the next `peakRssMb()` is the peak of what the process did since. Returns false when the kernel refused.
   */
  resetPeak(): boolean;
  /** SIGTERM (again after 5 s, which exits at once), then waits for the exit. */
  stop(): Promise<void>;
}

const BIN = path.resolve(import.meta.dirname, "../../bin/trailwatch.mjs");

/**
 * Starts `trailwatch worker` as its own process against `databaseUrl` and the local SQS/S3 server,
 * with extra settings in `env` (e.g. TRAILWATCH_WORKER_CONCURRENCY). Its stdout (warnings and errors only,
 * TRAILWATCH_LOG_LEVEL=warn) is dropped; stderr is passed through. Its peak RSS is sampled every 200 ms.
 */
export function startWorkerProcess(aws: BenchAws, databaseUrl: string, env: Record<string, string> = {}): WorkerProcess {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tw-bench-worker-"));
  const child = spawn(process.execPath, [BIN, "worker"], {
    env: childEnv({
      ...localWorkerEnv(databaseUrl, aws),
      TRAILWATCH_DATA_DIR: dataDir,
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
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, "5");
      } catch {
        return false;
      }
      peak = 0;
      sample();
      return true;
    },
    async stop() {
      sample();
      clearInterval(timer);
      if (child.exitCode === null) child.kill("SIGTERM");
      // A graceful stop waits for the detector's pass in progress (minutes over a 1 GB flow-log object): a second signal exits at once.
      const force = setTimeout(() => child.kill("SIGTERM"), 5_000);
      await exited;
      clearTimeout(force);
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
