import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ZodError } from "zod";
import { listAlerts } from "../../lib/detect/alerts";
import { enabledRules, loadRules } from "../../lib/detect/load-rules";
import { deleteRule, getRule, resetRule, ruleHistory, RuleChangeError, saveRule, setRuleEnabled } from "../../lib/detect/manage-rules";
import { previewRule, PreviewCancelledError } from "../../lib/detect/preview-rule";
import type { RuleInput } from "../../lib/detect/rule-schema";
import { cloudTrailEvent } from "../../lib/detect/rules/examples";
import { drainDetectionQueue } from "../../lib/detect/run-detection";
import { importFiles } from "../../lib/ingest/import-files";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { silentLog } from "../support/samples";

// The rule editor's operations and the preview, on a real database with events stored by the real loader.

let db: TestDatabase;
let dir: string;
before(async () => {
  db = await createTestDatabase("rules");
  dir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-rules-"));
});
after(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const NOW = new Date("2026-11-10T12:00:00Z");
const getSecret = (user: string, minutesAgo: number, i: number) =>
  cloudTrailEvent({
    eventID: `gsv-${user}-${minutesAgo}-${i}`,
    eventTime: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue", readOnly: true,
    userIdentity: { type: "IAMUser", principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: "111122223333", userName: user },
  });

let files = 0;
async function store(records: Record<string, unknown>[]) {
  files += 1;
  const file = path.join(dir, `111122223333_CloudTrail_us-east-1_20261110T1200Z_r${files}.json`);
  await writeFile(file, JSON.stringify({ Records: records }));
  await importFiles([file], { pool: db.pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024 });
}

const threshold: RuleInput = {
  id: "secret-reads-burst",
  title: "Many secret reads by one principal",
  description: "One principal reading many secrets within minutes can be credential harvesting.",
  response: "Check whether the principal is an application that reads secrets at start-up.",
  severity: "medium",
  techniques: ["T1555"],
  source: "cloudtrail",
  enabled: false,
  match: { all: [{ field: "eventSource", op: "equals", value: "secretsmanager.amazonaws.com" }, { field: "eventName", op: "equals", value: "GetSecretValue" }] },
  aggregation: { statistic: "count", periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 5, comparison: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching" },
};

describe("rule changes", () => {
  test("an invalid rule is refused with paths at the fields, and nothing is stored", async () => {
    const bad = { ...threshold, id: "Bad Id", match: { field: "eventNam", op: "equals", value: "x" }, aggregation: { ...threshold.aggregation!, datapointsToAlarm: 3 } };
    await assert.rejects(saveRule(db.pool, bad, "alice", "create"), (e: ZodError) => {
      assert.ok(e instanceof ZodError);
      assert.deepEqual(e.issues.map((i) => i.path.join(".")).sort(), ["aggregation.datapointsToAlarm", "id", "match.field"]);
      return true;
    });
    await assert.rejects(saveRule(db.pool, { ...threshold, match: { field: "eventNam", op: "equals", value: "x" } }, "alice", "create"), (e: ZodError) => e.issues[0]!.path.join(".") === "match.field");
    assert.equal((await db.pool.query("SELECT count(*)::int AS n FROM user_rules")).rows[0].n, 0);
  });

  test("a user rule cannot take a built-in id or an existing one; create, update, disable, delete are each in its history", async () => {
    await assert.rejects(saveRule(db.pool, { ...threshold, id: "cloudtrail-logging-stopped" }, "alice", "create"), (e: RuleChangeError) => e.code === "exists");
    await saveRule(db.pool, threshold, "alice", "create");
    await assert.rejects(saveRule(db.pool, threshold, "alice", "create"), (e: RuleChangeError) => e.code === "exists");
    assert.ok((await loadRules(db.pool)).some((r) => r.id === threshold.id), "user rules join loadRules");
    assert.ok(!(await enabledRules(db.pool)).some((r) => r.id === threshold.id), "stored disabled");
    await saveRule(db.pool, { ...threshold, severity: "high" }, "bob", "update");
    await setRuleEnabled(db.pool, threshold.id, true, "bob");
    assert.equal((await getRule(db.pool, threshold.id))!.rule.severity, "high");
    assert.ok((await enabledRules(db.pool)).some((r) => r.id === threshold.id));
    await assert.rejects(deleteRule(db.pool, "cloudtrail-logging-stopped", "bob"), (e: RuleChangeError) => e.code === "built-in");
    const history = await ruleHistory(db.pool, threshold.id);
    assert.deepEqual(history.map((h) => [h.action, h.actor]), [["enabled", "bob"], ["updated", "bob"], ["created", "alice"]]);
    assert.equal(history[1]!.before!.severity, "medium");
    assert.equal(history[1]!.after!.severity, "high");
    assert.equal(history[2]!.before, null);
  });

  test("a built-in rule's edit is stored as an override and can be reset", async () => {
    const id = "cloudtrail-logging-stopped";
    const shipped = (await getRule(db.pool, id))!.rule;
    await saveRule(db.pool, { ...shipped, severity: "critical", allow: { principalArns: ["arn:aws:iam::*:role/break-glass"] }, dedupMinutes: 30 }, "carol", "update");
    const { rows } = await db.pool.query("SELECT enabled, changes FROM rule_overrides WHERE rule_id = $1", [id]);
    assert.deepEqual(rows[0], { enabled: null, changes: { severity: "critical", allow: { principalArns: ["arn:aws:iam::*:role/break-glass"] }, dedupMinutes: 30 } });
    const edited = await getRule(db.pool, id);
    assert.equal(edited!.rule.severity, "critical");
    assert.equal(edited!.overridden, true);
    assert.equal(edited!.shipped!.severity, shipped.severity);
    await resetRule(db.pool, id, "carol");
    assert.deepEqual((await getRule(db.pool, id))!.rule, shipped);
    assert.deepEqual((await ruleHistory(db.pool, id)).map((h) => h.action), ["reset", "updated"]);
    await deleteRule(db.pool, threshold.id, "carol").then(() => saveRule(db.pool, { ...threshold, enabled: false }, "alice", "create"));
    assert.equal((await ruleHistory(db.pool, threshold.id))[1]!.action, "deleted");
  });
});

describe("preview", () => {
  test("counts the alerts the rule would have raised over stored history, over time, with top groups and principals, and allow-lists change it", async () => {
    // 2 bursts by mallory (6 reads each, 3 h apart), 1 by a CI role (7 reads), and trent's 4 reads (below the threshold).
    await store([
      ...Array.from({ length: 6 }, (_, i) => getSecret("mallory", 60, i)),
      ...Array.from({ length: 6 }, (_, i) => getSecret("mallory", 240, i)),
      ...Array.from({ length: 7 }, (_, i) => getSecret("ci", 120, i)),
      ...Array.from({ length: 4 }, (_, i) => getSecret("trent", 30, i)),
      ...Array.from({ length: 9 }, (_, i) => getSecret("mallory", 3 * 86_400 / 60, i)),
    ]);
    const day = await previewRule(db.pool, threshold, "24h", { now: NOW });
    assert.equal(day.alerts, 3);
    assert.equal(day.matches, 19);
    assert.equal(day.overTime.length, 24);
    assert.equal(day.overTime.reduce((n, b) => n + b.alerts, 0), 3);
    assert.deepEqual(day.topGroups.map((g) => [g.groupKey, g.alerts]), [["111122223333 · arn:aws:iam::111122223333:user/mallory", 2], ["111122223333 · arn:aws:iam::111122223333:user/ci", 1]]);
    assert.deepEqual(day.topPrincipals, [{ principal: "arn:aws:iam::111122223333:user/mallory", events: 12 }, { principal: "arn:aws:iam::111122223333:user/ci", events: 7 }]);

    const week = await previewRule(db.pool, threshold, "7d", { now: NOW });
    assert.equal(week.alerts, 4);
    assert.equal(week.overTime.length, 8, "daily buckets, the first and last partial");
    const allowed = await previewRule(db.pool, { ...threshold, allow: { principalArns: ["arn:aws:iam::*:user/ci"] } }, "7d", { now: NOW });
    assert.equal(allowed.alerts, 3, "the allow-list removes the CI principal's alert");
    assert.equal((await listAlerts(db.pool, { state: ["open", "acknowledged", "resolved"] })).length, 0, "a preview raises nothing");
  });

  test("a preview can be cancelled", async () => {
    const controller = new AbortController();
    const running = previewRule(db.pool, threshold, "30d", { now: NOW, signal: controller.signal });
    controller.abort();
    await assert.rejects(running, PreviewCancelledError);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(previewRule(db.pool, threshold, "24h", { signal: aborted.signal }), PreviewCancelledError);
    assert.equal((await previewRule(db.pool, threshold, "24h", { now: NOW })).alerts, 3, "the pool is still usable");
  });

  test("an enabled user rule raises alerts on ingest like a built-in", async () => {
    await db.pool.query("DELETE FROM detection_queue");
    await setRuleEnabled(db.pool, threshold.id, true, "alice");
    await store(Array.from({ length: 5 }, (_, i) => getSecret("walter", 10, i)));
    const stats = await drainDetectionQueue({ pool: db.pool, log: silentLog });
    assert.ok(stats.changes.some((c) => c.ruleId === threshold.id && c.change === "opened"));
  });
});
