import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { AlertTransitionError, changeAlertState, getAlert, listAlerts } from "../../lib/detect/alerts";
import { all, eq } from "../../lib/detect/conditions";
import { ruleSchema } from "../../lib/detect/rule-schema";
import { at, cloudTrailEvent, times } from "../../lib/detect/rules/examples";
import { detectRange, drainDetectionQueue, evaluateSchedule, type DetectionContext } from "../../lib/detect/run-detection";
import { flowLogText } from "../../lib/detect/test-rule-examples";
import { runWorker } from "../../lib/ingest/run-worker";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestAws, type TestAws } from "../support/local-aws";
import { silentLog } from "../support/samples";

// Detection on the production path: objects delivered through the local SQS/S3
// server, ingested by the real worker loop, evaluated from the detection queue.

let db: TestDatabase;
let aws: TestAws;
let ctx: DetectionContext;

before(async () => {
  db = await createTestDatabase("detection");
  aws = await startTestAws();
  ctx = { pool: db.pool, log: silentLog };
});
after(async () => {
  await aws?.stop();
  await db?.drop();
});

const MALLORY = { type: "IAMUser", principalId: "AIDAMALLORYEXAMPLE", arn: "arn:aws:iam::111122223333:user/mallory", accountId: "111122223333", accessKeyId: "AKIAMALLORYEXAMPLE", userName: "mallory" };
const stopLogging = (minute: number) =>
  cloudTrailEvent({ eventTime: at("2026-11-02T10:00:00Z", minute), eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging", userIdentity: MALLORY, requestParameters: { name: "management-events" } });
const failedLogin = (minute: number) =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", minute), eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventType: "AwsConsoleSignIn",
    userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: "111122223333", userName: "bob" },
    sourceIPAddress: "203.0.113.50", responseElements: { ConsoleLogin: "Failure" }, additionalEventData: { MFAUsed: "No" }, errorMessage: "Failed authentication",
  });

let objectCounter = 0;
/** Puts one CloudTrail file and its notification, then runs the worker until the queue is idle. */
async function deliver(records: Record<string, unknown>[]): Promise<string> {
  objectCounter += 1;
  const key = `AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T1000Z_obj${objectCounter}.json.gz`;
  const body = gzipSync(JSON.stringify({ Records: records }));
  const notification = await aws.putAndNotify(key, body);
  await idleWorker();
  return notification;
}

async function idleWorker(): Promise<void> {
  await runWorker({
    sqs: aws.sqs, s3: aws.s3, pool: db.pool, log: silentLog, queueUrl: aws.queueUrl, concurrency: 2, waitSeconds: 1,
    visibilitySeconds: 30, batchRows: 1000, maxRecordBytes: 1024 * 1024, signal: new AbortController().signal, stopWhenIdle: true,
  });
}

async function alertsOf(ruleId: string) {
  return listAlerts(db.pool, { ruleId, state: ["open", "acknowledged", "resolved"] });
}

async function queued(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM detection_queue");
  return rows[0]!.n;
}

describe("detection on ingested objects", () => {
  let firstNotification = "";
  let stopEventId = "";

  test("raises each alert once, with its exact events, and empties the queue", async () => {
    const stop = stopLogging(0);
    stopEventId = String(stop.eventID);
    const start = { ...stopLogging(5), eventName: "StartLogging" };
    firstNotification = await deliver([stop, start, ...times(6, (i) => failedLogin(i * 0.5))]);
    assert.equal(await queued(), 1, "the object joined the detection queue with its rows");

    const stats = await drainDetectionQueue(ctx);
    assert.equal(stats.objects, 1);
    assert.deepEqual(stats.ruleErrors, []);
    assert.equal(await queued(), 0);

    const stopped = await alertsOf("cloudtrail-logging-stopped");
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0]!.groupKey, `111122223333 · ${MALLORY.arn}`);
    const detail = await getAlert(db.pool, stopped[0]!.id);
    assert.deepEqual(detail!.events.map((e) => [e.account, e.ref, e.summary]), [["111122223333", stopEventId, "StopLogging"]], "StartLogging is not behind the alert");

    const burst = await alertsOf("console-login-failure-burst");
    assert.equal(burst.length, 1);
    assert.equal(burst[0]!.matchCount, 6);
    assert.equal(burst[0]!.groupKey, "111122223333 · bob · 203.0.113.50");
  });

  test("re-delivery, a second pass and a backfill over the same rows change nothing", async () => {
    const before = await db.pool.query("SELECT id, match_count, last_seen FROM alerts ORDER BY id");
    await aws.send(firstNotification);
    await idleWorker();
    assert.equal(await queued(), 0, "an object already ingested is not queued again");
    assert.equal((await drainDetectionQueue(ctx)).changes.length, 0);
    const backfill = await detectRange(ctx, { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-11-03T00:00:00Z") });
    assert.deepEqual(backfill.changes, []);
    assert.deepEqual((await db.pool.query("SELECT id, match_count, last_seen FROM alerts ORDER BY id")).rows, before.rows);
  });

  test("a queue batch another worker holds is skipped, not evaluated twice", async () => {
    await deliver([stopLogging(20)]);
    const other = await db.pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT * FROM detection_queue FOR UPDATE");
      assert.equal((await drainDetectionQueue(ctx)).objects, 0, "locked rows are skipped");
      await other.query("ROLLBACK");
    } finally {
      other.release();
    }
    const stats = await drainDetectionQueue(ctx);
    assert.equal(stats.objects, 1);
    assert.deepEqual(stats.changes.map((c) => [c.ruleId, c.change, c.newEvents]).filter(([r]) => r === "cloudtrail-logging-stopped"), [["cloudtrail-logging-stopped", "updated", 1]]);
    const [alert] = await alertsOf("cloudtrail-logging-stopped");
    assert.equal(alert!.matchCount, 2, "a new match within the dedup window joins the open alert");
  });

  test("lifecycle: acknowledge, resolve with a comment, refuse a second resolve; a later match opens a new alert", async () => {
    const [alert] = await alertsOf("cloudtrail-logging-stopped");
    assert.equal(await changeAlertState(db.pool, alert!.id, "acknowledge", "alice"), "acknowledged");
    assert.equal(await changeAlertState(db.pool, alert!.id, "resolve", "alice", "trail restarted, key revoked"), "resolved");
    await assert.rejects(changeAlertState(db.pool, alert!.id, "resolve", "alice"), AlertTransitionError);
    const detail = await getAlert(db.pool, alert!.id);
    assert.deepEqual(detail!.history.map((h) => [h.action, h.actor, h.comment]), [
      ["opened", "trailwatch", null],
      ["acknowledged", "alice", null],
      ["resolved", "alice", "trail restarted, key revoked"],
    ]);
    assert.equal(detail!.resolvedBy, "alice");

    await deliver([stopLogging(30)]);
    await drainDetectionQueue(ctx);
    const alerts = await alertsOf("cloudtrail-logging-stopped");
    assert.deepEqual(alerts.map((a) => a.state).sort(), ["open", "resolved"]);
  });
});

describe("scheduled evaluation of a rule raised by missing data", () => {
  test("an interface that stopped reporting goes to ALARM, one that reports stays OK", async () => {
    const quiet = ruleSchema.parse({
      id: "test-interface-quiet", title: "Interface went quiet", description: "Test rule: an interface that reported stops reporting.",
      response: "Test rule: check the flow log of the interface.", severity: "low", source: "vpcflow",
      match: all(eq("log-status", "OK")), groupBy: ["interface-id"],
      aggregation: { statistic: "count", periodSeconds: 600, evaluationPeriods: 2, datapointsToAlarm: 2, threshold: 1, comparison: "LessThanThreshold", treatMissingData: "breaching" },
    });
    const now = new Date("2026-11-02T12:00:00Z");
    const secs = (iso: string) => Date.parse(iso) / 1000;
    const flow = (eni: string, iso: string) => ({ version: 2, "account-id": "111122223333", "interface-id": eni, srcaddr: "10.0.0.1", dstaddr: "10.0.0.2", srcport: 1, dstport: 2, protocol: 6, packets: 1, bytes: 40, start: secs(iso), end: secs(iso) + 30, action: "ACCEPT", "log-status": "OK" });
    const records = [flow("eni-quiet", "2026-11-02T11:05:00Z"), flow("eni-busy", "2026-11-02T11:05:00Z"), flow("eni-busy", "2026-11-02T11:45:00Z"), flow("eni-busy", "2026-11-02T11:55:00Z")];
    // eni-quiet reported at 11:05 only: no records in the periods 11:40 and 11:50.
    await aws.putAndNotify("AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/02/111122223333_vpcflowlogs_us-east-1_fl-1_20261102T1100Z_quiet.log.gz", gzipSync(flowLogText(records)));
    await idleWorker();

    const stats = await evaluateSchedule({ ...ctx, rules: [quiet] }, now);
    assert.deepEqual(stats.ruleErrors, []);
    const { rows } = await db.pool.query<{ group_key: string; state: string }>("SELECT group_key, state FROM alarm_states WHERE rule_id = $1 ORDER BY group_key", [quiet.id]);
    assert.deepEqual(rows.map((r) => [r.group_key, r.state]), [["eni-busy", "OK"], ["eni-quiet", "ALARM"]]);
    const alerts = await listAlerts(db.pool, { ruleId: quiet.id });
    assert.deepEqual(alerts.map((a) => a.groupKey), ["eni-quiet"]);

    // The next pass finds the alert open: no second alert.
    await evaluateSchedule({ ...ctx, rules: [quiet] }, new Date(now.getTime() + 600_000));
    assert.equal((await listAlerts(db.pool, { ruleId: quiet.id })).length, 1);
  });
});
