import { gzipSync } from "node:zlib";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { s3ObjectCreatedNotification } from "../lib/aws/s3-notification";
import { bareEtag } from "../lib/ingest/open-s3-object";
import { machineInfo, percentile, writeBenchResult, type BenchRow } from "./bench-result";
import { benchArgs, createBenchDatabase, loadAverage, numberFlag, postgresVersion, startBenchAws, startWorkerProcess, waitFor } from "./support/bench-env";
import { cloudTrailFileText, cloudTrailKey, DemoRandom, syntheticCloudTrailRecord, syntheticWorld } from "./support/synthetic-logs";

/**
 * Detection latency (issue 9a, item 4): with `trailwatch worker` running (ingest + detector, as in production),
 * the time from SendMessage of an S3 event notification until the alert row exists, for a match rule
 * (root-console-login: a root console sign-in) and a threshold rule (console-login-failure-burst: six failed
 * sign-ins of one user from one address), each in a CloudTrail file among `--background` ordinary events.
 * Every repetition uses a new account, so each raises a new alert. p50 / p95 over `--reps` (default 20 each).
 * The baseline is the time until the object's ledger row is done (ingest alone). Goal: p95 ≤ 10 s.
 *
 *   node --import tsx bench/detection.bench.ts [--quick] [--keep] [--reps 20] [--background 2000]
 */
const args = benchArgs({ reps: { type: "string" }, background: { type: "string" } });
const quick = args.quick === true;
const reps = numberFlag(args.reps, 20, quick, 5);
const background = numberFlag(args.background, 2000, quick, 500);
const GOAL_MS = 10_000;

type Scenario = "match" | "threshold";
const RULES: Record<Scenario, string> = { match: "root-console-login", threshold: "console-login-failure-burst" };

function scenarioRecords(scenario: Scenario, account: string, nowMs: number): Record<string, unknown>[] {
  const common = { eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventType: "AwsConsoleSignIn", awsRegion: "us-east-1", recipientAccountId: account, requestParameters: null, readOnly: false, managementEvent: true, eventCategory: "Management", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (scenario === "match") {
    return [{ ...common, eventVersion: "1.09", eventTime: at(nowMs - 5_000), eventID: crypto.randomUUID(), sourceIPAddress: "203.0.113.80", userIdentity: { type: "Root", principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account }, responseElements: { ConsoleLogin: "Success" }, additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" } }];
  }
  // All six inside one of the rule's 5-minute periods (split across two, neither would reach the threshold).
  const periodMs = 300_000;
  const periodStart = Math.floor(nowMs / periodMs) * periodMs;
  const base = nowMs - periodStart >= 15_000 ? periodStart : periodStart - periodMs + 15_000;
  return Array.from({ length: 6 }, (_, i) => ({
    ...common, eventVersion: "1.09", eventTime: at(base + i * 2_000), eventID: crypto.randomUUID(), sourceIPAddress: "198.51.100.66",
    userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: account, userName: "bench-alice" },
    responseElements: { ConsoleLogin: "Failure" }, errorMessage: "Failed authentication",
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" },
  }));
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const load = loadAverage();
  const world = syntheticWorld();
  const rnd = new DemoRandom(3);
  const db = await createBenchDatabase("detection");
  const aws = await startBenchAws();
  const worker = startWorkerProcess(aws, db.url);
  const samples: Record<Scenario, { alert: number[]; ingest: number[] }> = { match: { alert: [], ingest: [] }, threshold: { alert: [], ingest: [] } };
  const rows: BenchRow[] = [];
  let version: string | undefined;
  try {
    version = await postgresVersion(db.pool);
    await waitFor("the worker's heartbeat", async () => (await db.pool.query("SELECT 1 FROM worker_heartbeats")).rowCount === 1, 60_000);
    for (let i = 0; i < reps * 2; i += 1) {
      const scenario: Scenario = i % 2 === 0 ? "match" : "threshold";
      const account = String(900000000000 + i);
      const nowMs = Date.now();
      const records = [...Array.from({ length: background }, (_, j) => syntheticCloudTrailRecord(rnd, world, nowMs - 120_000 + j * 10, { recipientAccountId: account })), ...scenarioRecords(scenario, account, nowMs)];
      const key = cloudTrailKey(account, "us-east-1", nowMs, `detect${i}`);
      const body = gzipSync(cloudTrailFileText(records));
      const put = await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: body }));
      const sent = performance.now();
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: s3ObjectCreatedNotification({ bucket: aws.bucket, key, size: body.length, etag: bareEtag(put.ETag) ?? "" }) }));
      let ingested = Number.NaN;
      await waitFor(`${RULES[scenario]} alert for ${account}`, async () => {
        if (Number.isNaN(ingested)) {
          const done = await db.pool.query("SELECT 1 FROM ingest_objects WHERE key = $1 AND status = 'done'", [key]);
          if (done.rowCount === 1) ingested = performance.now() - sent;
        }
        return (await db.pool.query("SELECT 1 FROM alerts WHERE rule_id = $1 AND account_id = $2", [RULES[scenario], account])).rowCount === 1;
      }, 120_000, 25);
      const latency = performance.now() - sent;
      samples[scenario].alert.push(latency);
      samples[scenario].ingest.push(Number.isNaN(ingested) ? latency : ingested);
      console.log(`${scenario} #${i >> 1}: alert after ${latency.toFixed(0)} ms (object done after ${(Number.isNaN(ingested) ? latency : ingested).toFixed(0)} ms)`);
    }
    for (const scenario of ["match", "threshold"] as const) {
      for (const p of [50, 95]) {
        const value = Math.round(percentile(samples[scenario].alert, p));
        const baseline = Math.round(percentile(samples[scenario].ingest, p));
        rows.push({
          section: "detection",
          metric: `${scenario} rule (${RULES[scenario]}) p${p}`,
          value,
          unit: "ms",
          baseline: { label: "object done", value: baseline },
          ratio: value / baseline,
          goal: p === 95 ? `≤ ${GOAL_MS / 1000} s` : undefined,
          met: p === 95 ? value <= GOAL_MS : undefined,
          note: `${samples[scenario].alert.length} runs, ${background} background events per file; load ${load}`,
        });
      }
    }
  } finally {
    await worker.stop();
    await aws.stop();
    await db.drop(args.keep === true);
  }
  writeBenchResult({ name: "detection", startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine: machineInfo(version), parameters: { reps, background, loadAverageAtStart: load }, rows });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
