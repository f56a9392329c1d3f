import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type pg from "pg";
import { localWorkerEnv, TEST_BUCKET, TEST_QUEUE, testAwsAt, type TestAws } from "./local-aws";
import { REPO_ROOT } from "./samples";

/*
 * What the fault tests share: the real `trailwatch worker` process, a local SQS/S3 server in a
 * process of its own (to kill and restart), small generated log objects whose records are known
 * independently of our parsers, and the oracle that compares Postgres with what was delivered.
 */

/** An object the test delivered, with the identities of the records it must leave in Postgres. */
export interface DeliveredObject {
  key: string;
  body: Buffer;
  /** CloudTrail `eventID`s that must be stored (records meant to be refused are left out). */
  eventIds: string[];
  /** Flow-log line numbers (1-based, header = 1) that must be stored. */
  flowLines: number[];
}

/** A CloudTrail log file as CloudTrail delivers it (gzipped `{"Records":[…]}`), `records` events in the given hour (UTC). */
export function cloudTrailObject(options: {
  account: string; region: string; hour: Date; records: number; tag: string;
  /** Indexes of records padded past 256 KB: they must be refused, so they are not expected in Postgres. */
  oversized?: number[];
  /** The key to use instead of the one CloudTrail would write. */
  key?: string;
}): DeliveredObject {
  const { account, region, hour, tag } = options;
  const stamp = hour.toISOString().replace(/[-:]/g, "").slice(0, 13) + "Z"; // AWS writes YYYYMMDDTHHmmZ
  const day = hour.toISOString().slice(0, 10).replace(/-/g, "/");
  const records = Array.from({ length: options.records }, (_, i) => ({
    eventVersion: "1.08",
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${account}:user/fault`, accountId: account, userName: "fault" },
    eventTime: new Date(hour.getTime() + i * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "ec2.amazonaws.com",
    eventName: "DescribeInstances",
    awsRegion: region,
    sourceIPAddress: "203.0.113.7",
    userAgent: "aws-cli/2.15.0",
    requestParameters: { padding: "p".repeat(options.oversized?.includes(i) ? 300 * 1024 : 200) },
    eventID: `${tag}-${i}`,
    eventType: "AwsApiCall",
    recipientAccountId: account,
  }));
  return {
    key: options.key ?? `AWSLogs/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}_${tag}.json.gz`,
    body: gzipSync(JSON.stringify({ Records: records })),
    eventIds: records.filter((_, i) => !options.oversized?.includes(i)).map((r) => r.eventID),
    flowLines: [],
  };
}

const FLOW_HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

/** A VPC Flow Log file as S3 delivery writes it (gzipped, header line first), `lines` records in the given hour (UTC). */
export function flowObject(options: {
  account: string; region: string; hour: Date; lines: number; tag: string;
  /** Line numbers (1-based, header = 1) replaced by garbage: they must be refused. */
  corruptLines?: number[];
  /** The key to use instead of the one S3 delivery would write. */
  key?: string;
}): DeliveredObject {
  const { account, region, hour, tag } = options;
  const start = Math.floor(hour.getTime() / 1000);
  const stamp = hour.toISOString().replace(/[-:]/g, "").slice(0, 13) + "Z"; // AWS writes YYYYMMDDTHHmmZ
  const day = hour.toISOString().slice(0, 10).replace(/-/g, "/");
  const body = [FLOW_HEADER];
  for (let i = 0; i < options.lines; i++) {
    if (options.corruptLines?.includes(i + 2)) {
      body.push(`2 ${account} eni-0a1b2c3d not-an-address \u0000\u00ff garbage`);
      continue;
    }
    body.push(`2 ${account} eni-0a1b2c3d 198.51.100.${i % 250} 10.0.${i % 200}.7 ${1024 + (i % 60000)} 443 6 ${1 + (i % 9)} ${40 + i} ${start + (i % 3000)} ${start + (i % 3000) + 60} ACCEPT OK`);
  }
  return {
    key: options.key ?? `AWSLogs/${account}/vpcflowlogs/${region}/${day}/${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_${stamp}_${tag}.log.gz`,
    body: gzipSync(body.join("\n") + "\n"),
    eventIds: [],
    flowLines: Array.from({ length: options.lines }, (_, i) => i + 2).filter((l) => !options.corruptLines?.includes(l)),
  };
}

/**
 * The oracle: Postgres holds exactly the records of `delivered` — the same CloudTrail eventIDs and the
 * same (object key, line number) flow records, each once, nothing more — and the ledger counts agree.
 */
export async function assertExactlyDelivered(pool: pg.Pool, delivered: readonly DeliveredObject[]): Promise<void> {
  const expectedEvents = delivered.flatMap((o) => o.eventIds).sort();
  const events = await pool.query<{ event_id: string; n: number }>("SELECT event_id, count(*)::int AS n FROM cloudtrail_events GROUP BY event_id ORDER BY event_id");
  assert.deepEqual(events.rows.filter((r) => r.n !== 1), [], "no CloudTrail event is stored twice");
  assert.equal(events.rows.length, expectedEvents.length, "CloudTrail events stored = events delivered");
  assert.deepEqual(events.rows.map((r) => r.event_id), expectedEvents, "the stored CloudTrail events are exactly the delivered ones");

  const expectedFlows = delivered.flatMap((o) => o.flowLines.map((l) => `${o.key}#${l}`)).sort();
  const flows = await pool.query<{ id: string }>(
    "SELECT o.key || '#' || f.line_number AS id FROM flow_records f JOIN ingest_objects o ON o.id = f.object_id ORDER BY 1",
  );
  const flowIds = flows.rows.map((r) => r.id).sort();
  assert.equal(new Set(flowIds).size, flowIds.length, "no flow record is stored twice (even under two ledger rows)");
  assert.equal(flowIds.length, expectedFlows.length, "flow records stored = lines delivered");
  assert.deepEqual(flowIds, expectedFlows, "the stored flow records are exactly the delivered lines");

  const ledger = await pool.query<{ key: string; n: number; stored: number }>(
    "SELECT key, count(*)::int AS n, sum(records_stored)::int AS stored FROM ingest_objects WHERE key = ANY($1) GROUP BY key",
    [delivered.map((o) => o.key)],
  );
  const byKey = new Map(ledger.rows.map((r) => [r.key, r]));
  for (const o of delivered) {
    const row = byKey.get(o.key);
    assert.equal(row?.n, 1, `one ledger row for ${o.key}`);
    assert.equal(row?.stored, o.eventIds.length + o.flowLines.length, `the ledger counts what ${o.key} stored`);
  }
}

/** Polls `check` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Objects of `keys` whose ledger status is final `done`. */
export async function doneCount(pool: pg.Pool, keys: readonly string[]): Promise<number> {
  const res = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ingest_objects WHERE status = 'done' AND key = ANY($1)", [keys]);
  return res.rows[0]?.n ?? 0;
}

/** Messages on a queue, visible or in flight. */
export async function queueDepth(aws: TestAws, url: string): Promise<number> {
  const res = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** A running `trailwatch worker` process. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Its JSON log lines so far (stdout). */
  logLines(): string[];
  exited: Promise<number | null>;
  /** SIGKILL, then wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful: in-flight messages finish), then wait; returns the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the real worker (`bin/trailwatch.mjs worker`) on `databaseUrl` and the queue of `aws`, with short timeouts for tests. */
export function startWorkerProcess(databaseUrl: string, aws: { endpoint: string; queueUrl: string }, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/trailwatch.mjs"), "worker"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...localWorkerEnv(databaseUrl, aws),
      TRAILWATCH_SQS_WAIT_SECONDS: "1",
      TRAILWATCH_SQS_VISIBILITY_SECONDS: "3",
      TRAILWATCH_COPY_BATCH_ROWS: "2000",
      TRAILWATCH_LOG_LEVEL: "info",
      ...env,
    },
  });
  const lines: string[] = [];
  let partial = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logLines: () => lines,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0 && stderr) console.error(stderr);
      return code;
    },
  };
}

/** A free TCP port on 127.0.0.1 (free when asked; good enough for a test's own server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The local SQS/S3 server in a child process on a fixed port: kill it and start it again at the same URLs. */
export interface FauxqsProcess {
  aws: TestAws;
  /** SIGKILL the server: every queue, message and object is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the bucket, queue and DLQ created anew (empty). */
  restart(): Promise<void>;
}

export async function startFauxqsProcess(options: { maxReceiveCount: number }): Promise<FauxqsProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "test/support/fauxqs-server.ts"), String(port), TEST_BUCKET, TEST_QUEUE, String(options.maxReceiveCount)], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child!.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]!);
      });
      child!.once("exit", (code) => reject(new Error(`fauxqs server exited with ${code}`)));
    });
    return JSON.parse(line) as { endpoint: string; queueUrl: string; dlqUrl: string };
  };
  const stopChild = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  const urls = await launch();
  const aws = testAwsAt({ server: null, endpoint: urls.endpoint, bucket: TEST_BUCKET, queueUrl: urls.queueUrl, dlqUrl: urls.dlqUrl, stopServer: stopChild });
  return {
    aws,
    kill: stopChild,
    async restart() {
      await stopChild();
      const again = await launch();
      assert.deepEqual(again, urls, "the restarted server serves the same URLs");
    },
  };
}
