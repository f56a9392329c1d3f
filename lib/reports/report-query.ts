import { columnName, conditionSql, numberSql, SOURCE_TABLES, SqlParams, textSql } from "../detect/compile-rule";
import { not, sameAs } from "../detect/conditions";
import { eventSearchHref, flowSearchHref, type SearchLink } from "../search/search-url";
import { toNumber, type Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import { isLiteral, isPattern, mergeSelections, sameSelection, selectionLinkFilters, selectionSql, valueCondition, type RecordSource, type Selection } from "./selection";
import { BUCKET_MS, BUCKET_UNITS, bucketEnd, bucketForSpan, type BucketUnit } from "./time-range";
import { isLeaderSum, leaderBoardFor, leaderColumn, leaderErrorSql, leaderRowsSql, leaderTotalSql } from "./leaders";
import { bucketCallersFor, bucketCallersSql } from "./bucket-callers";
import type { RollupGrain } from "./grains";
import { refreshRollups, rollupFor, rollupPresence, rollupRelation, type Rollup } from "./rollups";
import { SLICE_TABLES, sliceFor, type Slice } from "./slices";
import { FIRST_SEEN_LOOKBACK_DAYS, firstSightingsSql, SIGHTED, SIGHTING_KEYS, sightingsServe } from "./sign-in-sightings";

/**
 * The building blocks every report panel is made of, each a small parameterised SQL fragment
 * plus the search link of the records it counts:
 *
 * - {@link measureCounts}: KPI numbers (one scan, one `FILTER` per number);
 * - {@link timeSeries}: gap-filled UTC buckets, one value per series;
 * - {@link groupRows}: top-N tables grouped by fields, several measures per row;
 * - {@link listEvents}: individual CloudTrail events, newest first or by a numeric field.
 *
 * A panel says *what* it counts as {@link Selection}s (AWS field names); the SQL is compiled from them
 * by the rule engine's compiler and the drill-down link is written from the same selections by
 * lib/search/search-url.ts, with the report's exact `[from, to)`, account and region. Values only
 * ever travel as `$n` parameters; identifiers come from the field catalogue (lib/detect/fields.ts)
 * or from the constants below. Time is the first predicate of every query (the time indexes).
 */

/** Where the account and region filters of a report apply, per source (catalogue field names). */
export const SCOPE_FIELDS: Record<RecordSource, { account: string; region: string }> = {
  cloudtrail: { account: "recipientAccountId", region: "awsRegion" },
  vpcflow: { account: "account-id", region: "region" },
};

/** A series longer than this is refused rather than generated (about 13 years of days, or 3.5 days of minutes). */
export const MAX_BUCKETS = 5000;

// Whitelisted `date_trunc` unit → the matching `generate_series` step.
const BUCKET_STEP: Record<BucketUnit, string> = { minute: "1 minute", hour: "1 hour", day: "1 day" };

const ALIAS = "e";

function timeColumn(source: RecordSource): string {
  return `${ALIAS}."${SOURCE_TABLES[source].time}"`;
}

/**
 * The WHERE clause of a panel: `[from, to)` on the source's time column, the account and region
 * filters, then the selection. Parameters are added to `params`.
 */
export function scopeWhere(source: RecordSource, scope: ReportScope, selection: Selection | undefined, params: SqlParams): string {
  const time = timeColumn(source);
  return [`${time} >= ${params.add(scope.from)}::timestamptz`, `${time} < ${params.add(scope.to)}::timestamptz`, scopeFilters(source, scope, selection, params)]
    .filter((p) => p !== "")
    .join("\n   AND ");
}

/** The account, region and selection part of {@link scopeWhere} (no time bounds), or "" when there is none. */
function scopeFilters(source: RecordSource, scope: ReportScope, selection: Selection | undefined, params: SqlParams): string {
  const parts: string[] = [];
  const fields = SCOPE_FIELDS[source];
  if (scope.account) parts.push(conditionSql(ALIAS, source, valueCondition(source, fields.account, scope.account), params));
  if (scope.region) parts.push(conditionSql(ALIAS, source, valueCondition(source, fields.region, scope.region), params));
  const condition = selectionSql(ALIAS, source, selection, params);
  if (condition) parts.push(condition);
  return parts.join("\n   AND ");
}

/**
 * What a panel's aggregate reads, always under the alias `e`: the raw table; or (panels that only count,
 * sum, group and filter by the fields of a rollup, over a range with whole hours) a rollup with the
 * range's partial edge hours from raw rows (lib/reports/rollups.ts); or (panels whose records all lie in
 * an event slice) the slice's copy of the raw rows (lib/reports/slices.ts) — the same numbers every way.
 */
interface Relation {
  /** FROM item, aliased `e`, and its WHERE clause (time range, account, region, base selection). */
  from: string;
  where: string;
  /** Records of the relation's rows (optionally narrowed by `filter`). */
  count: (filter: string | null) => string;
  /** The UTC `timestamp` bucket of a row, for a whitelisted `date_trunc` unit (a parameter). */
  bucket: (unitSql: string) => string;
  /** A numeric field of a row as `numeric`, to be summed (a rollup row holds its sum). */
  number: (field: string) => string;
  first: string;
  last: string;
  /** Whether its rows are read from an index holding their columns (a slice's {@link Slice.coveringIndex}): a second read is cheap. */
  narrow: boolean;
}

/** The fields a measure needs from a rollup, and whether a rollup can serve it at all. */
interface RollupNeeds {
  fields: readonly string[];
  sums: readonly string[];
  ok: boolean;
}

function selectionFields(selection: Selection | undefined): string[] {
  return [...Object.keys(selection?.include ?? {}), ...Object.keys(selection?.exclude ?? {})];
}

/** What a measure needs: counts, sums and distinct values of a single field can come from a rollup. */
function measureNeeds(measure: Measure): RollupNeeds {
  const fields = selectionFields(measure.where);
  switch (measure.kind) {
    case "count":
      return { fields, sums: [], ok: true };
    case "sum":
      return { fields, sums: [measure.field], ok: true };
    case "distinct":
      return { fields: [...fields, ...keyFields(measure.field)], sums: [], ok: typeof measure.field === "string" };
  }
}

/**
 * The narrowest rollup serving every measure of a query (with its base selection, the account and region
 * filters and `keys`), or null when one of them needs raw rows. A rollup `within` a selection serves it when the
 * records it counts lie within ({@link countedSelections}; with `keys` its rows are groups; a series is gap-filled).
 */
function chooseRollup(query: Query, measures: readonly Measure[], keys: readonly string[] = []): Rollup | null {
  const needs = measures.map(measureNeeds);
  if (!needs.every((n) => n.ok)) return null;
  const { source, scope } = query;
  const fields = [
    ...selectionFields(query.base),
    ...needs.flatMap((n) => n.fields),
    ...keys,
    ...(scope.account ? [SCOPE_FIELDS[source].account] : []),
    ...(scope.region ? [SCOPE_FIELDS[source].region] : []),
  ];
  return rollupFor(source, fields, needs.flatMap((n) => n.sums), countedSelections(query, keys.length > 0 ? null : measures));
}

/**
 * The selections whose records a query's numbers count: its base selection when its rows are groups (`measures`
 * null: a group counting zero would disappear), else each measure's own within it (rows no measure counts change
 * nothing). A rollup or slice holding the records of each serves the query.
 */
function countedSelections(query: Query, measures: readonly Measure[] | null): (Selection | undefined)[] {
  return measures?.length ? measures.map((m) => mergeSelections(query.base, m.where)) : [query.base];
}

/**
 * The slice holding every record a query counts: its base selection's (and `differ`'s: two fields its rows need
 * present and different), or else those of {@link countedSelections}. Null when none does.
 */
function sliceOf(query: Query, measures: readonly Measure[] | null, differ?: readonly [string, string]): Slice | null {
  return sliceFor(query.source, [query.base], differ) ?? (measures ? sliceFor(query.source, countedSelections(query, measures), differ) : null);
}

/**
 * The FROM item of a query's raw rows, aliased `e`, and the start of its WHERE clause: the slice holding its
 * records ({@link sliceOf}; refreshed first) with its `slice = … AND `, else the source's table and "".
 */
async function rawRows(
  db: Queryable,
  query: Query,
  measures: readonly Measure[] | null,
  params: SqlParams,
  differ?: readonly [string, string],
): Promise<{ from: string; where: string; narrow: boolean; sliced: boolean }> {
  const slice = sliceOf(query, measures, differ);
  if (!slice) return { from: `${SOURCE_TABLES[query.source].table} ${ALIAS}`, where: "", narrow: false, sliced: false };
  await refreshRollups(db);
  return { from: `${SLICE_TABLES[query.source]} ${ALIAS}`, where: `${ALIAS}.slice = ${params.add(slice.name)}
   AND `, narrow: slice.coveringIndex === true, sliced: true };
}

/** Where a query may read from: the rollup chosen for it (null: none serves it), the coarsest rollup grain it may use, and its measures (for the slice). */
interface ReadFrom {
  rollup: Rollup | null;
  /** "hour" keeps 6-hour, day and week rows out (hourly buckets), "day" week rows (daily buckets); default "week". */
  grain?: RollupGrain;
  /** The measures, when rows are not groups (see {@link sliceOf}); null for groups. */
  measures?: readonly Measure[] | null;
  /** Two fields the query's rows have present and different (groupRows' `keysDiffer`), for the slice. */
  differ?: readonly [string, string];
  /**
   * The query only asks which values occur (one distinct count): the rollup's rows holding a record in the range
   * may serve it ({@link rollupPresence}), whose field values are exact but whose counts and times are not the range's.
   */
  presence?: boolean;
}

/**
 * The relation a query reads: `rollup` (refreshed first) when one was chosen and the range holds a whole
 * hour, else the slice holding the query's records, else the raw table.
 */
async function relationFor(db: Queryable, query: Query, params: SqlParams, { rollup, grain = "week", measures = null, differ, presence }: ReadFrom): Promise<Relation> {
  const { source, scope } = query;
  const present = rollup && presence ? rollupPresence(rollup, scope.from, scope.to, params) : null;
  const relation = present ?? (rollup ? rollupRelation(rollup, scope.from, scope.to, grain, params) : null);
  if (relation) {
    await refreshRollups(db);
    const where = scopeFilters(source, scope, query.base, params);
    return {
      from: `${relation} ${ALIAS}`,
      where: where === "" ? "true" : where,
      count: (filter) => `coalesce(sum(${ALIAS}.records)${filter ? ` FILTER (WHERE ${filter})` : ""}, 0)`,
      bucket: (unit) => `date_trunc(${unit}, ${ALIAS}.bucket)`,
      // A rollup's sums are `numeric` columns under the raw column's name (chooseRollup only picks rollups holding them).
      number: (field) => `${ALIAS}.${columnName(source, field)}`,
      first: `min(${ALIAS}.first_time)`,
      last: `max(${ALIAS}.last_time)`,
      narrow: false,
    };
  }
  const time = timeColumn(source);
  const rows = await rawRows(db, query, measures, params, differ);
  return {
    from: rows.from,
    where: rows.where + scopeWhere(source, scope, query.base, params),
    count: (filter) => `count(*)${filter ? ` FILTER (WHERE ${filter})` : ""}`,
    bucket: (unit) => `date_trunc(${unit}, ${time} AT TIME ZONE 'UTC')`,
    number: (field) => numberSql(ALIAS, source, field, params),
    first: `min(${time})`,
    last: `max(${time})`,
    narrow: rows.narrow,
  };
}

/**
 * `AND (w1 OR w2 …)` when every measure counts only some records (its `where`), else "": the rows no
 * measure counts add nothing to any of them, and an index on a field every `where` names (e.g. `eventName`)
 * then finds the few rows that matter instead of a scan of the whole range. Only for queries whose rows
 * are not groups (a group counting zero would disappear).
 */
function anyOfSql(source: RecordSource, measures: readonly Measure[], params: SqlParams): string {
  if (measures.length === 0 || measures.some((m) => !m.where)) return "";
  const filters = measures.map((m) => selectionSql(ALIAS, source, m.where, params));
  return filters.every((f) => f !== null) ? `\n        AND (${filters.join("\n          OR ")})` : "";
}

/**
 * The search page listing exactly the records of `selection` within the scope: `/events?…` for
 * CloudTrail, `/flows?…` for flow records. The time range is always absolute (`from`/`to`), so
 * the link keeps meaning the same records after "the last 24 hours" has moved on.
 */
export function searchHref(source: RecordSource, scope: Pick<ReportScope, "from" | "to" | "account" | "region">, selection: Selection = {}): string {
  const { include, exclude } = selectionLinkFilters(selection);
  const link: SearchLink = { from: scope.from, to: scope.to, include, exclude };
  if (scope.account) link.account = scope.account;
  if (scope.region) link.region = scope.region;
  return source === "cloudtrail" ? eventSearchHref(link) : flowSearchHref(link);
}

// ---- measures ---------------------------------------------------------------------------------

/**
 * What a number counts. Every measure may narrow the records with `where`; its link lists the
 * records behind it (for `distinct`: the records that have the field).
 * - `count`: records;
 * - `sum`: the sum of a numeric field (flow `bytes` / `packets`, S3 `additionalEventData.bytesTransferredOut`), 0 when none;
 * - `distinct`: distinct values of a field, or of the first present field of a chain (absent values not counted);
 *   its link lists the records having the field (for a chain: the records the count was taken over).
 */
export type Measure =
  | { kind: "count"; where?: Selection }
  | { kind: "sum"; field: string; where?: Selection }
  | { kind: "distinct"; field: GroupKey; where?: Selection };

/** A number and the search link of the records behind it (null when no exact link can be written). */
export interface Counted {
  value: number;
  href: string | null;
}

function measureSql(source: RecordSource, measure: Measure, params: SqlParams, relation: Relation): string {
  const filter = selectionSql(ALIAS, source, measure.where, params);
  const f = filter ? ` FILTER (WHERE ${filter})` : "";
  switch (measure.kind) {
    case "count":
      return relation.count(filter);
    case "sum":
      return `coalesce(sum(${relation.number(measure.field)})${f}, 0)`;
    case "distinct":
      return `count(DISTINCT ${distinctValueSql(source, measure.field, params)})${f}`;
  }
}

/** The value a distinct measure counts: its key's first present field, compared byte by byte. */
function distinctValueSql(source: RecordSource, field: GroupKey, params: SqlParams): string {
  return bytewise(firstPresent(keyFields(field).map((f) => textSql(ALIAS, source, f, params))));
}

/** The records a measure stands on, for its link. */
function measureSelection(measure: Measure): Selection {
  return measure.kind === "distinct" && typeof measure.field === "string"
    ? mergeSelections(measure.where, { include: { [measure.field]: "*" } })
    : (measure.where ?? {});
}

function checkName(name: string): void {
  // Measure and key names become SQL aliases (quoted); they are code constants, checked anyway.
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`bad measure or key name ${JSON.stringify(name)}`);
}

interface Query {
  source: RecordSource;
  scope: ReportScope;
  /** What every number of the panel is about (AND-ed with each measure's own `where`). */
  base?: Selection;
}

/**
 * Several numbers over the scope in one scan, e.g. KPI tiles. Returns each measure's value and link.
 * Throws for an unknown field (a programming error) or when the database fails.
 */
export async function measureCounts<M extends string>(
  db: Queryable,
  query: Query & { measures: Record<M, Measure> },
): Promise<Record<M, Counted>> {
  const names = Object.keys(query.measures) as M[];
  names.forEach(checkName);
  // The measures a rollup can serve read it (together when one rollup holds them all); the rest share one scan of raw rows.
  const own = new Map(names.map((n) => [n, chooseRollup(query, [query.measures[n]])]));
  const served = names.filter((n) => own.get(n) !== null);
  const together = chooseRollup(query, served.map((n) => query.measures[n]));
  // A measure no rollup serves may be a leader board's exact total (flow records keyed by address or port).
  const totals = names.flatMap((n) => {
    const sql = own.get(n) === null ? leaderTotalQuery(query, query.measures[n]) : null;
    return sql ? [{ name: n, ...sql }] : [];
  });
  const groups = new Map<Rollup | null, M[]>();
  for (const name of names) {
    if (totals.some((t) => t.name === name)) continue;
    const rollup = own.get(name) === null ? null : (together ?? own.get(name)!);
    groups.set(rollup, [...(groups.get(rollup) ?? []), name]);
  }
  if (totals.length > 0) await refreshRollups(db);
  const values = await Promise.all([
    ...[...groups].map(([rollup, group]) => measureRow(db, query, group, rollup)),
    ...totals.map(async (t) => ({ [t.name]: (await db.query(t.text, t.params.values)).rows[0]?.total })),
  ]);
  const row = Object.assign({}, ...values) as Record<string, unknown>;
  return Object.fromEntries(
    names.map((name) => [
      name,
      { value: toNumber(row[name]), href: searchHref(query.source, query.scope, mergeSelections(query.base, measureSelection(query.measures[name]))) },
    ]),
  ) as Record<M, Counted>;
}

/** One query computing some of a {@link measureCounts} query's measures from one relation: a row keyed by measure name. */
async function measureRow<M extends string>(db: Queryable, query: Query & { measures: Record<M, Measure> }, names: readonly M[], rollup: Rollup | null): Promise<Record<string, unknown>> {
  const params = new SqlParams();
  const measures = names.map((n) => query.measures[n]);
  const only = measures.length === 1 ? measures[0]! : null;
  const relation = await relationFor(db, query, params, { rollup, measures, presence: only?.kind === "distinct" });
  const where = `${relation.where}${anyOfSql(query.source, measures, params)}`;
  // A distinct count alone (its own `where` is in `where`): DISTINCT in a subquery hashes the values, where
  // count(DISTINCT …) sorts every row (the Overview's principals over 30 days, 117k rollup rows: 116 → 48 ms);
  // from a rollup it reads only the rows holding a record in the range (rollupPresence).
  const sql =
    only?.kind === "distinct"
      ? `SELECT count(*) AS "${names[0]}" FROM (SELECT DISTINCT ${distinctValueSql(query.source, only.field, params)} AS v FROM ${relation.from} WHERE ${where}) d WHERE v IS NOT NULL`
      : `SELECT ${names.map((name) => `${measureSql(query.source, query.measures[name], params, relation)} AS "${name}"`).join(",\n       ")}
           FROM ${relation.from}
          WHERE ${where}`;
  const { rows } = await db.query(sql, params.values);
  return rows[0] ?? {};
}

/** Splits {@link measureCounts}' result into the numbers and their links (a report's `kpis` and `kpiHrefs`). */
export function splitCounted<M extends string>(counted: Record<M, Counted>): { values: Record<M, number>; hrefs: Record<M, string | null> } {
  const names = Object.keys(counted) as M[];
  return {
    values: Object.fromEntries(names.map((n) => [n, counted[n].value])) as Record<M, number>,
    hrefs: Object.fromEntries(names.map((n) => [n, counted[n].href])) as Record<M, string | null>,
  };
}

// ---- time series -------------------------------------------------------------------------------

/**
 * One bucket of a time series: its bounds, one number per series (under the series' name, e.g.
 * `point.read`), and per series the search link of the records behind the number, restricted to
 * `[max(bucketStart, from), min(bucketEnd, to))`.
 */
export type SeriesPoint<S extends string> = {
  /** Start of the bucket (UTC, aligned to the minute, hour or midnight UTC). */
  bucketStart: Date;
  /** End of the bucket, exclusive. */
  bucketEnd: Date;
  hrefs: Record<S, string>;
} & Record<S, number>;

/** A series of a chart whose series are data-dependent (e.g. one per error code or change category). */
export interface SeriesLegend {
  /** Property of each point holding the series' values (`s0`, `users`, `other`, …). */
  key: string;
  /** What the series is, e.g. the error code. */
  label: string;
}

export interface TimeSeries<S extends string> {
  bucket: BucketUnit;
  points: SeriesPoint<S>[];
}

const RESERVED_SERIES = new Set(["bucketStart", "bucketEnd", "hrefs"]);

/**
 * One value per series and UTC bucket, with a row for every bucket from the one containing `from`
 * to the one containing the last instant before `to` (empty buckets are zeros), oldest first.
 * The bucket is `scope.bucket`, else chosen by span.
 * Throws `RangeError` for an unknown bucket unit or a series longer than {@link MAX_BUCKETS}.
 */
export async function timeSeries<S extends string>(
  db: Queryable,
  query: Query & { series: Record<S, Measure> },
): Promise<TimeSeries<S>> {
  const { from, to } = query.scope;
  const bucket = query.scope.bucket ?? bucketForSpan(to.getTime() - from.getTime());
  // Callers may pass untyped input (the API): the unit is checked before it reaches SQL.
  if (!(BUCKET_UNITS as readonly string[]).includes(bucket)) throw new RangeError(`unknown bucket unit ${JSON.stringify(bucket)}`);
  if (to.getTime() <= from.getTime()) return { bucket, points: [] };
  if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_BUCKETS) {
    throw new RangeError(`a series of one-${bucket} buckets over this range would exceed ${MAX_BUCKETS} buckets`);
  }
  const names = Object.keys(query.series) as S[];
  names.forEach(checkName);
  for (const n of names) if (RESERVED_SERIES.has(n)) throw new Error(`series name ${n} is reserved`);
  const params = new SqlParams();
  const unit = params.add(bucket);
  const fromSql = params.add(from);
  const toSql = params.add(to);
  // Minute buckets are finer than the rollups' hours; hour buckets cannot read 6-hour or day rows.
  const rollup = bucket === "minute" ? null : chooseRollup(query, names.map((n) => query.series[n]));
  const relation = await relationFor(db, query, params, { rollup, grain: bucket === "hour" ? "hour" : "day", measures: names.map((n) => query.series[n]) });
  const measures = names.map((name) => `${measureSql(query.source, query.series[name], params, relation)} AS "${name}"`).join(", ");
  // Bucketing happens on `timestamp` values in UTC, not on `timestamptz`: adding '1 day' to a timestamptz
  // follows the session's time zone across DST changes, which would shift buckets off midnight UTC.
  const { rows } = await db.query(
    `WITH buckets AS (
       SELECT generate_series(
                date_trunc(${unit}, ${fromSql}::timestamptz AT TIME ZONE 'UTC'),
                date_trunc(${unit}, (${toSql}::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                ${params.add(BUCKET_STEP[bucket])}::interval
              ) AS bucket
     ),
     counts AS (
       SELECT ${relation.bucket(unit)} AS bucket, ${measures}
         FROM ${relation.from}
        WHERE ${relation.where}${anyOfSql(query.source, names.map((n) => query.series[n]), params)}
        GROUP BY 1
     )
     SELECT b.bucket AT TIME ZONE 'UTC' AS bucket_start, ${names.map((n) => `c."${n}"`).join(", ")}
       FROM buckets b
       LEFT JOIN counts c ON c.bucket = b.bucket
      ORDER BY b.bucket`,
    params.values,
  );
  const selections = Object.fromEntries(names.map((n) => [n, mergeSelections(query.base, measureSelection(query.series[n]))])) as Record<S, Selection>;
  return {
    bucket,
    points: rows.map((r) => {
      const bucketStart = r.bucket_start as Date;
      const bucketEnd_ = bucketEnd(bucketStart, bucket);
      const window = { ...query.scope, from: bucketStart < from ? from : bucketStart, to: bucketEnd_ > to ? to : bucketEnd_ };
      const point: Record<string, unknown> = {
        bucketStart,
        bucketEnd: bucketEnd_,
        hrefs: Object.fromEntries(names.map((n) => [n, searchHref(query.source, window, selections[n])])),
      };
      for (const n of names) point[n] = toNumber(r[n]);
      return point as SeriesPoint<S>;
    }),
  };
}

// ---- grouped rows ------------------------------------------------------------------------------

/**
 * What a row is grouped by: one field, or several tried in order (the first present supplies the
 * value, e.g. `["userIdentity.userName", "userIdentity.arn"]`: a failed console sign-in has a user
 * name but no ARN, a root sign-in an ARN but no user name). The row's link says which field it was
 * and that the earlier ones are absent, so it lists exactly the row's records.
 */
export type GroupKey = string | readonly string[];

export interface GroupRow<K extends string, M extends string> {
  /** The group's values as text (null: none of the key's fields is present). Attacker-controlled: render as text. */
  key: Record<K, string | null>;
  /** Which field supplied each key value (null when absent). */
  keyField: Record<K, string | null>;
  values: Record<M, number>;
  /** Per measure: the records behind the number; null when a key value cannot be written as a plain link value. */
  hrefs: Record<M, string | null>;
  /** All records of the row (the panel's base selection and the row's key). */
  href: string | null;
  /** Time of the row's first and last record (UTC). */
  first: Date;
  last: Date;
  /**
   * Set when the row was read from a leader board (lib/reports/leaders.ts): each value is then a lower bound, and
   * `margin[m]` how much it may lack (the true value is in [value, value + margin]; 0: exact); null where no bound
   * is known (distinct counts).
   */
  margin?: Record<M, number | null>;
}

export interface GroupOptions<K extends string, M extends string> extends Query {
  keys: Record<K, GroupKey>;
  measures: Record<M, Measure>;
  /** The measure rows are ranked by (descending; ties by key, ascending). */
  orderBy: NoInfer<M>;
  /** Rows to return, 1 to 500; default 10. */
  limit?: number;
  /** Keep only rows whose `measure` is at least `value` (e.g. port-scan suspects: ≥ 25 distinct ports). */
  minimum?: { measure: NoInfer<M>; value: number };
  /** At most `limit` rows per value of this key (e.g. top principals per bucket), ranked within it. */
  perKey?: { key: NoInfer<K>; limit: number };
  /**
   * Keep only rows where these two single-field keys are both present and differ (e.g. bucket owner and
   * caller account: cross-account access). Each row's link stays exact: it names both values.
   */
  keysDiffer?: readonly [NoInfer<K>, NoInfer<K>];
}

/** The fields of a group key, in order. */
export function keyFields(key: GroupKey): readonly string[] {
  return typeof key === "string" ? [key] : key;
}

/**
 * Rows grouped by `keys`, each with its measures, ranked by `orderBy`. Rows with no value for a
 * key are kept (key null) unless the base selection requires the field.
 * Throws for an unknown field, measure or key name (programming errors) or when the database fails.
 */
export async function groupRows<K extends string, M extends string>(db: Queryable, options: GroupOptions<K, M>): Promise<GroupRow<K, M>[]> {
  const { source } = options;
  const keyNames = Object.keys(options.keys) as K[];
  const measureNames = Object.keys(options.measures) as M[];
  [...keyNames, ...measureNames].forEach(checkName);
  if (!measureNames.includes(options.orderBy)) throw new Error(`unknown measure ${String(options.orderBy)}`);
  if (options.minimum && !measureNames.includes(options.minimum.measure)) throw new Error(`unknown measure ${String(options.minimum.measure)}`);
  if (options.perKey && !keyNames.includes(options.perKey.key)) throw new Error(`unknown key ${String(options.perKey.key)}`);
  const limit = Math.min(500, Math.max(1, Math.trunc(options.limit ?? 10)));
  const params = new SqlParams();
  let base = options.base;
  let differ = "";
  let differFields: [string, string] | undefined;
  if (options.keysDiffer) {
    const [a, b] = options.keysDiffer.map((k) => options.keys[k]);
    if (typeof a !== "string" || typeof b !== "string") throw new Error("keysDiffer needs two single-field keys");
    base = mergeSelections(base, { include: { [a]: "*", [b]: "*" } });
    differ = `\n   AND ${conditionSql(ALIAS, source, not(sameAs(a, b)), params)}`;
    differFields = [a, b];
  }

  const fromBoard = leaderQuery(options, limit, params) ?? bucketCallersQuery(options, params);
  if (fromBoard) await refreshRollups(db);
  const text = fromBoard ?? (await groupedQuery(db, { ...options, base }, differ, differFields, limit, params));
  const { rows } = await db.query(text, params.values);

  return rows.map((r) => {
    const { key, keyField, selection, linkable } = rowKey(source, options.keys, r);
    // A key value that cannot be a plain link value cannot be merged into a selection either: no links for the row.
    const rowSelection = linkable ? mergeSelections(base, selection) : null;
    const href = (extra?: Selection) => (rowSelection ? searchHref(source, options.scope, mergeSelections(rowSelection, extra)) : null);
    return {
      key,
      keyField,
      values: Object.fromEntries(measureNames.map((n) => [n, toNumber(r[`m_${n}`])])) as Record<M, number>,
      hrefs: Object.fromEntries(measureNames.map((n) => [n, href(measureSelection(options.measures[n]))])) as Record<M, string | null>,
      href: href(),
      first: r.first_seen as Date,
      last: r.last_seen as Date,
      ...(fromBoard ? { margin: Object.fromEntries(measureNames.map((n) => [n, r[`e_${n}`] === null ? null : toNumber(r[`e_${n}`])])) as Record<M, number | null> } : {}),
    };
  });
}

/** groupRows' query over the rollup, slice or raw rows that hold the panel's records (see {@link relationFor}). */
async function groupedQuery<K extends string, M extends string>(
  db: Queryable,
  options: GroupOptions<K, M>,
  differ: string,
  differFields: [string, string] | undefined,
  limit: number,
  params: SqlParams,
): Promise<string> {
  const { source } = options;
  const keyNames = Object.keys(options.keys) as K[];
  const measureNames = Object.keys(options.measures) as M[];
  const rollup = options.keysDiffer
    ? null
    : chooseRollup(options, measureNames.map((n) => options.measures[n]), keyNames.flatMap((k) => keyFields(options.keys[k])));
  const relation = await relationFor(db, options, params, { rollup, differ: differFields });
  // Distinct counts of narrow rows (a slice read from its covering index) that neither rank nor filter are counted
  // after the LIMIT, for the rows shown only (as the leader boards' port sets): the ranking then hashes its groups,
  // where count(DISTINCT …) sorts every row of the range (the refusals per principal over 30 days: 112k slice rows,
  // 111 of its 185 ms), and the second read of the rows costs less than that sort. Rows of whole events would not:
  // the sign-ins' second read (a 50k-row scan) cost more than it saved (measured).
  const deferred =
    !relation.narrow || options.perKey || keyNames.length === 0
      ? []
      : measureNames.filter((n) => options.measures[n].kind === "distinct" && n !== options.orderBy && n !== options.minimum?.measure);
  const select = keySelect(source, options.keys, params);
  for (const name of measureNames) if (!deferred.includes(name)) select.push(`${measureSql(source, options.measures[name], params, relation)} AS "m_${name}"`);
  select.push(`${relation.first} AS first_seen`, `${relation.last} AS last_seen`);
  const groupBy = keyNames.map((_, i) => `${2 * i + 1}, ${2 * i + 2}`).join(", ");
  const having = options.minimum ? `HAVING ${measureSql(source, options.measures[options.minimum.measure], params, relation)} >= ${params.add(options.minimum.value)}` : "";
  const ties = keyNames.map((n) => `"k_${n}" ASC NULLS LAST`).join(", ");
  const rank = `"m_${options.orderBy}" DESC${ties ? `, ${ties}` : ""}`;
  const grouped = `SELECT ${select.join(",\n              ")}
         FROM ${relation.from}
        WHERE ${relation.where}${differ}
        ${groupBy ? `GROUP BY ${groupBy}` : ""}
        ${having}`;
  if (deferred.length > 0) {
    const keys = keyExpressions(source, options.keys, params);
    const columns = (alias: string, prefix = "") => keys.map((k): [string, string] => [`${alias}."${prefix}k_${k.name}"`, `${alias}."${prefix}f_${k.name}"`]);
    return `WITH ranked AS (${grouped}
        ORDER BY ${rank}
        LIMIT ${params.add(limit)})
      SELECT r.*, ${deferred.map((n) => `d."m_${n}"`).join(", ")}
        FROM ranked r
        LEFT JOIN (
          SELECT ${[...keys.flatMap((k) => [`${k.value} AS "dk_${k.name}"`, `${k.field} AS "df_${k.name}"`]), ...deferred.map((n) => `${measureSql(source, options.measures[n], params, relation)} AS "m_${n}"`)].join(",\n                 ")}
            FROM ${relation.from}
           WHERE ${relation.where}${differ}
             AND (${hashable(keys.map((k) => [k.value, k.field]))}) IN (SELECT ${hashable(columns("t"))} FROM ranked t)
           GROUP BY ${groupBy}
        ) d ON (${hashable(columns("r"))}) = (${hashable(columns("d", "d"))})
       ORDER BY ${rank}`;
  }
  return options.perKey
    ? `SELECT * FROM (
         SELECT g.*, row_number() OVER (PARTITION BY "k_${options.perKey.key}" ORDER BY ${rank}) AS rank_in_key
           FROM (${grouped}) g
       ) r
       WHERE rank_in_key <= ${params.add(options.perKey.limit)}
       ORDER BY "k_${options.perKey.key}" ASC NULLS LAST, ${rank}
       LIMIT ${params.add(limit)}`
    : `${grouped}
        ORDER BY ${rank}
        LIMIT ${params.add(limit)}`;
}

/** The exact total of a count or sum measure whose records are exactly a leader board's, with its parameters; null when none is. */
function leaderTotalQuery(query: Query, measure: Measure): { text: string; params: SqlParams } | null {
  const { scope } = query;
  if (scope.account || scope.region || measure.kind === "distinct") return null;
  const board = leaderBoardFor(query.source, mergeSelections(query.base, measure.where));
  const sum = board && leaderColumn(board, { ...measure, where: undefined });
  if (!board || !sum || !isLeaderSum(sum)) return null;
  const params = new SqlParams();
  const text = leaderTotalSql(board, sum, scope.from, scope.to, params);
  return text ? { text, params } : null;
}

/**
 * groupRows' query over the leader board keeping exactly the panel's rows (lib/reports/leaders.ts), with each
 * measure's margin as `e_<name>`; null when no board does (an account or region filter, a per-key limit, keys that
 * must differ, a measure or ranking the board does not keep, no whole hour in the range).
 */
function leaderQuery<K extends string, M extends string>(options: GroupOptions<K, M>, limit: number, params: SqlParams): string | null {
  const { scope } = options;
  if (scope.account || scope.region || options.perKey || options.keysDiffer) return null;
  const keys = Object.values<GroupKey>(options.keys);
  const board = leaderBoardFor(options.source, options.base ?? {}, keys, options.measures[options.orderBy]);
  if (!board) return null;
  const columnOf = new Map(Object.entries<Measure>(options.measures).map(([name, m]) => [name, leaderColumn(board, m)]));
  if ([...columnOf.values()].some((c) => c === null)) return null;
  const minimum = options.minimum ? { column: columnOf.get(options.minimum.measure)!, value: options.minimum.value } : null;
  const sql = leaderRowsSql(board, scope.from, scope.to, limit, minimum, params);
  if (!sql) return null;
  // A chain's field index is stored; a single field's is 0 where present.
  const keyColumns = Object.keys(options.keys).flatMap((name, i) => [
    `l.k${i + 1} AS "k_${name}"`,
    typeof keys[i] === "string" ? `CASE WHEN l.k${i + 1} IS NOT NULL THEN 0 END AS "f_${name}"` : `l.f${i + 1} AS "f_${name}"`,
  ]);
  const measureColumns = [...columnOf].flatMap(([name, c]) => [
    `l.${c} AS "m_${name}"`,
    `${leaderErrorSql(board, c!, "l")} AS "e_${name}"`,
  ]);
  return `SELECT ${[...keyColumns, ...measureColumns, "l.first_time AS first_seen", "l.last_time AS last_seen"].join(", ")} FROM (${sql}) l`;
}

/**
 * groupRows' query over the S3 callers-per-bucket board (lib/reports/bucket-callers.ts) when it keeps exactly the
 * panel's rows, with each measure's margin as `e_<name>`; null when it does not (an account or region filter, other
 * keys, measures or records, no whole hour in the range).
 */
function bucketCallersQuery<K extends string, M extends string>(options: GroupOptions<K, M>, params: SqlParams): string | null {
  const { scope } = options;
  if (options.source !== "cloudtrail" || scope.account || scope.region || options.minimum || options.keysDiffer || !options.perKey) return null;
  const board = bucketCallersFor(options);
  const sql = board && bucketCallersSql(board.buckets, scope.from, scope.to, options.perKey.limit, params);
  if (!board || !sql) return null;
  const measureColumns = Object.entries(board.columns).flatMap(([name, c]) => [`b.${c} AS "m_${name}"`, `b.${c}_error AS "e_${name}"`]);
  return `SELECT b.bucket_name AS "k_${board.bucketKey}", 0 AS "f_${board.bucketKey}", b.caller AS "k_${board.callerKey}", b.caller_field AS "f_${board.callerKey}",
                 ${measureColumns.join(", ")}, b.first_time AS first_seen, b.last_time AS last_seen
            FROM (${sql}) b`;
}

/**
 * A text expression compared byte by byte (`COLLATE "C"`) where it is grouped, counted distinct or sorted. The
 * database's collation (e.g. C.UTF-8) compares through the C library: grouping a month of `sources` rollup rows
 * (180k at 10M events) spent 300 ms sorting them; byte order sorts with abbreviated keys (`topSourceIps` over 30
 * days: 253 → 192 ms). Equality is the same either way, so groups and counts are unchanged; ties rank in byte order.
 */
function bytewise(text: string): string {
  return `(${text}) COLLATE "C"`;
}

/** The first present of a key's field values (SQL text expressions, in the key's order). */
export function firstPresent(texts: readonly string[]): string {
  return texts.length === 1 ? texts[0]! : `coalesce(${texts.join(", ")})`;
}

/** Which of a key's field values (SQL text expressions, in the key's order) is the first present: its index, or NULL. */
export function firstPresentIndex(texts: readonly string[]): string {
  return `CASE ${texts.map((t, i) => `WHEN ${t} IS NOT NULL THEN ${i}`).join(" ")} END`;
}

/** A group key's value (its chain's first present field, compared byte by byte) and which field of the chain supplied it. */
interface KeyExpression {
  name: string;
  value: string;
  field: string;
}

function keyExpressions(source: RecordSource, keys: Record<string, GroupKey>, params: SqlParams): KeyExpression[] {
  return Object.entries(keys).map(([name, key]) => {
    checkName(name);
    const texts = keyFields(key).map((f) => textSql(ALIAS, source, f, params));
    return { name, value: bytewise(firstPresent(texts)), field: firstPresentIndex(texts) };
  });
}

/** Output columns `k_<name>` (the value) and `f_<name>` (index of the field that supplied it) per key. */
function keySelect(source: RecordSource, keys: Record<string, GroupKey>, params: SqlParams): string[] {
  return keyExpressions(source, keys, params).flatMap((k) => [`${k.value} AS "k_${k.name}"`, `${k.field} AS "f_${k.name}"`]);
}

/**
 * Keys as (value, field) pairs encoded so that equality is IS NOT DISTINCT FROM, which Postgres can hash: a NULL value
 * has no field (field NULL), an empty one has one.
 */
function hashable(pairs: readonly (readonly [string, string])[]): string {
  return pairs.flatMap(([value, field]) => [`coalesce(${value}, '')`, `coalesce(${field}, -1)`]).join(", ");
}

/** Each key's (value, field) result columns. */
function keyColumnPairs(keys: Record<string, GroupKey>): (readonly [string, string])[] {
  return Object.keys(keys).map((n) => [`"k_${n}"`, `"f_${n}"`] as const);
}

/** GROUP BY / PARTITION BY list of the key columns. */
function keyColumns(keys: Record<string, GroupKey>): string {
  return keyColumnPairs(keys).flat().join(", ");
}

/**
 * A result row's key values, which field supplied each, and the selection of exactly the row's records:
 * the supplying field equals the value and every earlier field of its chain is absent.
 */
function rowKey<K extends string>(
  source: RecordSource,
  keys: Record<K, GroupKey>,
  r: Record<string, unknown>,
): { key: Record<K, string | null>; keyField: Record<K, string | null>; selection: Selection; linkable: boolean } {
  const key = {} as Record<K, string | null>;
  const keyField = {} as Record<K, string | null>;
  const include: Record<string, string> = {};
  const exclude: Record<string, string> = {};
  let linkable = true;
  for (const name of Object.keys(keys) as K[]) {
    const fields = keyFields(keys[name]);
    const raw = r[`k_${name}`];
    const value = raw === null || raw === undefined ? null : String(raw);
    const index = r[`f_${name}`] === null || r[`f_${name}`] === undefined ? fields.length : Number(r[`f_${name}`]);
    key[name] = value;
    keyField[name] = value === null ? null : (fields[index] ?? null);
    for (const f of fields.slice(0, index)) exclude[f] = "*";
    if (value !== null) {
      const field = fields[index]!;
      if (!isLiteral(source, field, value)) linkable = false;
      include[field] = value;
    }
  }
  return { key, keyField, selection: { include, exclude }, linkable };
}

// ---- bursts and first sightings ---------------------------------------------------------------

export interface Burst<K extends string> {
  key: Record<K, string | null>;
  keyField: Record<K, string | null>;
  /** Records in the burst. */
  count: number;
  /** Distinct values of `distinct` fields among the burst's records (e.g. source IPs). */
  distinct: Record<string, number>;
  /** First and last record of the burst (UTC). */
  first: Date;
  last: Date;
  /** The burst's records: the key over `[first, last + 1 ms)` (CloudTrail times have millisecond precision). */
  href: string | null;
}

export interface BurstOptions<K extends string> extends Query {
  keys: Record<K, GroupKey>;
  /** A gap longer than this between two records of a group starts a new burst. */
  gapSeconds: number;
  /** Bursts with fewer records are left out. */
  minimum: number;
  /** Fields whose distinct values are counted per burst (name → catalogue field). */
  distinct?: Record<string, string>;
  /** 1 to 200; default 20. Largest bursts first. */
  limit?: number;
}

/**
 * Bursts of records per group: the records of one group, split wherever two consecutive ones are more than
 * `gapSeconds` apart (the rule engine's dedup semantics), keeping bursts of at least `minimum` records.
 * A burst's link covers exactly its records: every record of the group between its first and last belongs to it.
 */
export async function groupBursts<K extends string>(db: Queryable, options: BurstOptions<K>): Promise<Burst<K>[]> {
  const { source } = options;
  const params = new SqlParams();
  const distinct = Object.entries(options.distinct ?? {});
  distinct.forEach(([n]) => checkName(n));
  const columns = keyColumns(options.keys);
  const time = timeColumn(source);
  const limit = Math.min(200, Math.max(1, Math.trunc(options.limit ?? 20)));
  const raw = await rawRows(db, options, null, params);
  const minimum = params.add(options.minimum);
  const hashedKey = hashable(keyColumnPairs(options.keys));
  const { rows } = await db.query(
    `WITH matched AS (
       SELECT ${[...keySelect(source, options.keys, params), `${time} AS t`, ...distinct.map(([n, f]) => `${textSql(ALIAS, source, f, params)} AS "d_${n}"`)].join(", ")}
         FROM ${raw.from}
        WHERE ${raw.where}${scopeWhere(source, options.scope, options.base, params)}
     ), candidates AS (
       -- Only a group with \`minimum\` records in the range can hold a burst: most groups have one or two, and the
       -- window functions below sort every record they are given.
       SELECT ${columns} FROM matched GROUP BY ${columns} HAVING count(*) >= ${minimum}
     ), marked AS (
       SELECT *, CASE WHEN t - lag(t) OVER (PARTITION BY ${columns} ORDER BY t) > make_interval(secs => ${params.add(options.gapSeconds)}) THEN 1 ELSE 0 END AS brk
         FROM matched
        WHERE (${hashedKey}) IN (SELECT ${hashedKey} FROM candidates)
     ), numbered AS (
       SELECT *, sum(brk) OVER (PARTITION BY ${columns} ORDER BY t ROWS UNBOUNDED PRECEDING) AS burst FROM marked
     )
     SELECT ${columns}, count(*) AS n, min(t) AS first_seen, max(t) AS last_seen${distinct.map(([n]) => `, count(DISTINCT "d_${n}") AS "d_${n}"`).join("")}
       FROM numbered
      GROUP BY ${columns}, burst
     HAVING count(*) >= ${minimum}
      ORDER BY n DESC, first_seen ASC
      LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map((r) => {
    const { key, keyField, selection, linkable } = rowKey(source, options.keys, r);
    const first = r.first_seen as Date;
    const last = r.last_seen as Date;
    return {
      key,
      keyField,
      count: toNumber(r.n),
      distinct: Object.fromEntries(distinct.map(([n]) => [n, toNumber(r[`d_${n}`])])),
      first,
      last,
      href: linkable ? searchHref(source, { ...options.scope, from: first, to: new Date(last.getTime() + 1) }, mergeSelections(options.base, selection)) : null,
    };
  });
}

export interface FirstSighting<K extends string> {
  key: Record<K, string | null>;
  keyField: Record<K, string | null>;
  /** The scope's first record of the group with no record of it in the lookback before it. */
  firstSeen: Date;
  /** The group's records in the scope. */
  count: number;
  /** Those records. */
  href: string | null;
}

export interface FirstSightingOptions<K extends string> extends Query {
  keys: Record<K, GroupKey>;
  /** How far before a record to look for an earlier one of its group, in days (e.g. 90). */
  lookbackDays: number;
  /** 1 to 200; default 25. Newest first. */
  limit?: number;
}

/**
 * Groups (e.g. user + source IP) sighted for the first time inside the scope: a record of the group with no record
 * of it in the `lookbackDays` before that record. Each group once, at its earliest such record; newest first.
 * Successful console sign-ins per account, user and address are read from lib/reports/sign-in-sightings.ts (an
 * index read of `limit` rows) when its table serves the scope, otherwise grouped from the records of the scope
 * and the lookback before it.
 */
export async function firstSightings<K extends string>(db: Queryable, options: FirstSightingOptions<K>): Promise<FirstSighting<K>[]> {
  const { source } = options;
  const params = new SqlParams();
  const limit = Math.min(200, Math.max(1, Math.trunc(options.limit ?? 25)));
  let sql: string;
  if (sightingsHold(options)) {
    await refreshRollups(db);
    sql = firstSightingsSql(options.scope, limit, params);
  } else {
    const columns = keyColumns(options.keys);
    const time = timeColumn(source);
    const lookback = `make_interval(days => ${params.add(options.lookbackDays)})`;
    const fromSql = params.add(options.scope.from);
    const lookbackFrom = new Date(options.scope.from.getTime() - options.lookbackDays * 86_400_000);
    const raw = await rawRows(db, options, null, params);
    sql = `SELECT ${columns}, min(t) FILTER (WHERE sighted) AS first_seen, count(*) FILTER (WHERE t >= ${fromSql}::timestamptz) AS n
       FROM (
         SELECT *, t >= ${fromSql}::timestamptz AND coalesce(lag(t) OVER (PARTITION BY ${columns} ORDER BY t) < t - ${lookback}, true) AS sighted
           FROM (
             SELECT ${[...keySelect(source, options.keys, params), `${time} AS t`].join(", ")}
               FROM ${raw.from}
              WHERE ${raw.where}${scopeWhere(source, { ...options.scope, from: lookbackFrom }, options.base, params)}
           ) m
       ) w
      GROUP BY ${columns}
     HAVING bool_or(sighted)
      ORDER BY first_seen DESC, ${columns}
      LIMIT ${params.add(limit)}`;
  }
  const { rows } = await db.query(sql, params.values);
  return rows.map((r) => {
    const { key, keyField, selection, linkable } = rowKey(source, options.keys, r);
    return {
      key,
      keyField,
      firstSeen: r.first_seen as Date,
      count: toNumber(r.n),
      href: linkable ? searchHref(source, options.scope, mergeSelections(options.base, selection)) : null,
    };
  });
}

/** Whether the sign-in sightings' table holds the groups `options` asks for, over its scope. */
function sightingsHold(options: FirstSightingOptions<string>): boolean {
  const keysOf = (keys: Record<string, GroupKey>) => JSON.stringify(Object.entries(keys).map(([name, key]) => [name, keyFields(key)]));
  return (
    options.source === "cloudtrail" &&
    keysOf(options.keys) === keysOf(SIGHTING_KEYS) &&
    options.lookbackDays === FIRST_SEEN_LOOKBACK_DAYS &&
    sameSelection(options.source, options.base, SIGHTED) &&
    sightingsServe(options.scope)
  );
}

// ---- event lists -------------------------------------------------------------------------------

/** One CloudTrail event of a list panel. Text fields are attacker-controlled: render as text. */
export interface EventRow<F extends string = never> {
  eventTime: Date;
  eventId: string;
  account: string;
  region: string | null;
  eventSource: string | null;
  eventName: string | null;
  /** `userIdentity.arn`, else `userName`, else `invokedBy` (AWS services), else null. */
  principal: string | null;
  sourceIp: string | null;
  errorCode: string | null;
  /** Present on failures, including console sign-in failures, which have no `errorCode`. */
  errorMessage: string | null;
  /** Extra fields the panel asked for, as text (JSON paths: the first value). */
  fields: Record<F, string | null>;
  /** The search page showing just this event (eventID within its account); null if the id is not a plain value. */
  href: string | null;
}

export interface ListEventsOptions<F extends string> {
  scope: ReportScope;
  base?: Selection;
  /** Extra fields to return: name → catalogue field (`requestParameters.userName`). */
  fields?: Record<F, string>;
  /** Newest first (default), or by a numeric field, largest first (records without it last). */
  orderBy?: "newest" | { largest: string };
  /** 1 to 500; default 20. */
  limit?: number;
}

/** A selection's `eventName` values when it names two or more and each is a plain name (no pattern), else null. */
function eventNameList(selection: Selection | undefined): string[] | null {
  const names = selection?.include?.eventName;
  if (names === undefined || !Array.isArray(names) || names.length < 2) return null;
  return names.every((n) => typeof n === "string" && !isPattern(n)) ? [...new Set(names as string[])] : null;
}

/** CloudTrail events of the scope and selection (from a slice when one holds them), each with its own link. Throws for an unknown field. */
export async function listEvents<F extends string = never>(db: Queryable, options: ListEventsOptions<F>): Promise<EventRow<F>[]> {
  const source = "cloudtrail";
  const params = new SqlParams();
  const fieldNames = Object.keys(options.fields ?? {}) as F[];
  fieldNames.forEach(checkName);
  const extra = fieldNames.map((n) => `${textSql(ALIAS, source, (options.fields as Record<F, string>)[n], params)} AS "x_${n}"`);
  const order =
    options.orderBy && options.orderBy !== "newest"
      ? `${numberSql(ALIAS, source, options.orderBy.largest, params)} DESC NULLS LAST, ${timeColumn(source)} DESC`
      : `${timeColumn(source)} DESC`;
  const limit = Math.min(500, Math.max(1, Math.trunc(options.limit ?? 20)));
  const from = await rawRows(db, { source, scope: options.scope, base: options.base }, null, params);
  // Newest first over several event names: each name's newest from the event-name index, then the newest of those.
  // One query over them all reads every event of the names in the range (a month of security-group changes at 10M
  // events) to sort it; a branch per name costs a plan per name. The lateral subquery is planned once.
  const newest = !options.orderBy || options.orderBy === "newest";
  const names = newest && !from.sliced ? eventNameList(options.base) : null;
  const { eventName: _names, ...otherIncludes } = options.base?.include ?? {};
  const base = names ? { ...options.base, include: otherIncludes } : options.base;
  const select = `SELECT e.event_time, e.event_id, e.recipient_account_id, e.aws_region, e.event_source, e.event_name,
            coalesce(e.user_identity_arn, e.user_identity_user_name, e.user_identity_invoked_by) AS principal,
            e.source_ip_address, e.error_code, e.error_message${extra.length ? `,\n            ${extra.join(", ")}` : ""}
       FROM ${from.from}
      WHERE ${from.where}${scopeWhere(source, options.scope, base, params)}`;
  const limitSql = params.add(limit);
  const text = names
    ? `SELECT l.* FROM unnest(${params.add(names)}::text[]) AS n(name)
        CROSS JOIN LATERAL (${select}
          AND e.event_name = n.name
        ORDER BY ${order}, e.event_id
        LIMIT ${limitSql}) l
      ORDER BY l.event_time DESC, l.event_id
      LIMIT ${limitSql}`
    : `${select}
      ORDER BY ${order}, e.event_id
      LIMIT ${limitSql}`;
  const { rows } = await db.query(text, params.values);
  return rows.map((r) => {
    const eventId = String(r.event_id);
    const account = String(r.recipient_account_id);
    const linkable = isLiteral(source, "eventID", eventId) && isLiteral(source, "recipientAccountId", account);
    return {
      eventTime: r.event_time as Date,
      eventId,
      account,
      region: (r.aws_region as string | null) ?? null,
      eventSource: (r.event_source as string | null) ?? null,
      eventName: (r.event_name as string | null) ?? null,
      principal: (r.principal as string | null) ?? null,
      sourceIp: (r.source_ip_address as string | null) ?? null,
      errorCode: (r.error_code as string | null) ?? null,
      errorMessage: (r.error_message as string | null) ?? null,
      fields: Object.fromEntries(fieldNames.map((n) => [n, r[`x_${n}`] === null || r[`x_${n}`] === undefined ? null : String(r[`x_${n}`])])) as Record<F, string | null>,
      href: linkable ? searchHref(source, options.scope, { include: { eventID: eventId, recipientAccountId: account } }) : null,
    };
  });
}
