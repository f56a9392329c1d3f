import { getPool } from "../db/pool";
import { FAILED, SENSITIVE_CHANGE_CATEGORIES, type ChangeCategory } from "./change-catalogue";
import { CONSOLE_LOGIN, CONSOLE_LOGIN_FAILURE } from "./sign-in-selections";
import { toNumber, type Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import { groupRows, listEvents, measureCounts, timeSeries, type EventRow, type GroupRow, type SeriesLegend, type SeriesPoint } from "./report-query";
import { isLiteral, type Selection } from "./selection";
import type { BucketUnit } from "./time-range";

export { MAX_BUCKETS, type SeriesLegend } from "./report-query";

/**
 * The Overview report: one function per panel over a scope — a half-open UTC interval `[from, to)`,
 * optionally one account and one region (see lib/reports/report-filters.ts). Every number comes with
 * the search link (`/events?…`, `/flows?…`) listing exactly the records it counts.
 * Each function takes the database as an optional last argument (default: the process pool).
 */

/** A half-open interval `[from, to)` of UTC instants. */
export interface ReportRange {
  from: Date;
  to: Date;
}

export interface OverviewKpis {
  /** CloudTrail events in the scope. */
  events: number;
  /** Events with `readOnly` false or absent (an unknown event is treated as a possible change). */
  writeEvents: number;
  /** Distinct `userIdentity.arn` values (events without an ARN, e.g. some AWS service calls, are not counted). */
  principals: number;
  /** Distinct `sourceIPAddress` values (these may be AWS service names such as `s3.amazonaws.com`). */
  sourceIps: number;
  /** Events with an `errorCode`. */
  errors: number;
  /** `errors / events`, from 0 to 1; 0 when there are no events. */
  errorRate: number;
  /** `ConsoleLogin` events (successes and failures). */
  consoleLogins: number;
  /** `ConsoleLogin` events whose `responseElements.ConsoleLogin` is `Failure`. */
  failedLogins: number;
  /** Open alerts active in the range (last seen at or after `from`, first seen before `to`), of the account when one is chosen;
   * null when this database has no alerts table. Alerts carry no region: the region filter does not apply. */
  openAlerts: number | null;
  /** Sum of `bytes` of flow records with action ACCEPT whose `start` is in the scope, in bytes. */
  flowBytesAccepted: number;
  /** Same for action REJECT, in bytes. */
  flowBytesRejected: number;
}

/** The search link behind each KPI (the records it counts or is computed from); null where none exists. */
export type OverviewKpiHrefs = Record<Exclude<keyof OverviewKpis, "errorRate">, string | null>;

export interface TopOptions extends ReportScope {
  /** Rows to return, 1 to 100; default 10. */
  limit?: number;
}

export interface TopRow {
  /** The grouped value exactly as stored (attacker-controlled: render it as text only). */
  value: string;
  count: number;
  /** The events counted (null when the value cannot be written as a plain link value). */
  href: string | null;
  /**
   * Present when the row was read from a leader board (lib/reports/leaders.ts: top principals and source addresses
   * over every account and region): `count` is then a lower bound, and the true count lies in [count, count + margin].
   */
  margin?: number;
}

export interface ErrorsOverTime {
  /** The most frequent error codes of the scope, then "other codes" when there are more. */
  series: SeriesLegend[];
  points: SeriesPoint<string>[];
}

export interface AccountRegionRow {
  account: string;
  /** null for events without `awsRegion`. */
  region: string | null;
  count: number;
  href: string | null;
}

export interface SensitiveChanges {
  /** Per category: the events of the scope (succeeded or not) and their link. */
  categories: { id: string; label: string; count: number; href: string | null }[];
  /** The newest events of all categories, newest first, each with its category. */
  recent: (EventRow & { category: string })[];
}

/** All Overview panels, as the page and `GET /api/reports/overview` return them. */
export interface OverviewReport {
  kpis: OverviewKpis;
  kpiHrefs: OverviewKpiHrefs;
  bucket: BucketUnit;
  /** Events per bucket: `read` (readOnly true) and `write`. */
  eventsOverTime: SeriesPoint<"read" | "write">[];
  errorsOverTime: ErrorsOverTime;
  topEventSources: TopRow[];
  topEventNames: TopRow[];
  topPrincipals: TopRow[];
  topSourceIps: TopRow[];
  eventsByAccountRegion: AccountRegionRow[];
  sensitiveChanges: SensitiveChanges;
}

const READ: Selection = { include: { readOnly: true } };
const WRITE: Selection = { exclude: { readOnly: true } };

/** KPI tiles: event volume, writes, distinct actors, error rate, console sign-ins, open alerts, flow bytes. */
export async function overviewKpis(scope: ReportScope, db: Queryable = getPool()): Promise<{ kpis: OverviewKpis; hrefs: OverviewKpiHrefs }> {
  const [events, flows, alerts] = await Promise.all([
    measureCounts(db, {
      source: "cloudtrail",
      scope,
      measures: {
        events: { kind: "count" },
        writeEvents: { kind: "count", where: WRITE },
        principals: { kind: "distinct", field: "userIdentity.arn" },
        sourceIps: { kind: "distinct", field: "sourceIPAddress" },
        errors: { kind: "count", where: FAILED },
        consoleLogins: { kind: "count", where: CONSOLE_LOGIN },
        failedLogins: { kind: "count", where: CONSOLE_LOGIN_FAILURE },
      },
    }),
    measureCounts(db, {
      source: "vpcflow",
      scope,
      measures: {
        flowBytesAccepted: { kind: "sum", field: "bytes", where: { include: { action: "ACCEPT" } } },
        flowBytesRejected: { kind: "sum", field: "bytes", where: { include: { action: "REJECT" } } },
      },
    }),
    openAlerts(scope, db),
  ]);
  const total = events.events.value;
  const errors = events.errors.value;
  return {
    kpis: {
      events: total,
      writeEvents: events.writeEvents.value,
      principals: events.principals.value,
      sourceIps: events.sourceIps.value,
      errors,
      errorRate: total === 0 ? 0 : errors / total,
      consoleLogins: events.consoleLogins.value,
      failedLogins: events.failedLogins.value,
      openAlerts: alerts,
      flowBytesAccepted: flows.flowBytesAccepted.value,
      flowBytesRejected: flows.flowBytesRejected.value,
    },
    hrefs: {
      events: events.events.href,
      writeEvents: events.writeEvents.href,
      principals: events.principals.href,
      sourceIps: events.sourceIps.href,
      errors: events.errors.href,
      consoleLogins: events.consoleLogins.href,
      failedLogins: events.failedLogins.href,
      // The alerts page (app/alerts) lists open alerts; its filters are its own.
      openAlerts: alerts === null ? null : "/alerts?state=open",
      flowBytesAccepted: flows.flowBytesAccepted.href,
      flowBytesRejected: flows.flowBytesRejected.href,
    },
  };
}

/**
 * Open alerts active in the scope, or null when the database has no `alerts` table with the columns
 * this needs (the table belongs to the detection engine, which may not be deployed yet).
 */
export async function openAlerts(scope: ReportScope, db: Queryable = getPool()): Promise<number | null> {
  const { rows } = await db.query(
    `SELECT count(*) AS n FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'alerts'
        AND column_name IN ('state', 'first_seen', 'last_seen', 'account_id')`,
  );
  if (toNumber(rows[0]?.n) < 4) return null;
  const params: unknown[] = [scope.from, scope.to];
  const account = scope.account ? ` AND account_id = $${params.push(scope.account)}` : "";
  const counted = await db.query(
    `SELECT count(*) AS n FROM alerts WHERE state = 'open' AND last_seen >= $1 AND first_seen < $2${account}`,
    params,
  );
  return toNumber(counted.rows[0]?.n);
}

/**
 * Event counts per UTC bucket, read vs write, gap-filled (see `timeSeries`).
 * Throws `RangeError` for an unknown bucket unit or a series longer than `MAX_BUCKETS`.
 */
export async function eventsOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<SeriesPoint<"read" | "write">[]> {
  const series = await timeSeries(db, { source: "cloudtrail", scope, series: { read: { kind: "count", where: READ }, write: { kind: "count", where: WRITE } } });
  return series.points;
}

/** The error codes shown as their own series; the rest are "other codes". */
const ERROR_SERIES = 5;

/** Failed calls per UTC bucket, one series per frequent `errorCode` plus "other codes", gap-filled. */
export async function errorsOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<ErrorsOverTime> {
  const top = await topBy("errorCode", { ...scope, limit: ERROR_SERIES + 1 }, db);
  // A code the link syntax would read as a pattern cannot have a series of its own: it stays in "other codes".
  const shown = top.filter((c) => isLiteral("cloudtrail", "errorCode", c.value)).slice(0, ERROR_SERIES);
  const series: SeriesLegend[] = shown.map((c, i) => ({ key: `s${i}`, label: c.value }));
  const measures: Record<string, { kind: "count"; where: Selection }> = Object.fromEntries(
    shown.map((c, i) => [`s${i}`, { kind: "count" as const, where: { include: { errorCode: c.value } } }]),
  );
  if (top.length > shown.length) {
    series.push({ key: "other", label: "Other codes" });
    measures.other = { kind: "count", where: { include: { errorCode: "*" }, exclude: shown.length ? { errorCode: shown.map((c) => c.value) } : {} } };
  }
  if (series.length === 0) return { series, points: [] };
  const { points } = await timeSeries(db, { source: "cloudtrail", scope, series: measures });
  return { series, points };
}

async function topBy(field: string, options: TopOptions, db: Queryable, base?: Selection): Promise<TopRow[]> {
  const rows = await groupRows(db, {
    source: "cloudtrail",
    scope: options,
    base: { ...base, include: { ...base?.include, [field]: "*" } },
    keys: { value: field },
    measures: { count: { kind: "count" } },
    orderBy: "count",
    limit: Math.min(100, Math.max(1, Math.trunc(options.limit ?? 10))),
  });
  return rows.map((r) => ({
    value: r.key.value ?? "",
    count: r.values.count,
    href: r.hrefs.count,
    ...(r.margin?.count != null ? { margin: r.margin.count } : {}),
  }));
}

/** The most frequent `eventSource`s (AWS services), most frequent first (ties by name). */
export function topEventSources(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("eventSource", options, db);
}

/** The most frequent `eventName`s, most frequent first (ties by name). */
export function topEventNames(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("eventName", options, db);
}

/**
 * The most active principals by `userIdentity.arn`, most active first; events without an ARN are skipped. Over every
 * account and region, read from a leader board: counts may be lower bounds (`TopRow.margin`).
 */
export function topPrincipals(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("userIdentity.arn", options, db);
}

/**
 * The most frequent `sourceIPAddress` values (IPs or AWS service names), most frequent first. Over every account
 * and region, read from a leader board: counts may be lower bounds (`TopRow.margin`).
 */
export function topSourceIps(options: TopOptions, db: Queryable = getPool()): Promise<TopRow[]> {
  return topBy("sourceIPAddress", options, db);
}

/** Events per account (`recipientAccountId`) and `awsRegion`, largest first (at most 50 rows). */
export async function eventsByAccountRegion(scope: ReportScope, db: Queryable = getPool()): Promise<AccountRegionRow[]> {
  const rows: GroupRow<"account" | "region", "count">[] = await groupRows(db, {
    source: "cloudtrail",
    scope,
    keys: { account: "recipientAccountId", region: "awsRegion" },
    measures: { count: { kind: "count" } },
    orderBy: "count",
    limit: 50,
  });
  return rows.map((r) => ({ account: r.key.account ?? "", region: r.key.region, count: r.values.count, href: r.hrefs.count }));
}

/**
 * Changes to IAM, CloudTrail, security groups and KMS keys (see lib/reports/change-catalogue.ts):
 * counts per category and the newest `limit` events (default 15) of all of them, newest first.
 * Failed attempts are included: a denied StopLogging matters as much as a successful one.
 */
export async function sensitiveChanges(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<SensitiveChanges> {
  return changeCategories(SENSITIVE_CHANGE_CATEGORIES, scope, db);
}

/** Counts and newest events of some change categories (shared by the reports that show changes). */
export async function changeCategories(
  categories: readonly ChangeCategory[],
  scope: ReportScope & { limit?: number },
  db: Queryable = getPool(),
): Promise<SensitiveChanges> {
  const limit = Math.min(100, Math.max(1, Math.trunc(scope.limit ?? 15)));
  const [counts, ...lists] = await Promise.all([
    measureCounts(db, {
      source: "cloudtrail",
      scope,
      measures: Object.fromEntries(categories.map((c) => [c.id, { kind: "count" as const, where: c.selection }])),
    }),
    ...categories.map((c) => listEvents(db, { scope, base: c.selection, limit })),
  ]);
  const recent = lists
    .flatMap((rows, i) => rows.map((r) => ({ ...r, category: categories[i]!.label })))
    .sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime() || a.eventId.localeCompare(b.eventId))
    .slice(0, limit);
  return {
    categories: categories.map((c) => ({ id: c.id, label: c.label, count: counts[c.id]!.value, href: counts[c.id]!.href })),
    recent,
  };
}

/** Every Overview panel for one scope, queried in parallel. */
export async function overviewReport(scope: ReportScope, db: Queryable = getPool()): Promise<OverviewReport> {
  const [kpis, series, errors, sources, names, principals, ips, accounts, changes] = await Promise.all([
    overviewKpis(scope, db),
    timeSeries(db, { source: "cloudtrail", scope, series: { read: { kind: "count", where: READ }, write: { kind: "count", where: WRITE } } }),
    errorsOverTime(scope, db),
    topEventSources(scope, db),
    topEventNames(scope, db),
    topPrincipals(scope, db),
    topSourceIps(scope, db),
    eventsByAccountRegion(scope, db),
    sensitiveChanges(scope, db),
  ]);
  return {
    kpis: kpis.kpis,
    kpiHrefs: kpis.hrefs,
    bucket: series.bucket,
    eventsOverTime: series.points,
    errorsOverTime: errors,
    topEventSources: sources,
    topEventNames: names,
    topPrincipals: principals,
    topSourceIps: ips,
    eventsByAccountRegion: accounts,
    sensitiveChanges: changes,
  };
}
