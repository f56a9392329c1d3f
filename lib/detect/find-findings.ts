import type pg from "pg";
import { queryPages } from "../db/query-pages";
import { compileDatapointsQuery, compileMatchQuery, groupFields, SOURCE_TABLES, type Scope } from "./compile-rule";
import { breaches, evaluateAlarm, missingDataCanAlarm, type AlarmState, type Datapoint } from "./evaluate-alarm";
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
 * Times are UTC; `matchCount` is exact; `events` lists at most MAX_EVENTS_PER_FINDING (a threshold finding: at most
 * that many per breaching period).
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
 * Rows of a rule's result read per FETCH (see `scanFindings`). A row carries up to MAX_EVENTS_PER_FINDING event refs,
 * about 1.3 MB in the process at that cap (the parsed arrays plus their EventRefs), so a page holds at most ~20 MB
 * whatever the scope's size (a threshold rule also holds the datapoints of the group being read, at most one per
 * period of the span, with events only when they breach). Recording a finding takes four or more statements, so a FETCH per 16 rows adds few round trips.
 */
export const FINDINGS_PAGE_ROWS = 16;

/**
 * Runs a rule's compiled SQL over `scope` and returns everything it found, findings ordered by `firstSeen`.
 * Read-only: serves the preview and the rule tests (`scanFindings` for what it does and needs). It holds all findings
 * with their events, so it reads the result in one FETCH unless `options.pageRows` says otherwise: pages would save
 * nothing, and one statement keeps a caller's `statement_timeout` (the preview's) a bound on the whole query.
 * Detection, over scopes of any size, uses `scanFindings`.
 */
export async function findFindings(client: pg.ClientBase, rule: Rule, scope: Scope, options: FindOptions = {}): Promise<Evaluated> {
  const all: Evaluated = { findings: [], states: [] };
  await scanFindings(client, rule, scope, { pageRows: Infinity, ...options }, async (page) => {
    all.findings.push(...page.findings);
    all.states.push(...page.states);
  });
  // Match findings arrive in this order already; threshold findings arrive group by group.
  all.findings.sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
  return all;
}

/**
 * Runs a rule's compiled SQL over `scope` and hands what it found to `onPage`, a page at a time, each finding whole
 * (with all its events) in exactly one page. Read-only. The result is read through a server-side cursor
 * (`queryPages`), `options.pageRows` rows at a time, so the process holds one page of rows and the findings made from
 * them, never the whole result: must run inside a transaction on `client`. `onPage` may use the client (detection
 * records each page's alerts before the next is read).
 *
 * - A rule without aggregation: one finding per group and burst of matches (a gap over `dedupMinutes` starts a new
 *   burst), pages in `firstSeen` order.
 * - A threshold rule evaluates every period end that could include the scope's rows (for `objectIds`, the time span
 *   of those rows) and finds one finding per run of consecutive ALARM evaluations per group. Its datapoints are read
 *   in group order, and a group's findings (and state) are handed on once its last datapoint is read, so the process
 *   holds one group's datapoints at a time. Periods without data are evaluated when `missingDataCanAlarm` (then
 *   `scope.to` defaults to now).
 */
export async function scanFindings(client: pg.ClientBase, rule: Rule, scope: Scope, options: FindOptions, onPage: (page: Evaluated) => Promise<void>): Promise<void> {
  const pageRows = options.pageRows ?? FINDINGS_PAGE_ROWS;
  if (!rule.aggregation) return scanMatches(client, rule, scope, pageRows, onPage);
  const everyPeriod = options.everyPeriod ?? missingDataCanAlarm(rule.aggregation);
  return scanAlarms(client, rule, rule.aggregation, scope, { everyPeriod, latestOnly: options.latestOnly ?? false, pageRows }, onPage);
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
  /** Result rows read per FETCH (scanFindings: default FINDINGS_PAGE_ROWS; Infinity: one FETCH ALL); tests force tiny pages. */
  pageRows?: number;
}

interface GroupedRow {
  [column: string]: unknown;
  first_seen: Date;
  last_seen: Date;
  accounts: string[];
  refs: string[];
}

type DatapointRow = GroupedRow & { bucket: number; value: number; matches: number };

/** One group's datapoint rows, bucket order. */
type GroupRows = Pick<Finding, "groupKey" | "groupValues"> & { rows: DatapointRow[] };

async function scanMatches(client: pg.ClientBase, rule: Rule, scope: Scope, pageRows: number, onPage: (page: Evaluated) => Promise<void>): Promise<void> {
  await queryPages<GroupedRow & { match_count: number }>(client, compileMatchQuery(rule, scope), pageRows, async (rows) => {
    const findings: Finding[] = rows.map((row) => ({
      ...group(rule, row),
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      matchCount: row.match_count,
      events: eventsOf(row),
      reason: { kind: "match" },
    }));
    await onPage({ findings, states: [] });
  });
}

/** The periods a threshold evaluation covers: ends `firstEnd`…`lastEnd` (bucket numbers, i.e. epoch seconds / period). */
interface AlarmSpan {
  firstEnd: number;
  lastEnd: number;
  everyPeriod: boolean;
  latestOnly: boolean;
}

async function scanAlarms(
  client: pg.ClientBase, rule: Rule, agg: Aggregation, scope: Scope,
  options: { everyPeriod: boolean; latestOnly: boolean; pageRows: number }, onPage: (page: Evaluated) => Promise<void>,
): Promise<void> {
  const span = await timeSpan(client, rule, scope);
  if (!span) return;
  const period = agg.periodSeconds;
  const firstEnd = Math.floor(span.from.getTime() / 1000 / period);
  // Evaluating every period stops at the last complete one before the span's end (the
  // scheduler's "now"); otherwise every window that includes a period of the span is
  // evaluated, and those end up to N-1 periods after it.
  const lastEnd = options.everyPeriod
    ? Math.floor(span.to.getTime() / 1000 / period) - 1
    : Math.ceil(span.to.getTime() / 1000 / period) - 1 + agg.evaluationPeriods - 1;
  const from = new Date((firstEnd - agg.evaluationPeriods + 1) * period * 1000);
  const to = new Date((lastEnd + 1) * period * 1000);
  const alarmSpan: AlarmSpan = { firstEnd, lastEnd, everyPeriod: options.everyPeriod, latestOnly: options.latestOnly };

  // The rows of one group are consecutive (the query orders by group, then bucket): a group is evaluated when the
  // next one starts, or at the end; only its rows (and their events when they breach) are held until then.
  let current = null as GroupRows | null;
  await queryPages<DatapointRow>(client, compileDatapointsQuery(rule, { from, to }, !options.everyPeriod), options.pageRows, async (rows) => {
    const page: Evaluated = { findings: [], states: [] };
    for (const row of rows) {
      const g = group(rule, row);
      if (current && current.groupKey !== g.groupKey) {
        evaluateGroup(agg, alarmSpan, current, page);
        current = null;
      }
      current ??= { ...g, rows: [] };
      // Only a breaching datapoint's events can be behind a finding: the others' (read when every period is
      // evaluated, e.g. the scheduler's day of look-back) are let go as they arrive.
      if (!breaches(row.value, agg)) row.refs = row.accounts = [];
      current.rows.push(row);
    }
    if (page.findings.length || page.states.length) await onPage(page);
  });
  if (current) {
    const page: Evaluated = { findings: [], states: [] };
    evaluateGroup(agg, alarmSpan, current, page);
    if (page.findings.length || page.states.length) await onPage(page);
  }
}

/**
 * Evaluates one group's datapoints over the span and adds its findings (one per run of consecutive ALARM
 * evaluations) and, when every period is evaluated, its state at the last one, to `out`.
 */
function evaluateGroup(agg: Aggregation, span: AlarmSpan, { groupKey, groupValues: values, rows }: GroupRows, out: Evaluated): void {
  const { firstEnd, lastEnd, everyPeriod, latestOnly } = span;
  const byBucket = new Map(rows.map((r) => [Number(r.bucket), r]));
  const datapoints: Datapoint[] = rows.map((r) => ({ bucket: Number(r.bucket), value: r.value }));
  // Without every period, only windows ending at a breaching period can newly reach M of N.
  const ends = everyPeriod
    ? range(latestOnly ? lastEnd : Math.max(firstEnd, Math.min(...datapoints.map((d) => d.bucket))), lastEnd)
    : datapoints.map((d) => d.bucket).filter((b) => b >= firstEnd && b <= lastEnd);
  const evaluations = evaluateAlarm(datapoints, agg, ends);
  let run: Map<number, Datapoint> | null = null;
  const closeRun = () => {
    if (run && run.size > 0) out.findings.push(thresholdFinding(agg, groupKey, values, [...run.values()].map((d) => byBucket.get(d.bucket)!)));
    else if (run) out.findings.push(quietFinding(agg, groupKey, values, evaluations));
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
    out.states.push({ groupKey, state: last.state, evaluatedUntil: new Date((last.end + 1) * agg.periodSeconds * 1000), lastValue: datapoints.find((d) => d.bucket === last.end)?.value ?? null });
  }
}

/**
 * The time span a threshold evaluation must cover: for object ids, the times
 * of those objects' matching-source rows; otherwise the scope's range
 * (`to` defaults to now).
 */
async function timeSpan(db: pg.ClientBase, rule: Rule, scope: Scope): Promise<{ from: Date; to: Date } | null> {
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

function thresholdFinding(agg: Aggregation, groupKey: string, values: Finding["groupValues"], rows: DatapointRow[]): Finding {
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
