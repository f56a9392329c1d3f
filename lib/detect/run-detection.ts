import type pg from "pg";
import type { Logger } from "../log";
import { missingDataCanAlarm } from "./evaluate-alarm";
import { enabledRules } from "./load-rules";
import { scanFindings, type Evaluated, type Finding, type FindOptions, type GroupState } from "./find-findings";
import type { Scope } from "./compile-rule";
import { alertBudget, recordAlarmStates, recordFindings, type AlertChange } from "./record-findings";
import type { Rule } from "./rule-schema";
import { inTransaction } from "../db/in-transaction";
import { objectFamily } from "../ingest/route-object";
import type { ObjectKind } from "../ingest/types";

export interface DetectionContext {
  pool: pg.Pool;
  log: Logger;
  /** The rules to run; default: the enabled rules with the team's overrides, read at the start of each pass. */
  rules?: readonly Rule[];
  /** Rows of a rule's result read per FETCH (default FINDINGS_PAGE_ROWS, lib/detect/find-findings.ts); tests force tiny pages. */
  pageRows?: number;
  /** Alerts a rule may open per pass before the rest join its overflow alert (default ALERT_LIMIT, lib/detect/record-findings.ts); tests lower it. */
  alertLimit?: number;
}

async function rulesOf(ctx: DetectionContext): Promise<readonly Rule[]> {
  return ctx.rules ?? enabledRules(ctx.pool);
}

/** What one detection pass did. */
export interface DetectionStats {
  objects: number;
  changes: AlertChange[];
  /** Rules that threw (logged with their id); the other rules still ran. */
  ruleErrors: { ruleId: string; reason: string }[];
}

/** Objects taken from the detection queue per transaction. */
const QUEUE_BATCH = 500;

/**
 * Runs the rules over rows that arrived since the last pass: takes queued
 * objects (FOR UPDATE SKIP LOCKED, so several workers share the queue),
 * evaluates every enabled rule of their sources (CloudTrail, flow logs) on their rows, records alerts and removes the
 * objects from the queue in one transaction. A crash rolls all of it back and
 * the next pass redoes it, so every row is evaluated exactly once per rule.
 * Rules raised by missing data are left to `evaluateSchedule`. Loops until the queue is empty.
 */
export async function drainDetectionQueue(ctx: DetectionContext): Promise<DetectionStats> {
  const stats: DetectionStats = { objects: 0, changes: [], ruleErrors: [] };
  const rules = (await rulesOf(ctx)).filter((r) => !r.aggregation || !missingDataCanAlarm(r.aggregation));
  for (;;) {
    const client = await ctx.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ object_id: string; kind: ObjectKind }>(
        `SELECT q.object_id::text, o.kind FROM detection_queue q JOIN ingest_objects o ON o.id = q.object_id
          ORDER BY q.object_id LIMIT $1 FOR UPDATE OF q SKIP LOCKED`,
        [QUEUE_BATCH],
      );
      if (rows.length === 0) {
        await client.query("COMMIT");
        return stats;
      }
      const objectIds = rows.map((r) => BigInt(r.object_id));
      // A rule reads rows of its own source only: flow rules have nothing to find in CloudTrail objects (nor
      // CloudTrail rules in flow objects), yet each one's query would still run against its table.
      const sources = new Set<string>(rows.map((r) => objectFamily(r.kind)));
      for (const rule of rules) if (sources.has(rule.source)) await runRule(client, ctx, rule, { objectIds }, stats);
      await client.query("DELETE FROM detection_queue WHERE object_id = ANY($1::bigint[])", [rows.map((r) => r.object_id)]);
      await client.query("COMMIT");
      stats.objects += rows.length;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * Evaluates every rule over stored rows in [from, to) (UTC; `to` defaults to
 * now): `trailwatch detect` and backfills. Events already behind an alert of
 * the same rule are not alerted again, so repeating a range changes nothing.
 */
export async function detectRange(ctx: DetectionContext, range: { from: Date; to?: Date }): Promise<DetectionStats> {
  const stats: DetectionStats = { objects: 0, changes: [], ruleErrors: [] };
  for (const rule of await rulesOf(ctx)) {
    await inTransaction(ctx.pool, async (client) => {
      await runRule(client, ctx, rule, range, stats);
    });
  }
  return stats;
}

/** How far back the scheduler looks for groups of a rule raised by missing data: a group must have reported within it to be missed. */
const QUIET_BASELINE_MS = 24 * 3_600_000;

/**
 * The scheduler's pass for threshold rules at wall-clock `now`, CloudWatch
 * style: each group's state at the last complete period is recorded
 * (alarm_states; groups with no data fall back to their treatMissingData
 * state), and an alert is raised when a group moves into ALARM — so a source
 * that went quiet alerts once, not on every pass. Rules raised by missing data
 * look back a day for the groups that used to report; others 2 × evaluationPeriods.
 */
export async function evaluateSchedule(ctx: DetectionContext, now: Date = new Date()): Promise<DetectionStats> {
  const stats: DetectionStats = { objects: 0, changes: [], ruleErrors: [] };
  for (const rule of await rulesOf(ctx)) {
    const agg = rule.aggregation;
    if (!agg) continue;
    const windowMs = 2 * agg.evaluationPeriods * agg.periodSeconds * 1000;
    const from = new Date(now.getTime() - (missingDataCanAlarm(agg) ? Math.max(windowMs, QUIET_BASELINE_MS) : windowMs));
    await inTransaction(ctx.pool, async (client) => {
      const states = await runRule(client, ctx, rule, { from, to: now }, stats, {
        options: { everyPeriod: true, latestOnly: true },
        select: async (e) => {
          const { rows } = await client.query<{ group_key: string }>(
            "SELECT group_key FROM alarm_states WHERE rule_id = $1 AND state = 'ALARM' AND group_key = ANY($2::text[])",
            [rule.id, e.findings.map((f) => f.groupKey)],
          );
          const alreadyInAlarm = new Set(rows.map((r) => r.group_key));
          return e.findings.filter((f) => !alreadyInAlarm.has(f.groupKey));
        },
      });
      if (!states) return;
      await recordAlarmStates(client, rule.id, states);
      const quietState = { missing: "INSUFFICIENT_DATA", notBreaching: "OK", breaching: "ALARM", ignore: null }[agg.treatMissingData];
      if (quietState) {
        // Groups that reported before but have no datapoint in the window.
        await client.query(
          `UPDATE alarm_states SET state = $3, state_since = CASE WHEN state = $3 THEN state_since ELSE $4 END, evaluated_until = $4, last_value = NULL, updated_at = now()
            WHERE rule_id = $1 AND NOT (group_key = ANY($2::text[])) AND evaluated_until < $4`,
          [rule.id, states.map((s) => s.groupKey), quietState, now],
        );
      }
    });
  }
  return stats;
}

interface RunRuleOptions {
  options?: FindOptions;
  /** Which findings of a page become alerts (default: all). */
  select?: (page: Evaluated) => Promise<Finding[]>;
}

/**
 * One rule over one scope, in its own savepoint: a failing rule is logged and skipped, never blocking the others.
 * Findings are recorded page by page as `scanFindings` reads them, so the process holds one page of a rule's result
 * (not all its findings and their events) whatever the scope's size; past `ctx.alertLimit` new alerts in this pass,
 * they join the rule's overflow alert (lib/detect/record-findings.ts ALERT_LIMIT). Returns the groups' alarm states (threshold
 * rules evaluated on every period; one small record per group), or null when the rule failed.
 */
async function runRule(client: pg.PoolClient, ctx: DetectionContext, rule: Rule, scope: Scope, stats: DetectionStats, run: RunRuleOptions = {}): Promise<GroupState[] | null> {
  await client.query("SAVEPOINT tw_rule");
  try {
    const states: GroupState[] = [];
    const changes: AlertChange[] = [];
    const budget = alertBudget(ctx.alertLimit);
    await scanFindings(client, rule, scope, { pageRows: ctx.pageRows, ...run.options }, async (page) => {
      const findings = run.select ? await run.select(page) : page.findings;
      changes.push(...(await recordFindings(client, rule, findings, budget)));
      states.push(...page.states);
    });
    await client.query("RELEASE SAVEPOINT tw_rule");
    if (budget.overflowGroups > 0) {
      ctx.log.warn({ ruleId: rule.id, limit: budget.limit, groups: budget.overflowGroups }, "rule reached its alert limit for this pass; the other groups joined its overflow alert");
    }
    stats.changes.push(...changes);
    return states;
  } catch (error) {
    await client.query("ROLLBACK TO SAVEPOINT tw_rule");
    const reason = (error as Error).message;
    stats.ruleErrors.push({ ruleId: rule.id, reason });
    ctx.log.error({ ruleId: rule.id, err: error }, "rule evaluation failed");
    return null;
  }
}

/** One whole pass — the queue, then the schedule — for processes that ingest and exit (demo, import). */
export async function detectOnce(ctx: DetectionContext, now: Date = new Date()): Promise<DetectionStats> {
  const drained = await drainDetectionQueue(ctx);
  const scheduled = await evaluateSchedule(ctx, now);
  return {
    objects: drained.objects,
    changes: [...drained.changes, ...scheduled.changes],
    ruleErrors: [...drained.ruleErrors, ...scheduled.ruleErrors],
  };
}
