import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { verifyPassword } from "../../lib/auth/password";
import { runDemo } from "../../lib/cli/demo";
import { DEMO_ADMIN_EMAIL } from "../../lib/cli/demo-admin";
import { loadConfig } from "../../lib/config";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { silentLog } from "../support/samples";

// The main job's embedded default, minus the web server (the browser tests cover that):
// every demo object goes through S3 + an SQS notification + the worker.
let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("demo");
});
after(async () => {
  await db?.drop();
});

test("trailwatch demo ingests the samples and the generated week through SQS, leaving nothing on the queue", async () => {
  const end = new Date(Date.UTC(2026, 10, 22, 0, 0, 0));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-demo-"));
  const stats = await runDemo(loadConfig({ DATABASE_URL: db.url, TRAILWATCH_SQS_WAIT_SECONDS: "1", TRAILWATCH_DATA_DIR: dataDir }), silentLog, { web: false, end });
  // The demo admin: its random password is kept in the data dir and is the one stored (hashed) for it.
  const password = (await readFile(path.join(dataDir, "demo-admin-password"), "utf8")).trim();
  assert.match(password, /^[A-Za-z0-9_-]{24}$/);
  const admin = await db.pool.query<{ role: string; hash: string }>(`SELECT u.role, a.password AS hash FROM users u JOIN accounts a ON a.user_id = u.id WHERE u.email = $1`, [DEMO_ADMIN_EMAIL]);
  assert.equal(admin.rows[0]?.role, "admin");
  assert.equal(await verifyPassword({ hash: admin.rows[0]!.hash, password }), true);
  await rm(dataDir, { recursive: true, force: true });
  assert.equal(stats.retried, 0);
  assert.equal(stats.errors, 0);
  const ledger = await db.pool.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM ingest_objects GROUP BY status ORDER BY status");
  const byStatus = Object.fromEntries(ledger.rows.map((r) => [r.status, r.n]));
  assert.equal(stats.deleted, stats.received, "every message was acknowledged");
  assert.equal(Object.values(byStatus).reduce((a, b) => a + b, 0), stats.received, "one ledger row per announced object");
  assert.equal(byStatus.failed, undefined);
  assert.equal(byStatus.unsupported, 1, "the Parquet sample is recorded as not supported yet");
  const counts = await db.pool.query<{ events: number; flows: number; week: number }>(
    `SELECT (SELECT count(*)::int FROM cloudtrail_events) AS events, (SELECT count(*)::int FROM flow_records) AS flows,
            (SELECT count(*)::int FROM cloudtrail_events WHERE event_time >= $1::timestamptz - interval '7 days' AND event_time < $1) AS week`,
    [end],
  );
  const row = counts.rows[0]!;
  assert.ok(row.week >= 20_000, `a week of events (${row.week})`);
  assert.ok(row.flows >= 50_000, `flow records (${row.flows})`);
  assert.ok(row.events > row.week, "the real sample events are stored too");

  // The week's story (lib/demo/README.md) raises its alerts, and the routine raises none.
  const alerts = await db.pool.query<{ rule_id: string; n: number; outside: number; events: number }>(
    `SELECT a.rule_id, count(DISTINCT a.id)::int AS n,
            count(DISTINCT a.id) FILTER (WHERE a.first_seen < $1::timestamptz - interval '7 days' OR a.last_seen > $1)::int AS outside,
            count(e.event_ref)::int AS events
       FROM alerts a LEFT JOIN alert_events e ON e.alert_id = a.id GROUP BY a.rule_id ORDER BY a.rule_id`,
    [end],
  );
  assert.deepEqual(alerts.rows.map((r) => r.rule_id), STORY_RULES, "rules that fired on the demo week");
  assert.deepEqual(alerts.rows.filter((r) => r.outside > 0).map((r) => r.rule_id), [], "every alert lies inside the week");
  assert.deepEqual(alerts.rows.filter((r) => r.events === 0).map((r) => r.rule_id), [], "every alert links to its events");
});

/** What the demo week must raise: the README's "should trigger" column, rule by rule. */
const STORY_RULES = [
  "cis-01-root-user-activity", // day 5: root console sign-in and IAM reads as root
  "cis-03-console-login-without-mfa", // hiro.tanaka and legacy.admin sign in without MFA
  "cis-04-iam-policy-changes", // day 4: AdministratorAccess attached to svc-reporting, then detached by the responder
  "cis-05-cloudtrail-config-changes", // day 2 UpdateTrail, day 3 StopLogging and StartLogging
  "cis-06-console-auth-failures", // day 2: m.okafor's failed sign-ins
  "cis-07-kms-key-disabled-or-deleted", // day 5: DisableKey, ScheduleKeyDeletion
  "cis-08-s3-bucket-policy-changes", // day 2: a public-read bucket policy
  "cis-10-security-group-changes", // day 1: bastion SG opened to the world
  "cloudtrail-logging-stopped", // day 2 UpdateTrail, day 3 StopLogging
  "console-login-failure-burst", // day 2: 24–32 failures in 15 minutes
  "iam-access-key-created-for-another-user", // day 1 ci-preview's key, day 4 svc-reporting's key
  "iam-admin-policy-attached", // day 4
  "iam-change-after-mfa-less-login", // day 4: legacy.admin without MFA, then IAM changes
  "iam-role-trust-policy-changed", // day 5: UpdateAssumeRolePolicy
  "iam-user-created", // day 1 ci-preview, day 4 svc-reporting
  "kms-key-loss", // day 5
  "root-console-login", // day 5
  "s3-bucket-made-public", // day 2: Block Public Access off, public-read policy
  "security-group-open-to-world", // day 1: 0.0.0.0/0 on 22
  "sg-opened-then-inbound-traffic", // day 1: SSH probe ACCEPTed while the SG is open
  "vpc-port-scan", // day 2: 420 ports from 67.43.156.14
  "vpc-rejected-burst", // day 2: the same scan, mostly REJECTed
  "vpc-remote-access-exposure", // day 1: SSH from the internet reaches the bastion
].sort();
