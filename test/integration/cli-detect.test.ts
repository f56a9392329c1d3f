import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { BUILT_IN_RULES } from "../../lib/detect/rules";
import { cloudTrailEvent } from "../../lib/detect/rules/examples";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { REPO_ROOT } from "../support/samples";

// The detection commands as an operator runs them: the real CLI process against a real database.
const run = promisify(execFile);
let db: TestDatabase;
let dir: string;
const stop = cloudTrailEvent({ eventTime: "2026-11-02T10:00:00Z", eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging", requestParameters: { name: "management-events" } });

before(async () => {
  db = await createTestDatabase("cli_detect");
  dir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-detect-"));
  await writeFile(path.join(dir, "111122223333_CloudTrail_us-east-1_20261102T1000Z_stop.json"), JSON.stringify({ Records: [stop] }));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

async function trailwatch(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "bin/trailwatch.mjs"), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: db.url, TRAILWATCH_LOG_LEVEL: "error" },
  });
  return stdout;
}

test("import raises the alert; alerts lists it with its event; detect over the same range adds nothing", async () => {
  const summary = JSON.parse(await trailwatch("import", "--json", dir)) as { recordsStored: number; alertsOpened: number };
  assert.equal(summary.recordsStored, 1);
  assert.equal(summary.alertsOpened, 2, "cloudtrail-logging-stopped and cis-05-cloudtrail-config-changes");

  const alerts = JSON.parse(await trailwatch("alerts", "--json")) as { ruleId: string; severity: string; techniques: string[]; state: string; eventIds: string[] }[];
  const stopped = alerts.find((a) => a.ruleId === "cloudtrail-logging-stopped");
  assert.deepEqual(
    { severity: stopped?.severity, techniques: stopped?.techniques, state: stopped?.state, eventIds: stopped?.eventIds },
    { severity: "high", techniques: ["T1562.008"], state: "open", eventIds: [`111122223333/${String(stop.eventID)}`] },
  );

  const detect = await trailwatch("detect", "--since", "2026-11-01T00:00:00Z", "--until", "2026-11-03T00:00:00Z");
  assert.match(detect, /: 0 alerts opened, 0 updated/);
});

test("rules list names every rule; rules test passes every example", async () => {
  const rules = JSON.parse(await trailwatch("rules", "list", "--json")) as { id: string }[];
  assert.deepEqual(rules.map((r) => r.id).sort(), BUILT_IN_RULES.map((r) => r.rule.id).sort());
  const out = await trailwatch("rules", "test");
  assert.match(out, new RegExp(`^${BUILT_IN_RULES.length} of ${BUILT_IN_RULES.length} rules pass`, "m"));
  assert.ok(BUILT_IN_RULES.length >= 60);
});
