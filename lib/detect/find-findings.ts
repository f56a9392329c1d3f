import type { Queryable } from "../db/queryable";
import { compileDatapointsQuery, compileMatchQuery, groupFields, SOURCE_TABLES, type Scope } from "./compile-rule";
import { evaluateAlarm, missingDataCanAlarm, type AlarmState, type Datapoint } from "./evaluate-alarm";
import type { Aggregation, Rule } from "./rule-schema";

/** One event behind a finding: CloudTrail (`recipientAccountId`, `eventID`); flow record (`""`, `"<object id>:<line>"`). */
export interface EventRef {
  account: string;
  ref: string;
}

/** Why a threshold rule fired: its CloudWatch terms and the breaching datapoints (period starts, UTC). */
export interface ThresholdReason {
  kind: "threshold";
  statistic: Aggregation["statistic"];
  field: string | null;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Aggregation["comparison"];
  datapoints: { periodStart: string; value: number }[];
}

export type FindingReason = { kind: "match" } | ThresholdReason;

/**
 * What a rule found for one group: the raw material of an alert.
 * Times are UTC; `matchCount` is exact, `events` lists at most MAX_EVENTS_PER_FINDING.
 */
export interface Finding {
  /** Group field (AWS name) → value, e.g. `{ "userIdentity.arn": "arn:aws:iam::…:user/alice" }`. */
  groupValues: Record<string, string | null>;
  /** The values joined, e.g. `111122223333 · arn:aws:iam::111122223333:user/alice`: the dedup key. */
  groupKey: string;
  firstSeen: Date;
  lastSeen: Date;
  matchCount: number;
  events: EventRef[];
  reason: FindingReason;
}

/** The alarm state of a threshold rule's group at the end of an evaluation. */
export interface GroupState {
  groupKey: string;
  state: AlarmState;
  /** End of the last evaluated period (UTC). */
  evaluatedUntil: Date;
  lastValue: number | null;
}

export interface Evaluated {
  findings: Finding[];
  /** Threshold rules only: each group's state at the last period evaluated. */
  states: GroupState[];
}

/**
 * Runs a rule's compiled SQL over `scope` and returns what it found. Read-only:
 * the same call serves detection (which then records alerts), the preview, the
 * CLI and the rule tests.
 *
 * - A rule without aggregation returns one finding per group and burst of
 *   matches (a gap over `dedupMinutes` starts a new burst).
 * - A threshold rule evaluates every period end that could include the scope's
 *   rows (for `objectIds`, the time span of those rows) and returns one finding
 *   per run of consecutive ALARM evaluations per group. Periods without data
 *   are evaluated when `missingDataCanAlarm` (then `scope.to` defaults to now).
 */
export async function findFindings(db: Queryable, rule: Rule, scope: Scope, options: FindOptions = {}): Promise<Evaluated> {
  if (!rule.aggregation) return { findings: await findMatches(db, rule, scope), states: [] };
  return findAlarms(db, rule, rule.aggregation, scope, options.everyPeriod ?? missingDataCanAlarm(rule.aggregation), options.latestOnly ?? false);
}

export interface FindOptions {
  /**
   * Threshold rules: evaluate every period of the span (and report each group's
   * state), not only periods with breaching datapoints. On by default for rules
   * raised by missing data; the scheduler turns it on to keep alarm states current.
   */
  everyPeriod?: boolean;
  /** With everyPeriod: evaluate only the last complete period of the span (the scheduler's "state now"). */
  latestOnly?: boolean;
}

interface GroupedRow {
  [column: string]: unknown;
  first_seen: Date;
  last_seen: Date;
  accounts: string[];
  refs: string[];
}

async function findMatches(db: Queryable, rule: Rule, scope: Scope): Promise<Finding[]> {
  const query = compileMatchQuery(rule, scope);
  const { rows } = await db.query<GroupedRow & { match_count: number }>(query.text, query.values);
  return rows.map((row) => ({
    ...group(rule, row),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    matchCount: row.match_count,
    events: eventsOf(row),
    reason: { kind: "match" },
  }));
}

async function findAlarms(db: Queryable, rule: Rule, agg: Aggregation, scope: Scope, everyPeriod: boolean, latestOnly: boolean): Promise<Evaluated> {
  const span = await timeSpan(db, rule, scope);
  if (!span) return { findings: [], states: [] };
  const period = agg.periodSeconds;
  const firstEnd = Math.floor(span.from.getTime() / 1000 / period);
  // Evaluating every period stops at the last complete one before the span's end (the
  // scheduler's "now"); otherwise every window that includes a period of the span is
  // evaluated, and those end up to N-1 periods after it.
  const lastEnd = everyPeriod
    ? Math.floor(span.to.getTime() / 1000 / period) - 1
    : Math.ceil(span.to.getTime() / 1000 / period) - 1 + agg.evaluationPeriods - 1;
  const from = new Date((firstEnd - agg.evaluationPeriods + 1) * period * 1000);
  const to = new Date((lastEnd + 1) * period * 1000);
  const query = compileDatapointsQuery(rule, { from, to }, !everyPeriod);
  const { rows } = await db.query<GroupedRow & { bucket: number; value: number; matches: number }>(query.text, query.values);

  const groups = new Map<string, { values: Finding["groupValues"]; rows: typeof rows }>();
  for (const row of rows) {
    const g = group(rule, row);
    const entry = groups.get(g.groupKey) ?? { values: g.groupValues, rows: [] };
    entry.rows.push(row);
    groups.set(g.groupKey, entry);
  }

  const findings: Finding[] = [];
  const states: GroupState[] = [];
  for (const [groupKey, { values, rows: groupRows }] of groups) {
    const byBucket = new Map(groupRows.map((r) => [Number(r.bucket), r]));
    const datapoints: Datapoint[] = groupRows.map((r) => ({ bucket: Number(r.bucket), value: r.value }));
    // Without every period, only windows ending at a breaching period can newly reach M of N.
    const ends = everyPeriod
      ? range(latestOnly ? lastEnd : Math.max(firstEnd, Math.min(...datapoints.map((d) => d.bucket))), lastEnd)
      : datapoints.map((d) => d.bucket).filter((b) => b >= firstEnd && b <= lastEnd);
    const evaluations = evaluateAlarm(datapoints, agg, ends);
    let run: Map<number, Datapoint> | null = null;
    const closeRun = () => {
      if (run && run.size > 0) findings.push(thresholdFinding(agg, groupKey, values, [...run.values()].map((d) => byBucket.get(d.bucket)!)));
      else if (run) findings.push(quietFinding(agg, groupKey, values, evaluations));
      run = null;
    };
    for (const e of evaluations) {
      if (e.state === "ALARM") {
        run ??= new Map();
        for (const d of e.breaching) run.set(d.bucket, d);
      } else closeRun();
    }
    closeRun();
    const last = evaluations.at(-1);
    if (everyPeriod && last?.state) {
      states.push({ groupKey, state: last.state, evaluatedUntil: new Date((last.end + 1) * period * 1000), lastValue: datapoints.find((d) => d.bucket === last.end)?.value ?? null });
    }
  }
  findings.sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
  return { findings, states };
}

/**
 * The time span a threshold evaluation must cover: for object ids, the times
 * of those objects' matching-source rows; otherwise the scope's range
 * (`to` defaults to now).
 */
async function timeSpan(db: Queryable, rule: Rule, scope: Scope): Promise<{ from: Date; to: Date } | null> {
  if (scope.objectIds) {
    const src = SOURCE_TABLES[rule.source];
    const { rows } = await db.query<{ min: Date | null; max: Date | null }>(
      `SELECT min("${src.time}") AS min, max("${src.time}") AS max FROM ${src.table} WHERE object_id = ANY($1::bigint[])`,
      [scope.objectIds.map(String)],
    );
    const span = rows[0];
    if (!span?.min || !span.max) return null;
    return { from: span.min, to: new Date(span.max.getTime() + 1) };
  }
  if (!scope.from) throw new Error("a threshold rule needs object ids or a start time to evaluate");
  return { from: scope.from, to: scope.to ?? new Date() };
}

function thresholdFinding(agg: Aggregation, groupKey: string, values: Finding["groupValues"], rows: (GroupedRow & { bucket: number; value: number; matches: number })[]): Finding {
  rows.sort((a, b) => Number(a.bucket) - Number(b.bucket));
  return {
    groupValues: values,
    groupKey,
    firstSeen: new Date(Math.min(...rows.map((r) => r.first_seen.getTime()))),
    lastSeen: new Date(Math.max(...rows.map((r) => r.last_seen.getTime()))),
    matchCount: rows.reduce((n, r) => n + r.matches, 0),
    events: rows.flatMap(eventsOf),
    reason: reasonOf(agg, rows.map((r) => ({ bucket: Number(r.bucket), value: r.value }))),
  };
}

/** An ALARM raised by missing data alone (a source that went quiet): no events, dated by the window. */
function quietFinding(agg: Aggregation, groupKey: string, values: Finding["groupValues"], evaluations: { end: number; state: AlarmState | null }[]): Finding {
  const alarmed = evaluations.filter((e) => e.state === "ALARM");
  const first = alarmed[0]!.end - agg.evaluationPeriods + 1;
  return {
    groupValues: values,
    groupKey,
    firstSeen: new Date(first * agg.periodSeconds * 1000),
    lastSeen: new Date((alarmed.at(-1)!.end + 1) * agg.periodSeconds * 1000),
    matchCount: 0,
    events: [],
    reason: reasonOf(agg, []),
  };
}

function reasonOf(agg: Aggregation, datapoints: Datapoint[]): ThresholdReason {
  return {
    kind: "threshold",
    statistic: agg.statistic,
    field: agg.field ?? null,
    periodSeconds: agg.periodSeconds,
    evaluationPeriods: agg.evaluationPeriods,
    datapointsToAlarm: agg.datapointsToAlarm,
    threshold: agg.threshold,
    comparison: agg.comparison,
    datapoints: datapoints.map((d) => ({ periodStart: new Date(d.bucket * agg.periodSeconds * 1000).toISOString(), value: d.value })),
  };
}

function group(rule: Rule, row: Record<string, unknown>): Pick<Finding, "groupKey" | "groupValues"> {
  const fields = groupFields(rule);
  const groupValues = Object.fromEntries(fields.map((f, i) => [f, (row[`g${i}`] as string | null) ?? null]));
  const groupKey = fields.map((f) => groupValues[f] ?? "-").join(" · ") || rule.id;
  return { groupKey, groupValues };
}

function eventsOf(row: GroupedRow): EventRef[] {
  return row.refs.map((ref, i) => ({ account: row.accounts[i] ?? "", ref }));
}

function range(first: number, last: number): number[] {
  const out: number[] = [];
  for (let b = first; b <= last; b++) out.push(b);
  return out;
}
