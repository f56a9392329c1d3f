import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { localWorkerEnv, startTestAws, type TestAws } from "../support/local-aws";
import { REPO_ROOT } from "../support/samples";

// The real `trailwatch worker` process, killed with SIGKILL in the middle of an
// object, then restarted: the object's rows are stored exactly once.

let db: TestDatabase;
let aws: TestAws;
before(async () => {
  db = await createTestDatabase("worker_process");
  aws = await startTestAws();
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

function startWorker(): ChildProcess {
  return spawn(process.execPath, [path.join(REPO_ROOT, "bin/trailwatch.mjs"), "worker"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      ...localWorkerEnv(db.url, aws),
      TRAILWATCH_SQS_WAIT_SECONDS: "1",
      TRAILWATCH_SQS_VISIBILITY_SECONDS: "10",
      TRAILWATCH_COPY_BATCH_ROWS: "2000",
    },
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ledgerStatus(key: string): Promise<string | undefined> {
  const res = await db.pool.query<{ status: string }>("SELECT status FROM ingest_objects WHERE key = $1", [key]);
  return res.rows[0]?.status;
}

test("a worker killed mid-object leaves nothing half-stored, and the retry stores every line once", async () => {
  const lines = 150_000;
  const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
  const body = [header];
  for (let i = 0; i < lines; i++) body.push(`2 111122223333 eni-0a1b2c3d 198.51.100.${i % 250} 10.0.${i % 200}.7 ${1024 + (i % 60000)} 443 6 ${1 + (i % 9)} ${40 + i} 1700000000 1700000060 ACCEPT OK`);
  const key = "AWSLogs/111122223333/vpcflowlogs/us-east-1/2023/11/14/111122223333_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20231114T2210Z_crash.log.gz";
  await aws.putAndNotify(key, gzipSync(body.join("\n") + "\n"));

  const first = startWorker();
  await waitFor("the first worker to start the object", async () => (await ledgerStatus(key)) === "processing");
  await new Promise((r) => setTimeout(r, 300)); // well inside the object's load
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const partial = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM flow_records");
  assert.equal(partial.rows[0]?.n, 0, "the killed worker's transaction left no rows");

  const second = startWorker();
  try {
    await waitFor("the restarted worker to finish the object", async () => (await ledgerStatus(key)) === "done", 90_000);
  } finally {
    second.kill("SIGTERM");
    await new Promise((r) => second.once("exit", r));
  }
  const stored = await db.pool.query<{ n: number; distinct_lines: number; attempts: number }>(
    "SELECT count(*)::int AS n, count(DISTINCT line_number)::int AS distinct_lines, (SELECT attempts FROM ingest_objects WHERE key = $1) AS attempts FROM flow_records",
    [key],
  );
  assert.deepEqual(stored.rows[0], { n: lines, distinct_lines: lines, attempts: 2 });
  assert.equal(second.exitCode, 0, "SIGTERM stops the worker gracefully");
});
