import type pg from "pg";
import type { Finding, GroupState } from "./find-findings";
import type { Rule } from "./rule-schema";

/** The actor recorded for changes Trailwatch makes itself. */
export const SYSTEM_ACTOR = "trailwatch";

/** What recording a finding did to the alerts table. */
export interface AlertChange {
  alertId: number;
  /** `opened`: a new alert; `updated`: new events attached to an open one. */
  change: "opened" | "updated";
  ruleId: string;
  groupKey: string;
  newEvents: number;
}

/**
 * How many alerts a rule may open in one detection pass (one object batch, one backfill range) before its other
 * findings of that pass join one overflow alert instead, as Elastic's `max_signals` caps a rule's run. A noisy rule
 * over a large object (`vpc-unusual-outbound-port` on a 1 GB flow object: 182,664 groups) would otherwise open one
 * alert and one notification per group, and hold the detection queue for as long as that takes.
 */
export const ALERT_LIMIT = 1_000;

/** The group key of a rule's overflow alert: the findings of a pass past its {@link AlertBudget}, with their events. */
export const OVERFLOW_GROUP_KEY = "(more groups)";

/** What a rule may still open in the current pass; `overflowGroups` counts the findings sent to its overflow alert. */
export interface AlertBudget {
  limit: number;
  left: number;
  overflowGroups: number;
}

export function alertBudget(limit: number = ALERT_LIMIT): AlertBudget {
  return { limit, left: limit, overflowGroups: 0 };
}

/**
 * Turns findings into alerts inside the caller's transaction, deduplicated:
 * - an event is attached to at most one alert per rule (alert_events is unique
 *   on rule + event), so re-evaluating rows changes nothing;
 * - a finding whose events are all attached already is ignored;
 * - new events join the open (or acknowledged) alert of the same rule and group
 *   key whose last match is at most `rule.dedupMinutes` before them; otherwise
 *   a new alert opens;
 * - once the pass's `budget` has no alerts left, the rest of the findings are merged into one finding per call,
 *   group key {@link OVERFLOW_GROUP_KEY}, recorded the same way (so it opens one alert and notifies once).
 * Concurrent evaluators serialise per rule with one advisory lock, held to the end of the transaction (another
 * worker must see this one's alerts before it looks for an open one). One lock per rule, not per group key: a rule
 * with thousands of findings on one object took a lock each and filled PostgreSQL's shared lock table
 * (`max_locks_per_transaction` × connections), failing the rule and any other session's statement meanwhile.
 * Workers take rule locks in the catalogue's order, so they cannot deadlock.
 * An opened alert also enters `notification_outbox`, in the same transaction.
 */
export async function recordFindings(client: pg.ClientBase, rule: Rule, findings: readonly Finding[], budget: AlertBudget = alertBudget(Infinity)): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  if (findings.length === 0) return changes;
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`findings\n${rule.id}`]);
  const overflow: Finding[] = [];
  for (const finding of findings) {
    if (budget.left <= 0) overflow.push(finding);
    else {
      const change = await recordFinding(client, rule, finding);
      if (change?.change === "opened") budget.left -= 1;
      if (change) changes.push(change);
    }
  }
  if (overflow.length > 0) {
    budget.overflowGroups += overflow.length;
    const change = await recordFinding(client, rule, overflowFinding(overflow, budget.limit));
    if (change) changes.push(change);
  }
  return changes;
}

/** One finding into alerts (see {@link recordFindings}); null when it changed nothing worth reporting. */
async function recordFinding(client: pg.ClientBase, rule: Rule, finding: Finding): Promise<AlertChange | null> {
  const fresh = await newEvents(client, rule.id, finding);
  if (finding.events.length > 0 && fresh.accounts.length === 0) return null;
  const alreadyAttached = finding.events.length - fresh.accounts.length;
  const matches = Math.max(finding.matchCount - alreadyAttached, fresh.accounts.length);

  const open = await client.query<{ id: number }>(
    `SELECT id FROM alerts
      WHERE rule_id = $1 AND group_key = $2 AND state IN ('open', 'acknowledged')
        AND last_seen >= $3::timestamptz - make_interval(mins => $4)
      ORDER BY last_seen DESC LIMIT 1`,
    [rule.id, finding.groupKey, finding.firstSeen, rule.dedupMinutes],
  );
  let alertId: number;
  let change: AlertChange;
  if (open.rows[0]) {
    alertId = open.rows[0].id;
    await client.query(
      `UPDATE alerts SET match_count = match_count + $2, first_seen = least(first_seen, $3), last_seen = greatest(last_seen, $4),
              reason = $5, updated_at = now() WHERE id = $1`,
      [alertId, matches, finding.firstSeen, finding.lastSeen, finding.reason],
    );
    if (fresh.accounts.length === 0) return null;
    change = { alertId, change: "updated", ruleId: rule.id, groupKey: finding.groupKey, newEvents: fresh.accounts.length };
  } else {
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO alerts (rule_id, rule_title, severity, techniques, source, group_key, group_values, account_id,
                           first_seen, last_seen, match_count, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [rule.id, rule.title, rule.severity, rule.techniques, rule.source, finding.groupKey, finding.groupValues,
        accountOf(finding), finding.firstSeen, finding.lastSeen, matches, finding.reason],
    );
    alertId = inserted.rows[0]!.id;
    await client.query(`INSERT INTO alert_history (alert_id, actor, action) VALUES ($1, $2, 'opened')`, [alertId, SYSTEM_ACTOR]);
    // The notification outbox (lib/notify routes and sends it after this transaction commits).
    await client.query(`INSERT INTO notification_outbox (alert_id, event) VALUES ($1, 'opened')`, [alertId]);
    change = { alertId, change: "opened", ruleId: rule.id, groupKey: finding.groupKey, newEvents: fresh.accounts.length };
  }
  await client.query(
    `INSERT INTO alert_events (alert_id, rule_id, event_account, event_ref)
     SELECT $1, $2, a, r FROM unnest($3::text[], $4::text[]) AS x(a, r) ON CONFLICT DO NOTHING`,
    [alertId, rule.id, fresh.accounts, fresh.refs],
  );
  return change;
}

/**
 * Findings past a pass's alert budget as one: their events and matches together, from the first to the last, under
 * {@link OVERFLOW_GROUP_KEY}; its one group value says why. Its reason is a match's: no one group's datapoints.
 */
function overflowFinding(findings: readonly Finding[], limit: number): Finding {
  return {
    groupKey: OVERFLOW_GROUP_KEY,
    groupValues: { [OVERFLOW_GROUP_KEY]: `groups found after this rule opened ${limit} alerts in one detection pass` },
    firstSeen: findings.reduce((t, f) => (f.firstSeen < t ? f.firstSeen : t), findings[0]!.firstSeen),
    lastSeen: findings.reduce((t, f) => (f.lastSeen > t ? f.lastSeen : t), findings[0]!.lastSeen),
    matchCount: findings.reduce((n, f) => n + f.matchCount, 0),
    events: findings.flatMap((f) => f.events),
    reason: { kind: "match" },
  };
}

/** The finding's events no alert of this rule holds yet. */
async function newEvents(client: pg.ClientBase, ruleId: string, finding: Finding): Promise<{ accounts: string[]; refs: string[] }> {
  if (finding.events.length === 0) return { accounts: [], refs: [] };
  const { rows } = await client.query<{ a: string; r: string }>(
    `SELECT DISTINCT x.a, x.r FROM unnest($2::text[], $3::text[]) AS x(a, r)
      WHERE NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.rule_id = $1 AND e.event_account = x.a AND e.event_ref = x.r)`,
    [ruleId, finding.events.map((e) => e.account), finding.events.map((e) => e.ref)],
  );
  return { accounts: rows.map((r) => r.a), refs: rows.map((r) => r.r) };
}

/** The account an alert is filed under: the group's account field, else its first event's. */
function accountOf(finding: Finding): string | null {
  const grouped = finding.groupValues["recipientAccountId"] ?? finding.groupValues["account-id"];
  return grouped ?? (finding.events[0]?.account || null);
}

/**
 * Stores threshold rules' alarm states per group (OK / ALARM / INSUFFICIENT_DATA),
 * keeping `state_since` while the state is unchanged. A state older than the stored one is ignored.
 */
export async function recordAlarmStates(client: pg.ClientBase, ruleId: string, states: readonly GroupState[]): Promise<void> {
  for (const s of states) {
    await client.query(
      `INSERT INTO alarm_states (rule_id, group_key, state, state_since, evaluated_until, last_value)
       VALUES ($1, $2, $3, $4, $4, $5)
       ON CONFLICT (rule_id, group_key) DO UPDATE SET
         state_since = CASE WHEN alarm_states.state = EXCLUDED.state THEN alarm_states.state_since ELSE EXCLUDED.evaluated_until END,
         state = EXCLUDED.state, evaluated_until = EXCLUDED.evaluated_until, last_value = EXCLUDED.last_value, updated_at = now()
       WHERE alarm_states.evaluated_until <= EXCLUDED.evaluated_until`,
      [ruleId, s.groupKey, s.state, s.evaluatedUntil, s.lastValue],
    );
  }
}
