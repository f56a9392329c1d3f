import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { assertExactlyDelivered, cloudTrailObject, doneCount, flowObject, startWorkerProcess, waitFor, type DeliveredObject } from "../support/fault-harness";
import { LOCAL_CREDENTIALS, startTestAws, type TestAws } from "../support/local-aws";
import { REPO_ROOT } from "../support/samples";

// `trailwatch backfill s3://bucket/prefix --since --until`, run as an operator runs it: lists the
// historical objects, ingests those in range through the same pipeline, skips what the ledger holds.

let db: TestDatabase;
let aws: TestAws;
before(async () => {
  db = await createTestDatabase("cli_backfill");
  aws = await startTestAws();
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

const run = promisify(execFile);
function backfill(...args: string[]) {
  return run(process.execPath, [path.join(REPO_ROOT, "bin/trailwatch.mjs"), "backfill", ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env, DATABASE_URL: db.url, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: aws.endpoint, TRAILWATCH_S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, TRAILWATCH_LOG_LEVEL: "warn",
    },
  });
}

test("backfill ingests the objects in range once, skips what the ledger holds, and resumes", async () => {
  const day = (d: number, h = 0) => new Date(Date.UTC(2026, 9, d, h));
  const inRange: DeliveredObject[] = [
    cloudTrailObject({ account: "141414141414", region: "us-east-1", hour: day(10, 1), records: 20, tag: "bf-ct-1" }),
    flowObject({ account: "141414141414", region: "us-east-1", hour: day(11, 2), lines: 30, tag: "bf-flow-1" }),
    cloudTrailObject({ account: "141414141414", region: "us-east-1", hour: day(12, 3), records: 10, tag: "bf-ct-2" }),
  ];
  const viaQueue = cloudTrailObject({ account: "141414141414", region: "us-east-1", hour: day(11, 5), records: 7, tag: "bf-already" });
  const outOfRange = [
    cloudTrailObject({ account: "141414141414", region: "us-east-1", hour: day(1), records: 5, tag: "bf-early" }),
    cloudTrailObject({ account: "141414141414", region: "us-east-1", hour: day(20), records: 5, tag: "bf-late" }),
  ];
  const elsewhere = cloudTrailObject({ account: "151515151515", region: "us-east-1", hour: day(11), records: 5, tag: "bf-other-prefix" });
  for (const o of [...inRange, ...outOfRange, elsewhere]) await aws.put(o.key, o.body);
  // One object was already ingested by the worker from its notification.
  await aws.putAndNotify(viaQueue.key, viaQueue.body);
  const worker = startWorkerProcess(db.url, aws);
  await waitFor("the worker to store the announced object", async () => (await doneCount(db.pool, [viaQueue.key])) === 1, 30_000);
  assert.equal(await worker.stop(), 0);

  const url = `s3://${aws.bucket}/AWSLogs/141414141414/`;
  const first = await backfill(url, "--since", "2026-10-05T00:00:00Z", "--until", "2026-10-15T00:00:00Z", "--json");
  const summary = JSON.parse(first.stdout.slice(first.stdout.indexOf("{"))) as { listed: number; outOfRange: number; alreadyInLedger: number; recordsStored: number; byStatus: Record<string, number> };
  assert.deepEqual(
    { listed: summary.listed, outOfRange: summary.outOfRange, alreadyInLedger: summary.alreadyInLedger, recordsStored: summary.recordsStored, byStatus: summary.byStatus },
    { listed: 6, outOfRange: 2, alreadyInLedger: 1, recordsStored: 60, byStatus: { done: 3, already: 1 } },
  );
  await assertExactlyDelivered(db.pool, [...inRange, viaQueue]);

  // Run again (as after an interruption): everything in range is in the ledger, nothing is read or stored.
  const again = await backfill(url, "--since", "2026-10-05T00:00:00Z", "--until", "2026-10-15T00:00:00Z");
  assert.match(again.stdout, /6 objects listed, 2 out of range, 4 already in the ledger; 0 records stored; 0 objects not ingested/);
  assert.match(again.stdout, /already +stored 0 +AWSLogs\/141414141414\/CloudTrail/);
  await assertExactlyDelivered(db.pool, [...inRange, viaQueue]);
});
