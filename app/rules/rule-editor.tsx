"use client";

import { useActionState, useState } from "react";
import type { Condition, Predicate, Rule } from "../../lib/detect/rule-schema";
import { saveRuleAction, type RuleFormResult } from "./actions";
import { RulePreview } from "./rule-preview";

type FieldInfo = { name: string; type: string };
type Row = { field: string; op: string; value: string; ignoreCase: boolean };

const OPS = [
  ["equals", "equals"], ["in", "is one of (comma-separated)"], ["prefix", "starts with"], ["suffix", "ends with"], ["contains", "contains"],
  ["exists", "is present"], ["missing", "is absent"], ["cidr", "in network (CIDR)"], ["gt", ">"], ["gte", "≥"], ["lt", "<"], ["lte", "≤"], ["equalsField", "equals field"],
] as const;
const SEVERITIES = ["info", "low", "medium", "high", "critical"];
const COMPARISONS = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];
const MISSING = ["missing", "notBreaching", "breaching", "ignore"];
const ALLOW = [["principalArns", "Principal ARN patterns (* wildcard)"], ["roleNames", "Role names"], ["sourceCidrs", "Source networks (CIDR)"], ["userAgents", "User agent patterns"], ["accounts", "Account ids"]] as const;
const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/** A flat `all` / `any` of predicates, or null when the tree is deeper (then it is edited as JSON). */
function flatten(match: Condition): { combinator: "all" | "any"; rows: Row[] } | null {
  const list = "all" in match ? { combinator: "all" as const, items: match.all } : "any" in match ? { combinator: "any" as const, items: match.any } : "not" in match ? null : { combinator: "all" as const, items: [match] };
  if (!list || !list.items.every((c) => "field" in c)) return null;
  return {
    combinator: list.combinator,
    rows: (list.items as Predicate[]).map((p) => ({
      field: p.field,
      op: p.op === "exists" ? (p.value === false ? "missing" : "exists") : p.op,
      value: p.op === "exists" ? "" : Array.isArray(p.value) ? p.value.join(", ") : String(p.value),
      ignoreCase: "ignoreCase" in p && p.ignoreCase === true,
    })),
  };
}

function toPredicate(row: Row, types: Map<string, string>): Predicate {
  const type = types.get(row.field) ?? "text";
  const scalar = (v: string): string | number | boolean => (type === "boolean" && (v === "true" || v === "false") ? v === "true" : type === "number" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
  const words = row.value.split(",").map((v) => v.trim()).filter(Boolean);
  const ic = row.ignoreCase ? { ignoreCase: true } : {};
  switch (row.op) {
    case "exists": return { field: row.field, op: "exists", value: true };
    case "missing": return { field: row.field, op: "exists", value: false };
    case "in": return { field: row.field, op: "in", value: words.map(scalar), ...ic };
    case "prefix": case "suffix": case "contains": return { field: row.field, op: row.op, value: words.length > 1 ? words : row.value, ...ic };
    case "cidr": return { field: row.field, op: "cidr", value: words.length > 1 ? words : row.value.trim() };
    case "gt": case "gte": case "lt": case "lte": return { field: row.field, op: row.op, value: Number(row.value) };
    case "equalsField": return { field: row.field, op: "equalsField", value: row.value.trim() };
    default: return { field: row.field, op: "equals", value: scalar(row.value), ...ic };
  }
}

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

/**
 * The rule editor: the whole rule model (conditions built over the field
 * catalogue with autocomplete and stored-value suggestions, CloudWatch-style
 * threshold, allow-lists, dedup window, severity, techniques), a preview on
 * stored history, and save — validated on the server by ruleSchema, with each
 * problem shown at its field.
 */
export function RuleEditor({ initial, mode, fields }: { initial: Rule; mode: "create" | "update"; fields: Record<string, FieldInfo[]> }) {
  const [result, act, pending] = useActionState<RuleFormResult, FormData>(saveRuleAction, {});
  const [meta, setMeta] = useState({ id: initial.id, title: initial.title, description: initial.description, response: initial.response, severity: initial.severity as string, source: initial.source as string, techniques: initial.techniques.join(", "), enabled: initial.enabled, dedupMinutes: String(initial.dedupMinutes), groupBy: (initial.groupBy ?? []).join(", ") });
  const flat = flatten(initial.match);
  const [jsonMode, setJsonMode] = useState(flat === null || initial.correlation !== undefined);
  const [combinator, setCombinator] = useState<"all" | "any">(flat?.combinator ?? "all");
  const [rows, setRows] = useState<Row[]>(flat?.rows ?? []);
  const [matchJson, setMatchJson] = useState(JSON.stringify({ match: initial.match, ...(initial.correlation ? { correlation: initial.correlation } : {}) }, null, 2));
  const [agg, setAgg] = useState(initial.aggregation ? { on: true, ...initial.aggregation, field: initial.aggregation.field ?? "" } : { on: false, statistic: "count", field: "", periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 10, comparison: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching" });
  const [allow, setAllow] = useState<Record<string, string>>(Object.fromEntries(ALLOW.map(([k]) => [k, (initial.allow[k] ?? []).join("\n")])));
  const [suggestions, setSuggestions] = useState<Record<number, string[]>>({});
  const catalogue = fields[meta.source] ?? [];
  const types = new Map(catalogue.map((f) => [f.name, f.type]));

  const draft = (): unknown => {
    let matchPart: Record<string, unknown>;
    if (jsonMode) {
      try {
        matchPart = JSON.parse(matchJson) as Record<string, unknown>;
      } catch {
        matchPart = { match: "(not valid JSON)" };
      }
    } else {
      const predicates = rows.map((r) => toPredicate(r, types));
      matchPart = { match: predicates.length === 1 ? predicates[0] : { [combinator]: predicates } };
    }
    const allowOut = Object.fromEntries(ALLOW.map(([k]) => [k, lines(allow[k] ?? "")]).filter(([, v]) => (v ?? []).length > 0));
    return {
      id: meta.id.trim(), title: meta.title, description: meta.description, response: meta.response, severity: meta.severity, source: meta.source,
      techniques: meta.techniques.split(/[\s,]+/).filter(Boolean), enabled: meta.enabled, dedupMinutes: Number(meta.dedupMinutes),
      ...(meta.groupBy.trim() ? { groupBy: meta.groupBy.split(/[\s,]+/).filter(Boolean) } : {}),
      ...matchPart,
      ...(agg.on ? { aggregation: { statistic: agg.statistic, ...(agg.field ? { field: agg.field } : {}), periodSeconds: Number(agg.periodSeconds), evaluationPeriods: Number(agg.evaluationPeriods), datapointsToAlarm: Number(agg.datapointsToAlarm), threshold: Number(agg.threshold), comparison: agg.comparison, treatMissingData: agg.treatMissingData } } : {}),
      allow: allowOut,
    };
  };

  const errors = result.fieldErrors ?? {};
  const err = (path: string) => {
    const own = Object.entries(errors).filter(([p]) => p === path || (path.endsWith(".") && p.startsWith(path)));
    return own.length ? <span role="alert" className="mt-0.5 block text-xs text-red-700" data-error-for={path}>{own.map(([, m]) => m).join("; ")}</span> : null;
  };
  const suggest = async (i: number, field: string, prefix: string) => {
    if (!types.has(field) && !field.includes(".")) return;
    const res = await fetch(`/api/rules/field-values?${new URLSearchParams({ source: meta.source, field, prefix })}`);
    if (!res.ok) return;
    const values = ((await res.json()) as { values: { value: string }[] }).values.map((v) => v.value);
    setSuggestions((s) => ({ ...s, [i]: values }));
  };
  const setRow = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const text = (key: keyof typeof meta, label: string, props: Record<string, unknown> = {}) => (
    <label className="text-xs font-medium text-slate-600">
      {label}
      <input value={String(meta[key])} onChange={(e) => setMeta({ ...meta, [key]: e.target.value })} className={input} {...props} />
      {err(key)}
    </label>
  );

  return (
    <div className="space-y-4">
      <form action={act} className="space-y-4" aria-label="Rule editor">
        <input type="hidden" name="mode" value={mode} />
        <input type="hidden" name="rule" value={JSON.stringify(draft())} />
        <datalist id="field-names">{catalogue.map((f) => <option key={f.name} value={f.name} />)}</datalist>

        <section className="grid gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm sm:grid-cols-2">
          {text("id", "Id (kebab-case)", { readOnly: mode === "update", name: "rule-id" })}
          {text("title", "Title")}
          <label className="text-xs font-medium text-slate-600 sm:col-span-2">Why it matters<textarea value={meta.description} onChange={(e) => setMeta({ ...meta, description: e.target.value })} rows={2} className={input} />{err("description")}</label>
          <label className="text-xs font-medium text-slate-600 sm:col-span-2">Response<textarea value={meta.response} onChange={(e) => setMeta({ ...meta, response: e.target.value })} rows={2} className={input} />{err("response")}</label>
          <label className="text-xs font-medium text-slate-600">Severity<select value={meta.severity} onChange={(e) => setMeta({ ...meta, severity: e.target.value })} className={input}>{SEVERITIES.map((s) => <option key={s}>{s}</option>)}</select></label>
          <label className="text-xs font-medium text-slate-600">Source<select value={meta.source} disabled={mode === "update"} onChange={(e) => setMeta({ ...meta, source: e.target.value })} className={input}><option value="cloudtrail">CloudTrail</option><option value="vpcflow">VPC Flow Logs</option></select></label>
          {text("techniques", "ATT&CK techniques (e.g. T1555, T1562.008)")}
          {text("dedupMinutes", "Dedup window (minutes)", { type: "number", min: 0 })}
          {text("groupBy", "Group by (fields; empty: account + principal / srcaddr)", { list: "field-names" })}
          <label className="flex items-center gap-2 text-xs font-medium text-slate-600"><input type="checkbox" checked={meta.enabled} onChange={(e) => setMeta({ ...meta, enabled: e.target.checked })} /> Enabled</label>
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="match-heading">
          <div className="flex items-center justify-between">
            <h2 id="match-heading" className="text-sm font-semibold text-slate-900">Match conditions</h2>
            <button type="button" onClick={() => { if (!jsonMode) setMatchJson(JSON.stringify({ match: (draft() as { match: unknown }).match }, null, 2)); setJsonMode(!jsonMode); }} className="text-xs text-sky-800 hover:underline">{jsonMode ? "Builder" : "Edit as JSON"}</button>
          </div>
          {jsonMode ? (
            <textarea value={matchJson} onChange={(e) => setMatchJson(e.target.value)} rows={10} className={`${input} font-mono`} aria-label="Match as JSON" />
          ) : (
            <div className="mt-2 space-y-2">
              <label className="text-xs text-slate-600">Records match when <select value={combinator} onChange={(e) => setCombinator(e.target.value as "all" | "any")} className="rounded border border-slate-300 px-1 text-xs" aria-label="Combine conditions"><option value="all">all</option><option value="any">any</option></select> of these hold:</label>
              {rows.map((r, i) => (
                <div key={i} className="grid grid-cols-[2fr_1.3fr_2fr_auto_auto] items-start gap-2" data-testid="condition-row">
                  <div>
                    <input aria-label={`Condition ${i + 1} field`} list="field-names" value={r.field} onChange={(e) => setRow(i, { field: e.target.value })} onBlur={() => void suggest(i, r.field, "")} className={`${input} mt-0 font-mono`} placeholder="eventName" />
                    {err(`match.${rows.length === 1 ? "" : `${combinator}.${i}.`}field`)}
                  </div>
                  <select aria-label={`Condition ${i + 1} test`} value={r.op} onChange={(e) => setRow(i, { op: e.target.value })} className="rounded border border-slate-300 px-1 py-1 text-sm">{OPS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select>
                  <div>
                    <input aria-label={`Condition ${i + 1} value`} list={`values-${i}`} value={r.value} disabled={r.op === "exists" || r.op === "missing"} onChange={(e) => setRow(i, { value: e.target.value })} className={`${input} mt-0 font-mono`} />
                    <datalist id={`values-${i}`}>{(suggestions[i] ?? []).map((v) => <option key={v} value={v} />)}</datalist>
                    {err(`match.${rows.length === 1 ? "" : `${combinator}.${i}.`}value`)}
                    {rows.length > 1 ? err(`match.${combinator}.${i}`) : err("match")}
                  </div>
                  <label className="flex items-center gap-1 pt-1.5 text-xs text-slate-600"><input type="checkbox" checked={r.ignoreCase} onChange={(e) => setRow(i, { ignoreCase: e.target.checked })} /> any case</label>
                  <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} className="pt-1 text-xs text-red-700 hover:underline" aria-label={`Remove condition ${i + 1}`}>Remove</button>
                </div>
              ))}
              <button type="button" onClick={() => setRows([...rows, { field: "", op: "equals", value: "", ignoreCase: false }])} className="rounded border border-slate-300 px-2 py-0.5 text-xs">Add condition</button>
            </div>
          )}
          {jsonMode ? err("match.") : null}
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="agg-heading">
          <h2 id="agg-heading" className="text-sm font-semibold text-slate-900">
            <label className="flex items-center gap-2"><input type="checkbox" checked={agg.on} onChange={(e) => setAgg({ ...agg, on: e.target.checked })} /> Threshold (CloudWatch alarm per group)</label>
          </h2>
          {agg.on ? (
            <div className="mt-2 grid gap-3 sm:grid-cols-4">
              <label className="text-xs font-medium text-slate-600">Statistic<select value={agg.statistic} onChange={(e) => setAgg({ ...agg, statistic: e.target.value as never })} className={input}><option value="count">count</option><option value="distinctCount">distinct count</option><option value="sum">sum</option></select></label>
              <label className="text-xs font-medium text-slate-600">Of field<input list="field-names" value={agg.field} onChange={(e) => setAgg({ ...agg, field: e.target.value })} className={input} />{err("aggregation.field")}</label>
              <label className="text-xs font-medium text-slate-600">Period (seconds)<input type="number" value={agg.periodSeconds} onChange={(e) => setAgg({ ...agg, periodSeconds: e.target.value as never })} className={input} />{err("aggregation.periodSeconds")}</label>
              <label className="text-xs font-medium text-slate-600">Evaluation periods<input type="number" value={agg.evaluationPeriods} onChange={(e) => setAgg({ ...agg, evaluationPeriods: e.target.value as never })} className={input} />{err("aggregation.evaluationPeriods")}</label>
              <label className="text-xs font-medium text-slate-600">Datapoints to alarm<input type="number" value={agg.datapointsToAlarm} onChange={(e) => setAgg({ ...agg, datapointsToAlarm: e.target.value as never })} className={input} />{err("aggregation.datapointsToAlarm")}</label>
              <label className="text-xs font-medium text-slate-600">Comparison<select value={agg.comparison} onChange={(e) => setAgg({ ...agg, comparison: e.target.value as never })} className={input}>{COMPARISONS.map((c) => <option key={c}>{c}</option>)}</select></label>
              <label className="text-xs font-medium text-slate-600">Threshold<input type="number" value={agg.threshold} onChange={(e) => setAgg({ ...agg, threshold: e.target.value as never })} className={input} />{err("aggregation.threshold")}</label>
              <label className="text-xs font-medium text-slate-600">Missing data<select value={agg.treatMissingData} onChange={(e) => setAgg({ ...agg, treatMissingData: e.target.value as never })} className={input}>{MISSING.map((c) => <option key={c}>{c}</option>)}</select></label>
            </div>
          ) : null}
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="allow-heading">
          <h2 id="allow-heading" className="text-sm font-semibold text-slate-900">Allow-lists <span className="font-normal text-slate-500">· one entry per line; matching records never alert</span></h2>
          <div className="mt-2 grid gap-3 sm:grid-cols-3">
            {ALLOW.map(([k, label]) => (
              <label key={k} className="text-xs font-medium text-slate-600">{label}<textarea value={allow[k]} onChange={(e) => setAllow({ ...allow, [k]: e.target.value })} rows={2} className={`${input} font-mono`} />{err(`allow.${k}.`)}{err(`allow.${k}`)}</label>
            ))}
          </div>
          {err("allow")}
        </section>

        {Object.keys(errors).length ? (
          <div role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="rule-errors">
            The rule was not saved: {Object.entries(errors).map(([p, m]) => `${p}: ${m}`).join("; ")}
          </div>
        ) : null}
        {result.error ? <p role="alert" className="text-sm text-red-700">{result.error}</p> : null}
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50">{mode === "create" ? "Create rule" : "Save rule"}</button>
      </form>
      <RulePreview draft={draft} />
    </div>
  );
}
