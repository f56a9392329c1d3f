import { conditionSql, type SqlParams } from "../detect/compile-rule";
import { all, any, cidr, eq, exists, isIn, not, prefix } from "../detect/conditions";
import { resolveField } from "../detect/fields";
import type { Condition, Predicate, RuleSource } from "../detect/rule-schema";
import type { Measure } from "./report-query";

/**
 * A selection of records: the filters of a report panel, written exactly as a search link
 * (lib/search/search-url.ts) writes them, so the SQL that counts and the link that lists
 * are built from the same data and cannot disagree.
 *
 * - `include[field] = v` (or `[v1, v2]`): the field equals one of the values (`f.<field>=v` in the link);
 * - `exclude[field] = v` (or a list): the field equals none of them (`x.<field>=v`); absent fields pass;
 * - fields are AWS's names from the rule engine's catalogue (lib/detect/fields.ts): `eventName`,
 *   `userIdentity.arn`, `requestParameters.bucketName`, `srcaddr`, `dstport`, `action`, …;
 * - values: `"*"` alone means "present"; a string ending in `*` matches by prefix; on an IP field
 *   (flow addresses, CloudTrail `sourceIPAddress`) a value with `/` is a CIDR block; otherwise equality
 *   (numbers numerically, `true`/`false` on boolean fields).
 *
 * The SQL comes from the rule engine's compiler (`conditionSql`), the one place that turns these
 * predicates into SQL, so a report, a rule and the search pages agree on what a filter means.
 */

export type RecordSource = RuleSource;
export type FieldValue = string | number | boolean;
export type FieldValues = FieldValue | readonly FieldValue[];

export interface Selection {
  include?: Readonly<Record<string, FieldValues>>;
  exclude?: Readonly<Record<string, FieldValues>>;
}

/** The selection of every record. */
export const EVERYTHING: Selection = {};

/** A selection's value or values as a list. */
export function list(values: FieldValues): readonly FieldValue[] {
  return Array.isArray(values) ? values : [values as FieldValue];
}

function isIpField(source: RecordSource, field: string): boolean {
  const resolved = resolveField(source, field);
  return resolved !== null && resolved.kind === "column" && (resolved.type === "ip" || resolved.mayHoldIp === true);
}

/**
 * Whether `value` of `field` can appear in a link as a plain equality: values from the data
 * (attacker-controlled) that end in `*`, or contain `/` on an IP field, would be read as a
 * pattern by the search page, so a row keyed by such a value gets no link rather than a wrong one.
 */
export function isLiteral(source: RecordSource, field: string, value: string): boolean {
  if (value.endsWith("*")) return false;
  return !(value.includes("/") && isIpField(source, field));
}

/** The condition one value of a selection stands for (see the module comment). Throws for an unknown field or a bad number. */
export function valueCondition(source: RecordSource, field: string, value: FieldValue): Condition {
  const resolved = resolveField(source, field);
  if (!resolved) throw new Error(`unknown ${source} field "${field}"`);
  if (value === "*") return exists(field);
  if (typeof value === "string" && value.length > 1 && value.endsWith("*")) return prefix(field, value.slice(0, -1));
  if (typeof value === "string" && value.includes("/") && isIpField(source, field)) return cidr(field, value);
  if (resolved.type === "number") {
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(n)) throw new Error(`${field} is a number: ${JSON.stringify(value)} is not`);
    return eq(field, n);
  }
  if (resolved.type === "boolean") return eq(field, value === true || value === "true");
  return eq(field, String(value));
}

/**
 * The condition one field's values stand for: any of them. Several plain values of a text or number field are one
 * `in` test (SQL `= ANY(array)`), which an index scan, and an index-only scan of a covering index, can take whole;
 * a chain of ORs only becomes a bitmap scan, which always reads the table.
 */
function anyValue(source: RecordSource, field: string, values: readonly FieldValue[]): Condition {
  const conditions = values.map((v) => valueCondition(source, field, v));
  const isEquality = (c: Condition): c is Predicate & { op: "equals" } => "op" in c && c.op === "equals";
  const equal = conditions.filter(isEquality);
  const type = resolveField(source, field)?.type;
  const merged =
    equal.length > 1 && (type === "text" || type === "number") ? [isIn(field, equal.map((c) => c.value)), ...conditions.filter((c) => !isEquality(c))] : conditions;
  return merged.length === 1 ? merged[0]! : any(...merged);
}

/** Whether two selections of `source` pick the same records (they compile to the same condition; absent: every record). */
export function sameSelection(source: RecordSource, a: Selection | undefined, b: Selection | undefined): boolean {
  return JSON.stringify(selectionCondition(source, a ?? {})) === JSON.stringify(selectionCondition(source, b ?? {}));
}

/** Whether two measures of `source` count the same thing: same kind, field and records. */
export function sameMeasure(source: RecordSource, a: Measure, b: Measure): boolean {
  return a.kind === b.kind && (a.kind === "count" || JSON.stringify(a.field) === JSON.stringify((b as { field: unknown }).field)) && sameSelection(source, a.where, b.where);
}

/** The condition of a whole selection, or null when it selects everything. */
export function selectionCondition(source: RecordSource, selection: Selection): Condition | null {
  const parts: Condition[] = [];
  for (const [field, values] of Object.entries(selection.include ?? {})) {
    if (list(values).length === 0) throw new Error(`include.${field} has no values`);
    parts.push(anyValue(source, field, list(values)));
  }
  for (const [field, values] of Object.entries(selection.exclude ?? {})) {
    if (list(values).length === 0) continue;
    parts.push(not(anyValue(source, field, list(values))));
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : all(...parts);
}

/** SQL (rows aliased `alias`) true for the records of `selection`, or null when it selects every record. */
export function selectionSql(alias: string, source: RecordSource, selection: Selection | undefined, params: SqlParams): string | null {
  const condition = selection ? selectionCondition(source, selection) : null;
  return condition ? conditionSql(alias, source, condition, params) : null;
}

function sameValues(a: readonly FieldValue[], b: readonly FieldValue[]): boolean {
  return a.length === b.length && a.every((v, i) => String(v) === String(b[i]));
}

// A prefix pattern ("Foo*"), "present" ("*"), or something shaped like a CIDR block.
export const isPattern = (v: FieldValue) => typeof v === "string" && (v.endsWith("*") || /^[0-9a-f:.]+\/\d{1,3}$/i.test(v));

/**
 * Whether every record `selection` selects is also selected by `within` (a selection of plain values: a slice's or a
 * rollup's records): each field `within` includes is included by `selection` with plain values `within` allows, and
 * each value `within` excludes is excluded by `selection` too. Conservative: a selection written another way (a
 * prefix, a CIDR block) is not recognised.
 */
export function selectionWithin(selection: Selection | undefined, within: Selection): boolean {
  for (const [field, allowed] of Object.entries(within.include ?? {})) {
    const values = list(selection?.include?.[field] ?? []);
    const ok = new Set(list(allowed).map(String));
    if (values.length === 0 || !values.every((v) => !isPattern(v) && ok.has(String(v)))) return false;
  }
  for (const [field, refused] of Object.entries(within.exclude ?? {})) {
    const excluded = new Set(list(selection?.exclude?.[field] ?? []).map(String));
    if (!list(refused).every((v) => excluded.has(String(v)))) return false;
  }
  return true;
}

/** Whether plain value `v` satisfies `pattern` ("*" or a "Foo*" prefix). CIDR blocks are not evaluated here. */
function satisfies(v: FieldValue, pattern: FieldValue): boolean {
  if (pattern === "*") return true;
  const p = String(pattern);
  return p.endsWith("*") && String(v).startsWith(p.slice(0, -1));
}

/** The values allowed by both lists, or null when that cannot be computed exactly. */
function intersect(a: readonly FieldValue[], b: readonly FieldValue[]): FieldValue[] | null {
  if (sameValues(a, b)) return [...a];
  const aPatterns = a.some(isPattern);
  const bPatterns = b.some(isPattern);
  if (aPatterns && bPatterns) return null;
  const [patterns, plain] = aPatterns ? [a, b] : bPatterns ? [b, a] : [null, a];
  if (patterns === null) {
    const allowed = new Set(b.map(String));
    return plain.filter((v) => allowed.has(String(v)));
  }
  // Only "*" and prefixes can be evaluated on plain values; a CIDR block against plain values cannot.
  if (patterns.some((p) => String(p) !== "*" && !String(p).endsWith("*"))) return null;
  return plain.filter((v) => patterns.some((p) => satisfies(v, p)));
}

/**
 * Both selections at once (AND). Excluded values accumulate. A field included by both keeps the
 * values both allow (`"*"` and `Foo*` narrowed by plain values are plain values); when that cannot be
 * written exactly (two different patterns, a CIDR block and addresses) it throws rather than
 * silently widening or narrowing the selection, and also when nothing would be left.
 */
export function mergeSelections(...selections: readonly (Selection | undefined)[]): Selection {
  const include: Record<string, readonly FieldValue[]> = {};
  const exclude: Record<string, FieldValue[]> = {};
  for (const selection of selections) {
    if (!selection) continue;
    for (const [field, values] of Object.entries(selection.include ?? {})) {
      const next = list(values);
      const prev = include[field];
      if (prev === undefined) {
        include[field] = next;
        continue;
      }
      const both = intersect(prev, next);
      if (both === null) throw new Error(`cannot intersect the values of ${field}`);
      if (both.length === 0) throw new Error(`the selections exclude each other on ${field}`);
      include[field] = both;
    }
    for (const [field, values] of Object.entries(selection.exclude ?? {})) {
      const acc = (exclude[field] ??= []);
      for (const v of list(values)) if (!acc.some((a) => String(a) === String(v))) acc.push(v);
    }
  }
  const out: { include?: Record<string, FieldValues>; exclude?: Record<string, FieldValues> } = {};
  if (Object.keys(include).length) out.include = Object.fromEntries(Object.entries(include).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
  if (Object.keys(exclude).length) out.exclude = Object.fromEntries(Object.entries(exclude).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
  return out;
}

/** The selection as the search link's include / exclude maps (values as strings, `true`/`false` for booleans). */
export function selectionLinkFilters(selection: Selection): {
  include: Record<string, string | string[]>;
  exclude: Record<string, string | string[]>;
} {
  const strings = (m: Readonly<Record<string, FieldValues>> | undefined) =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
  return { include: strings(selection.include), exclude: strings(selection.exclude) };
}
