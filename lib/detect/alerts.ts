import { z } from "zod";
import type { Queryable } from "../db/queryable";
import type { FindingReason } from "./find-findings";
import { SEVERITIES, type Severity } from "./rule-schema";

/** An alert's lifecycle: open → acknowledged → resolved (a resolved alert can be reopened). */
export const ALERT_STATES = ["open", "acknowledged", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One alert as lists and the API show it. Times are UTC. */
export interface AlertSummary {
  id: number;
  ruleId: string;
  ruleTitle: string;
  severity: Severity;
  techniques: string[];
  source: string;
  groupKey: string;
  groupValues: Record<string, string | null>;
  accountId: string | null;
  state: AlertState;
  firstSeen: Date;
  lastSeen: Date;
  matchCount: number;
}

/** Filters of the alerts list (all optional; `from`/`to` bound `lastSeen`, `to` exclusive). */
export const alertFilterSchema = z.object({
  severity: z.array(z.enum(SEVERITIES)).optional(),
  state: z.array(z.enum(ALERT_STATES)).optional(),
  ruleId: z.string().min(1).optional(),
  account: z.string().regex(/^\d{12}$/).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type AlertFilter = z.input<typeof alertFilterSchema>;

const SUMMARY_COLUMNS = `id, rule_id AS "ruleId", rule_title AS "ruleTitle", severity, techniques, source, group_key AS "groupKey",
  group_values AS "groupValues", account_id AS "accountId", state, first_seen AS "firstSeen", last_seen AS "lastSeen", match_count AS "matchCount"`;

/** Alerts matching `filter`, most recently active first. Throws a ZodError on a bad filter. */
export async function listAlerts(db: Queryable, filter: AlertFilter = {}): Promise<AlertSummary[]> {
  const f = alertFilterSchema.parse(filter);
  const { where, values } = alertWhere(f);
  values.push(f.limit);
  const { rows } = await db.query<AlertSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM alerts ${where} ORDER BY last_seen DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  return rows;
}

/** Alerts matching `filter` (ignoring `severity`) counted per severity, every severity present (0 when none). */
export async function countAlertsBySeverity(db: Queryable, filter: AlertFilter = {}): Promise<Record<Severity, number>> {
  const f = alertFilterSchema.parse({ ...filter, severity: undefined });
  const { where, values } = alertWhere(f);
  const { rows } = await db.query<{ severity: Severity; n: number }>(`SELECT severity, count(*)::int AS n FROM alerts ${where} GROUP BY severity`, values);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of rows) counts[row.severity] = row.n;
  return counts;
}

/** Rule ids that have alerts, with their titles (for the rule filter). */
export async function alertRules(db: Queryable): Promise<{ ruleId: string; ruleTitle: string }[]> {
  const { rows } = await db.query<{ ruleId: string; ruleTitle: string }>(
    `SELECT rule_id AS "ruleId", max(rule_title) AS "ruleTitle" FROM alerts GROUP BY rule_id ORDER BY 2`,
  );
  return rows;
}

function alertWhere(f: z.output<typeof alertFilterSchema>): { where: string; values: unknown[] } {
  const values: unknown[] = [];
  const parts: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    values.push(value);
    parts.push(sql(`$${values.length}`));
  };
  if (f.severity?.length) add((p) => `severity = ANY(${p}::text[])`, f.severity);
  if (f.state?.length) add((p) => `state = ANY(${p}::text[])`, f.state);
  if (f.ruleId) add((p) => `rule_id = ${p}`, f.ruleId);
  if (f.account) add((p) => `account_id = ${p}`, f.account);
  if (f.from) add((p) => `last_seen >= ${p}`, f.from);
  if (f.to) add((p) => `last_seen < ${p}`, f.to);
  return { where: parts.length ? `WHERE ${parts.join(" AND ")}` : "", values };
}

/** One lifecycle step of an alert. */
export interface AlertHistoryEntry {
  at: Date;
  actor: string;
  action: string;
  comment: string | null;
}

/** An event behind an alert, with the hot fields a list shows. CloudTrail: `ref` is the eventID; flows: `<object id>:<line>`. */
export interface AlertEvent {
  account: string;
  ref: string;
  time: Date | null;
  /** CloudTrail: eventName; flows: `srcaddr:srcport → dstaddr:dstport action`. */
  summary: string | null;
  principal: string | null;
  sourceIp: string | null;
}

export interface AlertDetail extends AlertSummary {
  reason: FindingReason;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionComment: string | null;
  history: AlertHistoryEntry[];
  /** The first `eventLimit` events, in time order. */
  events: AlertEvent[];
}

/** One alert with its reason, lifecycle and events, or null when there is no such alert. */
export async function getAlert(db: Queryable, id: number, eventLimit = 500): Promise<AlertDetail | null> {
  const { rows } = await db.query<Omit<AlertDetail, "history" | "events">>(
    `SELECT ${SUMMARY_COLUMNS}, reason, acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt",
            resolved_by AS "resolvedBy", resolved_at AS "resolvedAt", resolution_comment AS "resolutionComment"
       FROM alerts WHERE id = $1`,
    [id],
  );
  const alert = rows[0];
  if (!alert) return null;
  const history = await db.query<AlertHistoryEntry>(`SELECT at, actor, action, comment FROM alert_history WHERE alert_id = $1 ORDER BY at, id`, [id]);
  const events =
    alert.source === "cloudtrail"
      ? await db.query<AlertEvent>(
          `SELECT ae.event_account AS account, ae.event_ref AS ref, e.event_time AS time, e.event_name AS summary,
                  coalesce(e.user_identity_arn, e.user_identity_user_name, e.user_identity_invoked_by) AS principal, e.source_ip_address AS "sourceIp"
             FROM alert_events ae
             LEFT JOIN cloudtrail_events e ON e.recipient_account_id = ae.event_account AND e.event_id = ae.event_ref
            WHERE ae.alert_id = $1 ORDER BY e.event_time NULLS LAST, ae.event_ref LIMIT $2`,
          [id, eventLimit],
        )
      : await db.query<AlertEvent>(
          `SELECT ae.event_account AS account, ae.event_ref AS ref, f.start AS time,
                  host(f.srcaddr) || ':' || coalesce(f.srcport::text, '-') || ' → ' || host(f.dstaddr) || ':' || coalesce(f.dstport::text, '-') || ' ' || coalesce(f.action, '') AS summary,
                  f.interface_id AS principal, host(f.srcaddr) AS "sourceIp"
             FROM alert_events ae
             LEFT JOIN flow_records f ON f.object_id = split_part(ae.event_ref, ':', 1)::bigint AND f.line_number = split_part(ae.event_ref, ':', 2)::int
            WHERE ae.alert_id = $1 ORDER BY f.start NULLS LAST, ae.event_ref LIMIT $2`,
          [id, eventLimit],
        );
  return { ...alert, history: history.rows, events: events.rows };
}

/** What happened around the alert's actor: their CloudTrail events from an hour before the first match to an hour after the last. */
export interface ActorActivity {
  principal: string;
  /** The field the principal is (for search links). */
  field: "userIdentity.arn" | "userIdentity.userName";
  events: { account: string; eventId: string; time: Date; eventName: string | null; eventSource: string | null; sourceIp: string | null; errorCode: string | null }[];
}

/**
 * The surrounding activity of a CloudTrail alert's actor — the group's
 * `userIdentity.arn` (else its `userIdentity.userName`, else the first event's
 * principal), matched as ARN or user name — at most `limit` events; null for
 * flow alerts or when no actor is known.
 */
export async function actorActivity(db: Queryable, alert: AlertDetail, limit = 50): Promise<ActorActivity | null> {
  if (alert.source !== "cloudtrail") return null;
  const principal = alert.groupValues["userIdentity.arn"] ?? alert.groupValues["userIdentity.userName"] ?? alert.events.find((e) => e.principal)?.principal ?? null;
  if (!principal) return null;
  const hour = 3_600_000;
  const { rows } = await db.query<ActorActivity["events"][number]>(
    `SELECT recipient_account_id AS account, event_id AS "eventId", event_time AS time, event_name AS "eventName",
            event_source AS "eventSource", source_ip_address AS "sourceIp", error_code AS "errorCode"
       FROM cloudtrail_events
      WHERE event_time >= $2 AND event_time < $3 AND (user_identity_arn = $1 OR user_identity_user_name = $1)
      ORDER BY event_time LIMIT $4`,
    [principal, new Date(alert.firstSeen.getTime() - hour), new Date(alert.lastSeen.getTime() + hour), limit],
  );
  return { principal, field: principal.startsWith("arn:") ? "userIdentity.arn" : "userIdentity.userName", events: rows };
}

/** A lifecycle step: `acknowledge` (open → acknowledged), `resolve` (open/acknowledged → resolved), `reopen` (resolved → open). */
export const ALERT_ACTIONS = ["acknowledge", "resolve", "reopen"] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const TRANSITIONS: Record<AlertAction, { from: AlertState[]; to: AlertState; history: string }> = {
  acknowledge: { from: ["open"], to: "acknowledged", history: "acknowledged" },
  resolve: { from: ["open", "acknowledged"], to: "resolved", history: "resolved" },
  reopen: { from: ["resolved"], to: "open", history: "reopened" },
};

export class AlertTransitionError extends Error {
  override name = "AlertTransitionError";
}

/**
 * Moves an alert through its lifecycle, recording who, when and an optional
 * comment in its history, and queueing the change (`acknowledged`, `resolved`,
 * `reopened`) in `notification_outbox` for the channels that want it. Throws AlertTransitionError when the alert does not
 * exist or is not in a state the action applies to (e.g. resolving a resolved alert).
 */
export async function changeAlertState(db: Queryable, id: number, action: AlertAction, actor: string, comment?: string): Promise<AlertState> {
  const t = TRANSITIONS[action];
  const note = comment?.trim() ? comment.trim().slice(0, 2000) : null;
  const { rows } = await db.query<{ state: AlertState }>(
    `WITH changed AS (
       UPDATE alerts SET state = $3, updated_at = now(),
         acknowledged_by = CASE WHEN $3 = 'acknowledged' THEN $4 ELSE acknowledged_by END,
         acknowledged_at = CASE WHEN $3 = 'acknowledged' THEN now() ELSE acknowledged_at END,
         resolved_by = CASE WHEN $3 = 'resolved' THEN $4 WHEN $3 = 'open' THEN NULL ELSE resolved_by END,
         resolved_at = CASE WHEN $3 = 'resolved' THEN now() WHEN $3 = 'open' THEN NULL ELSE resolved_at END,
         resolution_comment = CASE WHEN $3 = 'resolved' THEN $5 WHEN $3 = 'open' THEN NULL ELSE resolution_comment END
       WHERE id = $1 AND state = ANY($2::text[]) RETURNING id, state
     ), logged AS (
       INSERT INTO alert_history (alert_id, actor, action, comment) SELECT id, $4, $6, $5 FROM changed
     ), notified AS (
       INSERT INTO notification_outbox (alert_id, event) SELECT id, $6 FROM changed
     )
     SELECT state FROM changed`,
    [id, t.from, t.to, actor, note, t.history],
  );
  if (!rows[0]) throw new AlertTransitionError(`alert ${id} does not exist or cannot be ${t.history} from its current state`);
  return rows[0].state;
}

/** The events behind each alert id (all of them), as `<account>/<eventID>` (CloudTrail) or `<account>/<object id>:<line>` (flows). */
export async function alertEventRefs(db: Queryable, alertIds: number[]): Promise<Map<number, string[]>> {
  const { rows } = await db.query<{ alert_id: number; refs: string[] }>(
    `SELECT alert_id, array_agg(CASE WHEN event_account = '' THEN event_ref ELSE event_account || '/' || event_ref END ORDER BY event_ref) AS refs
       FROM alert_events WHERE alert_id = ANY($1::bigint[]) GROUP BY alert_id`,
    [alertIds],
  );
  return new Map(rows.map((r) => [Number(r.alert_id), r.refs]));
}

/** Default states of the alerts list: what still needs someone. */
export const ACTIVE_STATES: AlertState[] = ["open", "acknowledged"];

/**
 * The alerts filter a URL carries (page and API alike): `severity` and `state`
 * (repeatable; `state=all` for every state; default open + acknowledged),
 * `rule`, `account`, `from` / `to` (ISO 8601 UTC, bound the last match), `limit`.
 * Unknown values are dropped rather than refused: the filter is a convenience.
 */
export function alertFilterFromParams(get: (name: string) => string[]): z.output<typeof alertFilterSchema> {
  const one = (name: string) => get(name)[0]?.trim() || undefined;
  const states = get("state");
  const date = (name: string) => {
    const text = one(name);
    // A value without a zone (an HTML datetime-local field) is UTC, like every time Trailwatch shows.
    const d = text ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`) : undefined;
    return d && !Number.isNaN(d.getTime()) ? d : undefined;
  };
  const limit = Number(one("limit") ?? 200);
  return alertFilterSchema.parse({
    severity: get("severity").filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s)),
    state: states.includes("all") ? undefined : states.length ? states.filter((s): s is AlertState => (ALERT_STATES as readonly string[]).includes(s)) : ACTIVE_STATES,
    ruleId: one("rule"),
    account: /^\d{12}$/.test(one("account") ?? "") ? one("account") : undefined,
    from: date("from"),
    to: date("to"),
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : 200,
  });
}
