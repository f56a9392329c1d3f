import { resolveField, type JsonPathField, type ResolvedField } from "./fields";
import type { AllowList, Condition, Predicate, Rule, RuleSource } from "./rule-schema";

/**
 * Compiles rules to parameterised SQL. Values always travel as parameters;
 * identifiers come only from the field catalogue (lib/detect/fields.ts); JSON
 * paths are built from validated segments and passed as parameters too.
 *
 * The same two queries serve ingest-time detection, scheduled evaluation, the
 * backfill, the rule preview, `trailwatch rules test` and the rule tests.
 */

/** How a source's table is read. */
interface SourceTable {
  table: string;
  /** Time column: CloudTrail `eventTime`; flow logs `start` (seconds, UTC). */
  time: string;
  /** SQL of the event's id within its account: CloudTrail `eventID`, flow `<object id>:<line number>`. */
  ref: (alias: string) => string;
  /** SQL of the account the record belongs to. */
  account: (alias: string) => string;
}

export const SOURCE_TABLES: Record<RuleSource, SourceTable> = {
  cloudtrail: {
    table: "cloudtrail_events",
    time: "event_time",
    ref: (a) => `${a}.event_id`,
    account: (a) => `${a}.recipient_account_id`,
  },
  vpcflow: {
    table: "flow_records",
    time: "start",
    ref: (a) => `(${a}.object_id::text || ':' || ${a}.line_number::text)`,
    account: (a) => `coalesce(${a}.account_id, '')`,
  },
};

/** Refs kept per alert group per query: an alert names at most this many events (its match count is exact). */
export const MAX_EVENTS_PER_FINDING = 10_000;

/** Collects parameter values and hands out their `$n` placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Which rows a query looks at: the rows of some ingested objects and / or a time range (UTC, `to` exclusive). */
export interface Scope {
  objectIds?: readonly (number | bigint)[];
  from?: Date;
  to?: Date;
}

export interface CompiledQuery {
  text: string;
  values: unknown[];
}

/** The default group of a rule: CloudTrail account + principal; flow logs account + `srcaddr`. */
export function groupFields(rule: Rule): string[] {
  return rule.groupBy ?? (rule.source === "cloudtrail" ? ["recipientAccountId", "userIdentity.arn"] : ["account-id", "srcaddr"]);
}

/**
 * Matching records of a rule without aggregation, grouped by the rule's group
 * fields and split into bursts: a gap longer than `rule.dedupMinutes` between
 * two matches starts a new burst. Columns: g0…gN (group values as text),
 * `match_count`, `first_seen`, `last_seen`, `accounts`, `refs` (time order, capped).
 */
export function compileMatchQuery(rule: Rule, scope: Scope): CompiledQuery {
  const params = new SqlParams();
  const src = SOURCE_TABLES[rule.source];
  const groups = groupFields(rule).map((f, i) => `${textSql("e", rule.source, f, params)} AS g${i}`);
  const g = groupFields(rule).map((_, i) => `g${i}`);
  const partition = g.length ? `PARTITION BY ${g.join(", ")}` : "";
  const gap = params.add(rule.dedupMinutes * 60);
  const text = `
WITH matched AS (
  SELECT ${[...groups, `e."${src.time}" AS t`, `${src.account("e")} AS account`, `${src.ref("e")} AS ref`].join(", ")}
  FROM ${src.table} e
  WHERE ${whereSql(rule, scope, params)}
), marked AS (
  SELECT *, CASE WHEN t - lag(t) OVER (${partition} ORDER BY t) > make_interval(secs => ${gap}) THEN 1 ELSE 0 END AS brk FROM matched
), bursts AS (
  SELECT *, sum(brk) OVER (${partition} ORDER BY t ROWS UNBOUNDED PRECEDING) AS burst FROM marked
)
SELECT ${[...g, "count(*)::int AS match_count", "min(t) AS first_seen", "max(t) AS last_seen",
    `(array_agg(account ORDER BY t))[1:${MAX_EVENTS_PER_FINDING}] AS accounts`,
    `(array_agg(ref ORDER BY t))[1:${MAX_EVENTS_PER_FINDING}] AS refs`].join(", ")}
FROM bursts
GROUP BY ${[...g, "burst"].join(", ")}
ORDER BY first_seen`;
  return { text, values: params.values };
}

/**
 * Datapoints of an aggregation rule: one row per group and period
 * (`bucket` = floor(epoch seconds / periodSeconds)) with the statistic as
 * `value`, `matches`, `first_seen`, `last_seen`, `accounts`, `refs`, ordered by group, then bucket (so a reader can
 * evaluate one group at a time). With `onlyBreaching`, periods whose value does not breach the threshold are left out.
 * Throws when the rule has no aggregation.
 */
export function compileDatapointsQuery(rule: Rule, scope: Scope, onlyBreaching: boolean): CompiledQuery {
  const agg = rule.aggregation;
  if (!agg) throw new Error(`rule ${rule.id} has no aggregation`);
  const params = new SqlParams();
  const src = SOURCE_TABLES[rule.source];
  const groups = groupFields(rule).map((f, i) => `${textSql("e", rule.source, f, params)} AS g${i}`);
  const g = groupFields(rule).map((_, i) => `g${i}`);
  const period = params.add(agg.periodSeconds);
  const statistic =
    agg.statistic === "count" ? "count(*)"
    : agg.statistic === "distinctCount" ? "count(DISTINCT v)"
    : "coalesce(sum(v), 0)";
  const v = agg.field
    ? agg.statistic === "sum" ? `${numberSql("e", rule.source, agg.field, params)} AS v` : `${textSql("e", rule.source, agg.field, params)} AS v`
    : "NULL AS v";
  const having = onlyBreaching ? `HAVING ${statistic} ${COMPARE[agg.comparison]} ${params.add(agg.threshold)}` : "";
  const text = `
WITH matched AS (
  SELECT ${[...groups, v, `e."${src.time}" AS t`, `${src.account("e")} AS account`, `${src.ref("e")} AS ref`].join(", ")}
  FROM ${src.table} e
  WHERE ${whereSql(rule, scope, params)}
)
SELECT ${[...g, `floor(extract(epoch FROM t) / ${period})::bigint AS bucket`, `${statistic}::float8 AS value`,
    "count(*)::int AS matches", "min(t) AS first_seen", "max(t) AS last_seen",
    `(array_agg(account ORDER BY t))[1:${MAX_EVENTS_PER_FINDING}] AS accounts`,
    `(array_agg(ref ORDER BY t))[1:${MAX_EVENTS_PER_FINDING}] AS refs`].join(", ")}
FROM matched
GROUP BY ${[...g, "bucket"].join(", ")}
${having}
ORDER BY ${[...g, "bucket"].join(", ")}`;
  return { text, values: params.values };
}

const COMPARE: Record<NonNullable<Rule["aggregation"]>["comparison"], string> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

/** The WHERE clause of a rule over alias `e`: match, not allow-listed, correlated, in scope. */
function whereSql(rule: Rule, scope: Scope, params: SqlParams): string {
  const src = SOURCE_TABLES[rule.source];
  const parts = [conditionSql("e", rule.source, rule.match, params)];
  const allowed = allowSql("e", rule.source, rule.allow, params);
  if (allowed) parts.push(`NOT coalesce(${allowed}, false)`);
  if (rule.correlation) {
    const c = rule.correlation;
    const other = SOURCE_TABLES[c.source];
    const within = params.add(c.withinSeconds);
    const joins = c.join.map((j) => `${textSql("o", c.source, j.otherField, params)} = ${textSql("e", rule.source, j.field, params)}`);
    parts.push(`EXISTS (SELECT 1 FROM ${other.table} o WHERE ${[
      conditionSql("o", c.source, c.match, params),
      `o."${other.time}" <= e."${src.time}"`,
      `o."${other.time}" >= e."${src.time}" - make_interval(secs => ${within})`,
      ...joins,
    ].join(" AND ")})`);
  }
  if (scope.objectIds) parts.push(`e.object_id = ANY(${params.add(scope.objectIds.map(String))}::bigint[])`);
  if (scope.from) parts.push(`e."${src.time}" >= ${params.add(scope.from)}`);
  if (scope.to) parts.push(`e."${src.time}" < ${params.add(scope.to)}`);
  return parts.join("\n    AND ");
}

/** SQL of a condition tree over alias `alias`. Every predicate is NULL-safe, so `not` is true for absent fields. */
export function conditionSql(alias: string, source: RuleSource, condition: Condition, params: SqlParams): string {
  if ("all" in condition) return `(${condition.all.map((c) => conditionSql(alias, source, c, params)).join(" AND ")})`;
  if ("any" in condition) return `(${condition.any.map((c) => conditionSql(alias, source, c, params)).join(" OR ")})`;
  if ("not" in condition) return `(NOT ${conditionSql(alias, source, condition.not, params)})`;
  return predicateSql(alias, source, condition, params);
}

function predicateSql(alias: string, source: RuleSource, p: Predicate, params: SqlParams): string {
  if (p.op === "equalsField") return `coalesce(${textSql(alias, source, p.field, params)} = ${textSql(alias, source, p.value, params)}, false)`;
  const field = mustResolve(source, p.field);
  if (field.kind === "json") return jsonPredicateSql(alias, field, p, params);
  const expr = `${alias}."${field.column}"`;
  if (p.op === "exists") return p.value ? `(${expr} IS NOT NULL)` : `(${expr} IS NULL)`;
  if (p.op === "cidr") {
    const inet = field.type === "ip" ? expr : `trailwatch_inet(${expr})`;
    return `coalesce(${inet} <<= ANY(${params.add(list(p.value))}::inet[]), false)`;
  }
  if (p.op === "gt" || p.op === "gte" || p.op === "lt" || p.op === "lte") {
    const number = field.type === "number" ? expr : `trailwatch_numeric(${expr})`;
    return `coalesce(${number} ${OPS[p.op]} ${params.add(p.value)}::numeric, false)`;
  }
  if (field.type === "boolean") return sargableEquals(expr, `${params.add(p.value)}::boolean`);
  if (field.type === "number" && (p.op === "equals" || p.op === "in")) {
    return sargableEquals(expr, `ANY(${params.add(list(p.value).map(String))}::numeric[])`);
  }
  const asText = field.type === "ip" ? `host(${expr})` : field.type === "text" ? expr : `${expr}::text`;
  return textTestSql(asText, p, params);
}

const OPS = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

/**
 * `expr = right`, false (never NULL) when `expr` is NULL — the same truth table as
 * `coalesce(expr = right, false)` for a right side without NULLs (parameters never hold one), but
 * written so that Postgres can use an index on `expr`: a `coalesce(…)` hides the column from the
 * planner, which then scans every row of the time range (issue 9b: 10M events). One value is compared
 * with `=`, not `= ANY`: an index on (expr, time) then also yields rows in time order (a first search page).
 */
function sargableEquals(expr: string, right: string): string {
  return `(${expr} = ${right} AND ${expr} IS NOT NULL)`;
}

/** A string test (equals / in / prefix / suffix / contains) on a text expression. */
function textTestSql(expr: string, p: Predicate, params: SqlParams): string {
  const ignoreCase = "ignoreCase" in p && p.ignoreCase === true;
  const values = list("value" in p ? p.value : []).map(String);
  if (p.op === "equals" || p.op === "in") {
    return ignoreCase
      ? `coalesce(lower(${expr}) = ANY(${params.add(values.map((v) => v.toLowerCase()))}::text[]), false)`
      : sargableEquals(expr, values.length === 1 ? `${params.add(values[0])}::text` : `ANY(${params.add(values)}::text[])`);
  }
  const patterns = values.map((v) => {
    const literal = escapeLike(v);
    return p.op === "prefix" ? `${literal}%` : p.op === "suffix" ? `%${literal}` : `%${literal}%`;
  });
  return `coalesce(${expr} ${ignoreCase ? "ILIKE" : "LIKE"} ANY(${params.add(patterns)}::text[]), false)`;
}

/** A test on a JSON path of the raw record: true when any value the path reaches passes. */
function jsonPredicateSql(alias: string, field: JsonPathField, p: Predicate, params: SqlParams): string {
  const values = `jsonb_path_query(${alias}.raw, ${params.add(jsonPath(field))}::jsonpath) AS j(v)`;
  if (p.op === "exists") {
    const present = `EXISTS (SELECT 1 FROM ${values} WHERE jsonb_typeof(j.v) <> 'null')`;
    return p.value ? present : `(NOT ${present})`;
  }
  const t = `(j.v #>> '{}')`;
  let test: string;
  if (p.op === "cidr") test = `trailwatch_inet(${t}) <<= ANY(${params.add(list(p.value))}::inet[])`;
  else if (p.op === "gt" || p.op === "gte" || p.op === "lt" || p.op === "lte") test = `trailwatch_numeric(${t}) ${OPS[p.op]} ${params.add(p.value)}::numeric`;
  else test = textTestSql(t, p, params);
  return `EXISTS (SELECT 1 FROM ${values} WHERE ${test})`;
}

/**
 * A field's value as text, for group keys, distinct counts and joins. A JSON
 * path that reaches several values gives the first.
 */
export function textSql(alias: string, source: RuleSource, name: string, params: SqlParams): string {
  const field = mustResolve(source, name);
  if (field.kind === "json") return `(jsonb_path_query_first(${alias}.raw, ${params.add(jsonPath(field))}::jsonpath) #>> '{}')`;
  const expr = `${alias}."${field.column}"`;
  return field.type === "text" ? expr : field.type === "ip" ? `host(${expr})` : `${expr}::text`;
}

/**
 * The quoted column holding `field` in the source's table (rollup and leader-board tables name theirs alike).
 * Throws for a field without a column of its own (a JSON path).
 */
export function columnName(source: RuleSource, name: string): string {
  const field = resolveField(source, name);
  if (field?.kind !== "column") throw new Error(`${source} field ${name} is not a column`);
  return `"${field.column}"`;
}

/** A field's value as a number (for sums); text that is not a number becomes NULL. */
export function numberSql(alias: string, source: RuleSource, name: string, params: SqlParams): string {
  const field = mustResolve(source, name);
  if (field.kind === "column" && field.type === "number") return `${alias}."${field.column}"::numeric`;
  return `trailwatch_numeric(${textSql(alias, source, name, params)})`;
}

/** SQL that is true when the record is allow-listed, or null when the list is empty. */
function allowSql(alias: string, source: RuleSource, allow: AllowList, params: SqlParams): string | null {
  const parts: string[] = [];
  const globs = (patterns: string[]) => `${params.add(patterns.map(globToLike))}::text[]`;
  if (source === "cloudtrail") {
    if (allow.principalArns?.length) {
      const p = globs(allow.principalArns);
      parts.push(`${alias}.user_identity_arn LIKE ANY(${p})`, `${alias}.session_issuer_arn LIKE ANY(${p})`);
    }
    if (allow.roleNames?.length) parts.push(`${alias}.session_issuer_user_name = ANY(${params.add(allow.roleNames)}::text[])`);
    if (allow.sourceCidrs?.length) parts.push(`trailwatch_inet(${alias}.source_ip_address) <<= ANY(${params.add(allow.sourceCidrs)}::inet[])`);
    if (allow.userAgents?.length) parts.push(`${alias}.user_agent LIKE ANY(${globs(allow.userAgents)})`);
    if (allow.accounts?.length) parts.push(`${alias}.recipient_account_id = ANY(${params.add(allow.accounts)}::text[])`);
  } else {
    if (allow.sourceCidrs?.length) parts.push(`${alias}.srcaddr <<= ANY(${params.add(allow.sourceCidrs)}::inet[])`);
    if (allow.accounts?.length) parts.push(`${alias}.account_id = ANY(${params.add(allow.accounts)}::text[])`);
  }
  return parts.length ? `(${parts.map((x) => `coalesce(${x}, false)`).join(" OR ")})` : null;
}

function mustResolve(source: RuleSource, name: string): ResolvedField {
  const field = resolveField(source, name);
  if (!field) throw new Error(`unknown ${source} field "${name}"`);
  return field;
}

/** `requestParameters.userName` → `lax $."requestParameters"."userName"[*]` (arrays searched at every level). */
function jsonPath(field: JsonPathField): string {
  return `lax $${field.segments.map((s) => `."${s}"`).join("")}[*]`;
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** A literal for LIKE: `%`, `_` and the escape character `\` match only themselves. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `arn:aws:iam::*:role/ci-*` → a LIKE pattern where only `*` is a wildcard. */
export function globToLike(pattern: string): string {
  return escapeLike(pattern).replace(/\*/g, "%");
}

