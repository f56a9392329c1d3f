import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { ImportSummary } from "../../lib/ingest/import-files";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { REPO_ROOT, sharedSample } from "../support/samples";

const run = promisify(execFile);
let db: TestDatabase;
let dir: string;
let flowRecords: number;

before(async () => {
  db = await createTestDatabase("cli_import");
  dir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-import-"));
  // A folder as `aws s3 sync` makes it: gzipped CloudTrail, a plain flow log, a digest, junk.
  const ct = path.join(dir, "AWSLogs/012345678901/CloudTrail/eu-west-1/2017/05/01");
  const flow = path.join(dir, "AWSLogs/111111111111/vpcflowlogs/eu-west-2/2022/02/21");
  const digest = path.join(dir, "AWSLogs/123456789123/CloudTrail-Digest/us-west-2/2020/09/11");
  for (const d of [ct, flow, digest]) await import("node:fs/promises").then((fs) => fs.mkdir(d, { recursive: true }));
  await writeFile(path.join(ct, "012345678901_CloudTrail_eu-west-1_20170501T1015Z_a.json.gz"), await sharedSample("cloudtrail/openregister-deployment/cloudtrail-logs-compressed.gz"));
  const flowLog = await sharedSample("vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log");
  flowRecords = flowLog.toString().trim().split("\n").length - 1; // all lines but the header
  await writeFile(path.join(flow, "111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log"), flowLog);
  await writeFile(
    path.join(digest, "123456789123_CloudTrail-Digest_us-west-2_trail_us-west-2_20200911T193649Z.json.gz"),
    gzipSync(JSON.stringify({ awsAccountId: "123456789123", digestStartTime: "2020-09-11T18:36:49Z", digestEndTime: "2020-09-11T19:36:49Z", logFiles: [] })),
  );
  await writeFile(path.join(dir, "README.txt"), "not a log file\n");
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

async function importJson(): Promise<ImportSummary> {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "bin/trailwatch.mjs"), "import", "--json", dir], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: db.url, TRAILWATCH_LOG_LEVEL: "error" },
  });
  return JSON.parse(stdout) as ImportSummary;
}

test("trailwatch import stores a synced folder, and importing it again stores nothing new", async () => {
  const first = await importJson();
  assert.equal(first.objects, 4);
  assert.equal(first.recordsStored, 2 + flowRecords, "2 CloudTrail events + every flow record");
  assert.equal(first.duplicatesSkipped, 0);
  assert.deepEqual(first.byStatus, { done: 2, skipped: 2 });
  assert.deepEqual(first.errors.map((e) => e.status).sort(), ["skipped", "skipped"]);
  assert.ok(first.errors.some((e) => e.file.endsWith("README.txt") && e.reason), "the junk file is skipped with a reason");
  assert.ok(first.errors.some((e) => e.file.includes("CloudTrail-Digest") && /digest/i.test(e.reason ?? "")), "the digest is recognised");

  const second = await importJson();
  assert.equal(second.recordsStored, 0);
  assert.equal(second.duplicatesSkipped, 2 + flowRecords);
  const rows = await db.pool.query<{ ct: number; flows: number }>("SELECT (SELECT count(*)::int FROM cloudtrail_events) AS ct, (SELECT count(*)::int FROM flow_records) AS flows");
  assert.deepEqual(rows.rows[0], { ct: 2, flows: flowRecords });
});
