import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { eq } from "../../lib/detect/conditions";
import { findFindings, FINDINGS_PAGE_ROWS } from "../../lib/detect/find-findings";
import { ruleSchema, type Rule } from "../../lib/detect/rule-schema";
import { cloudTrailEvent } from "../../lib/detect/rules/examples";
import { detectRange, drainDetectionQueue, evaluateSchedule, type DetectionContext } from "../../lib/detect/run-detection";
import { OVERFLOW_GROUP_KEY } from "../../lib/detect/record-findings";
import { importFiles } from "../../lib/ingest/import-files";
import { ingestFlowLog } from "../../lib/search/testdata/ingest-fixtures";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { silentLog } from "../support/samples";

// Detection reads a rule's result through a cursor, a page at a time, and records each page's alerts before the
// next is read. Whatever the page size, the alerts, their events, history and notifications must be exactly those
// of reading the whole result at once (a page larger than the result).

let db: TestDatabase;
let dir: string;
before(async () => {
  db = await createTestDatabase("detection_pages");
  dir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-pages-"));
});
after(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const BASE = "2026-11-02T10:00:00Z";
const USERS = Array.from({ length: 12 }, (_, i) => `user${String(i).padStart(2, "0")}`);
const listBuckets = (user: string, seconds: number) =>
  cloudTrailEvent({
    eventTime: new Date(Date.parse(BASE) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"), eventSource: "s3.amazonaws.com", eventName: "ListBuckets", readOnly: true,
    userIdentity: { type: "IAMUser", principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: "111122223333", userName: user },
  });

const common = {
  description: "Test rule: many findings with many events each.", response: "Test rule: nothing to do, it only tests paging.", severity: "low", source: "cloudtrail",
  match: eq("eventName", "ListBuckets"), groupBy: ["userIdentity.arn"], dedupMinutes: 1,
} as const;
/** One finding per user and burst (a gap over a minute starts a new one). */
const bursts = ruleSchema.parse({ ...common, id: "test-pages-bursts", title: "Bursts" });
/** One finding per run of minutes with ≥ 10 calls (1 of 2 periods): the bulk user's runs span many datapoint rows. */
const perMinute = ruleSchema.parse({
  ...common, id: "test-pages-threshold", title: "Busy minutes",
  aggregation: { statistic: "count", periodSeconds: 60, evaluationPeriods: 2, datapointsToAlarm: 1, threshold: 10, comparison: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching" },
});
const RULES: Rule[] = [bursts, perMinute];
/** Raised by missing data (the scheduler's): every principal that called in the last day and not in the last 2 minutes. */
const quiet = ruleSchema.parse({
  ...common, id: "test-pages-quiet", title: "Gone quiet",
  aggregation: { statistic: "count", periodSeconds: 60, evaluationPeriods: 2, datapointsToAlarm: 2, threshold: 1, comparison: "LessThanThreshold", treatMissingData: "breaching" },
});

// Object 1: 12 users × 5 bursts (6 minutes apart) × 20 calls (2 s apart), and one user with 1,500 calls 1 s apart
// (one burst of 25 minutes, each minute breaching). Object 2 continues some bursts within the dedup window (their
// alerts are updated) and starts new ones.
const first = [
  ...USERS.flatMap((u, ui) => Array.from({ length: 5 }, (_, b) => Array.from({ length: 20 }, (_, i) => listBuckets(u, b * 360 + i * 2 + ui))).flat()),
  ...Array.from({ length: 1500 }, (_, i) => listBuckets("bulk", 3600 + i)),
];
const second = [
  ...USERS.slice(0, 6).flatMap((u, ui) => Array.from({ length: 15 }, (_, i) => listBuckets(u, 4 * 360 + 38 + ui + 30 + i))),
  ...Array.from({ length: 40 }, (_, i) => listBuckets("bulk", 3600 + 1500 + 30 + i)),
  ...Array.from({ length: 30 }, (_, i) => listBuckets("late", 7200 + i)),
];

let files = 0;
async function store(records: Record<string, unknown>[]): Promise<number> {
  files += 1;
  const file = path.join(dir, `111122223333_CloudTrail_us-east-1_20261102T1000Z_p${files}.json`);
  await writeFile(file, JSON.stringify({ Records: records }));
  await importFiles([file], { pool: db.pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024 });
  const { rows } = await db.pool.query<{ id: string }>("SELECT id::text FROM ingest_objects WHERE key LIKE $1", [`%_p${files}.json`]);
  return Number(rows[0]!.id);
}

/** Everything detection wrote, without ids (alert ids follow the order alerts open in; threshold findings come group by group). */
async function detectionState() {
  const alerts = await db.pool.query<{ rule_id: string; group_key: string; match_count: number; events: string[] } & Record<string, unknown>>(
    `SELECT a.rule_id, a.group_key, a.group_values, a.account_id, a.first_seen, a.last_seen, a.match_count, a.reason, a.state,
            (SELECT array_agg(e.event_account || '/' || e.event_ref ORDER BY e.event_ref) FROM alert_events e WHERE e.alert_id = a.id) AS events,
            (SELECT array_agg(h.action ORDER BY h.id) FROM alert_history h WHERE h.alert_id = a.id) AS history,
            (SELECT array_agg(o.event ORDER BY o.id) FROM notification_outbox o WHERE o.alert_id = a.id) AS outbox
       FROM alerts a ORDER BY a.rule_id, a.group_key, a.first_seen`,
  );
  const counts = await db.pool.query<{ events: number; queued: number }>("SELECT (SELECT count(*) FROM alert_events)::int AS events, (SELECT count(*) FROM detection_queue)::int AS queued");
  return { alerts: alerts.rows, ...counts.rows[0]! };
}

/**
 * Detection from scratch over both objects, as the worker runs it (one drain per object), reading `pageRows` rows per
 * FETCH, each rule opening at most `alertLimit` alerts a pass (default ALERT_LIMIT).
 */
async function detectBoth(objects: number[], pageRows: number, alertLimit?: number) {
  await db.pool.query("DELETE FROM alerts");
  const ctx: DetectionContext = { pool: db.pool, log: silentLog, rules: RULES, pageRows, alertLimit };
  const changes = [];
  for (const id of objects) {
    await db.pool.query("INSERT INTO detection_queue (object_id) VALUES ($1) ON CONFLICT DO NOTHING", [id]);
    const stats = await drainDetectionQueue(ctx);
    assert.deepEqual(stats.ruleErrors, []);
    assert.equal(stats.objects, 1);
    changes.push(...stats.changes.map((c) => `${c.ruleId} ${c.groupKey} ${c.change} ${c.newEvents}`));
  }
  return { state: await detectionState(), changes: changes.sort() };
}

describe("detection read in pages", () => {
  let objects: number[] = [];
  let whole: Awaited<ReturnType<typeof detectBoth>>;

  test("setup: the whole result in one page", async () => {
    objects = [await store(first), await store(second)];
    await db.pool.query("DELETE FROM detection_queue");
    whole = await detectBoth(objects, 1_000_000);
    const byRule = (id: string) => whole.state.alerts.filter((a) => a.rule_id === id);
    // Enough to span many pages of the default size, with findings far larger than a page.
    assert.equal(byRule(bursts.id).length, 12 * 5 + 1 + 1);
    assert.ok(byRule(perMinute.id).length >= 12 + 1, `${byRule(perMinute.id).length} threshold alerts`);
    assert.ok(whole.state.alerts.length > 4 * FINDINGS_PAGE_ROWS);
    const bulk = byRule(bursts.id).find((a) => a.group_key.endsWith("user/bulk"))!;
    assert.equal(bulk.match_count, 1540, "the second object's calls joined the open alert");
    assert.equal(bulk.events.length, 1540);
    assert.ok(whole.changes.some((c) => c.endsWith("updated 15")), "some alerts were updated by the second object");
    assert.equal(whole.state.queued, 0);
  });

  for (const pageRows of [1, 2, 7, FINDINGS_PAGE_ROWS]) {
    test(`${pageRows} row(s) per page: the same alerts, alert_events, history and outbox`, async () => {
      const paged = await detectBoth(objects, pageRows);
      assert.deepEqual(paged.state, whole.state);
      assert.deepEqual(paged.changes, whole.changes);
    });
  }

  test("past its alert limit, a rule's other findings of the pass join one overflow alert: every event kept, one notification", async () => {
    const limit = 5;
    const capped = await detectBoth(objects, 7, limit);
    for (const rule of RULES) {
      const mine = (s: typeof whole.state) => s.alerts.filter((a) => a.rule_id === rule.id);
      const overflow = mine(capped.state).filter((a) => a.group_key === OVERFLOW_GROUP_KEY);
      const own = mine(capped.state).filter((a) => a.group_key !== OVERFLOW_GROUP_KEY);
      assert.ok(mine(whole.state).length > 2 * limit, `${rule.id}: more findings than two passes may open`);
      assert.ok(own.length >= limit && own.length <= 2 * limit, `${rule.id}: ${own.length} alerts of their own, at most ${limit} a pass`);
      assert.ok(overflow.length >= 1 && overflow.length <= 2, `${rule.id}: ${overflow.length} overflow alerts`);
      // Nothing is lost: the same events and matches as without a limit, each event behind one alert.
      const events = (alerts: typeof own) => alerts.flatMap((a) => a.events).sort();
      assert.deepEqual(events(mine(capped.state)), events(mine(whole.state)));
      const matches = (alerts: typeof own) => alerts.reduce((n, a) => n + a.match_count, 0);
      assert.equal(matches(mine(capped.state)), matches(mine(whole.state)));
      // One notification per alert opened, the overflow alert's included.
      for (const a of mine(capped.state)) assert.deepEqual(a.outbox, ["opened"]);
      assert.match(String((overflow[0]!.group_values as Record<string, string>)[OVERFLOW_GROUP_KEY]), new RegExp(`opened ${limit} alerts`));
    }
    assert.equal(capped.state.alerts.length < whole.state.alerts.length, true);
  });

  test("a batch of CloudTrail objects runs no flow rule, and a flow object runs it", async () => {
    // Statements are observed on the wire: a pool whose clients record the SQL they send.
    const sent: string[] = [];
    class Recording extends pg.Client {
      override query(...args: unknown[]): never {
        const text = args[0];
        sent.push(typeof text === "string" ? text : String((text as { text?: string })?.text));
        return (super.query as (...a: unknown[]) => never)(...args);
      }
    }
    const pool = new pg.Pool({ connectionString: db.url, Client: Recording });
    try {
      const flowRule = ruleSchema.parse({ ...common, id: "test-pages-flows", title: "Rejected", source: "vpcflow", match: eq("action", "REJECT"), groupBy: ["srcaddr"] });
      const ctx: DetectionContext = { pool, log: silentLog, rules: [bursts, flowRule] };
      const flows = await ingestFlowLog(db.pool, "version srcaddr dstaddr dstport action log-status start end\n2 192.0.2.9 10.0.0.1 22 REJECT OK 1793613600 1793613660\n");
      await db.pool.query("DELETE FROM detection_queue");
      await db.pool.query("INSERT INTO detection_queue (object_id) VALUES ($1)", [objects[0]]);
      await drainDetectionQueue(ctx);
      assert.ok(sent.some((q) => q.includes("cloudtrail_events")), "the CloudTrail rule ran");
      assert.ok(!sent.some((q) => q.includes("flow_records")), "no flow rule ran");
      await db.pool.query("INSERT INTO detection_queue (object_id) VALUES ($1)", [flows]);
      const stats = await drainDetectionQueue(ctx);
      assert.ok(sent.some((q) => q.includes("flow_records")), "the flow rule ran on the flow object");
      assert.deepEqual(stats.changes.map((c) => [c.ruleId, c.groupKey, c.change]), [[flowRule.id, "192.0.2.9", "opened"]]);
    } finally {
      await pool.end();
    }
  });

  test("a second pass and a backfill read in pages change nothing", async () => {
    const before = await detectionState();
    const ctx: DetectionContext = { pool: db.pool, log: silentLog, rules: RULES, pageRows: 1 };
    await db.pool.query("INSERT INTO detection_queue (object_id) SELECT unnest($1::bigint[])", [objects]);
    assert.deepEqual((await drainDetectionQueue(ctx)).changes, []);
    assert.deepEqual((await detectRange(ctx, { from: new Date("2026-11-02T00:00:00Z"), to: new Date("2026-11-03T00:00:00Z") })).changes, []);
    assert.deepEqual(await detectionState(), before);
  });

  test("the scheduler's pass read in pages: the same alerts and alarm states", async () => {
    const pass = async (pageRows: number) => {
      await db.pool.query("DELETE FROM alerts; DELETE FROM alarm_states");
      const ctx: DetectionContext = { pool: db.pool, log: silentLog, rules: [quiet, perMinute], pageRows };
      for (const now of ["2026-11-02T11:10:00Z", "2026-11-02T11:40:00Z", "2026-11-02T12:30:00Z"]) {
        assert.deepEqual((await evaluateSchedule(ctx, new Date(now))).ruleErrors, []);
      }
      const states = await db.pool.query("SELECT rule_id, group_key, state, state_since, evaluated_until, last_value FROM alarm_states ORDER BY rule_id, group_key");
      return { ...(await detectionState()), states: states.rows };
    };
    const whole = await pass(Infinity);
    assert.ok(whole.states.length >= USERS.length + 2, `${whole.states.length} alarm states`);
    assert.ok(whole.alerts.filter((a) => a.rule_id === quiet.id).length >= USERS.length, "principals that went quiet");
    for (const pageRows of [1, 3]) assert.deepEqual(await pass(pageRows), whole, `${pageRows} row(s) per page`);
  });

  test("findFindings (preview, CLI, rule tests) returns the same findings whatever the page size", async () => {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN READ ONLY");
      for (const rule of RULES) {
        const scope = { objectIds: objects };
        const all = await findFindings(client, rule, scope, { pageRows: 1_000_000 });
        const paged = await findFindings(client, rule, scope, { pageRows: 1 });
        const key = (f: (typeof all.findings)[number]) => `${f.firstSeen.toISOString()} ${f.groupKey}`;
        assert.deepEqual([...paged.findings].sort((a, b) => key(a).localeCompare(key(b))), [...all.findings].sort((a, b) => key(a).localeCompare(key(b))));
        assert.ok(all.findings.length > 10);
      }
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  });
});
