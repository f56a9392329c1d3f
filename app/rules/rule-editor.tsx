"use client";

import { useActionState, useState } from "react";
import { SOURCES, type Correlation, type Rule } from "../../lib/detect/rule-schema";
import { saveRuleAction, type RuleFormResult } from "./actions";
import { ConditionBuilder } from "./condition-builder";
import { fromTree, toTree, type GroupNode } from "./condition-tree";
import { RulePreview } from "./rule-preview";
import { RuleRouting, type EditorChannel } from "./rule-routing";

type FieldInfo = { name: string; type: string };

const SEVERITIES = ["info", "low", "medium", "high", "critical"];
const COMPARISONS = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];
const MISSING = ["missing", "notBreaching", "breaching", "ignore"];
const ALLOW = [["principalArns", "Principal ARN patterns (* wildcard)"], ["roleNames", "Role names"], ["sourceCidrs", "Source networks (CIDR)"], ["userAgents", "User agent patterns"], ["accounts", "Account ids"]] as const;
const SOURCE_NAMES: Record<string, string> = { cloudtrail: "CloudTrail", vpcflow: "VPC Flow Logs" };
const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** The correlation member as the editor holds it (numbers as typed). */
interface CorrelationState {
  on: boolean;
  source: string;
  withinSeconds: string;
  description: string;
  join: { field: string; otherField: string }[];
  tree: GroupNode;
}

function correlationState(c: Correlation | undefined, source: string): CorrelationState {
  return c
    ? { on: true, source: c.source, withinSeconds: String(c.withinSeconds), description: c.description, join: c.join.map((j) => ({ ...j })), tree: toTree(c.match, "k") }
    : { on: false, source, withinSeconds: "3600", description: "", join: [], tree: toTree({ all: [{ field: "", op: "equals", value: "" }] }, "k") };
}

/**
 * The rule editor: the whole rule model (conditions built over the field
 * catalogue — all / any / not to any depth — with autocomplete and
 * stored-value suggestions, a correlation with an earlier record,
 * CloudWatch-style threshold, allow-lists, dedup window, severity,
 * techniques), the channels it notifies (stored on the channels' rule lists),
 * a preview on stored history, and save — validated on the server by
 * ruleSchema, with each problem shown at its field. Conditions and
 * correlation can also be edited as JSON.
 */
export function RuleEditor({ initial, mode, fields, channels, canRoute }: { initial: Rule; mode: "create" | "update"; fields: Record<string, FieldInfo[]>; channels: EditorChannel[]; canRoute: boolean }) {
  const [result, act, pending] = useActionState<RuleFormResult, FormData>(saveRuleAction, {});
  const [meta, setMeta] = useState({ id: initial.id, title: initial.title, description: initial.description, response: initial.response, severity: initial.severity as string, source: initial.source as string, techniques: initial.techniques.join(", "), enabled: initial.enabled, dedupMinutes: String(initial.dedupMinutes), groupBy: (initial.groupBy ?? []).join(", ") });
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [tree, setTree] = useState(() => toTree(initial.match, "m"));
  const [corr, setCorr] = useState(() => correlationState(initial.correlation, initial.source));
  const [matchJson, setMatchJson] = useState("");
  const [agg, setAgg] = useState(initial.aggregation ? { on: true, ...initial.aggregation, field: initial.aggregation.field ?? "" } : { on: false, statistic: "count", field: "", periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 10, comparison: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching" });
  const [allow, setAllow] = useState<Record<string, string>>(Object.fromEntries(ALLOW.map(([k]) => [k, (initial.allow[k] ?? []).join("\n")])));
  const [picked, setPicked] = useState(() => new Set(channels.filter((c) => mode === "update" && c.routing.ruleIds?.includes(initial.id)).map((c) => c.id)));
  const typesOf = (source: string) => new Map((fields[source] ?? []).map((f) => [f.name, f.type]));
  const types = typesOf(meta.source);
  const corrTypes = typesOf(corr.source);

  /** Conditions and correlation from the builder. */
  const builtMatch = (): Record<string, unknown> => ({
    match: fromTree(tree, types),
    ...(corr.on ? { correlation: { source: corr.source, match: fromTree(corr.tree, corrTypes), withinSeconds: Number(corr.withinSeconds), join: corr.join, description: corr.description } } : {}),
  });

  const draft = (): unknown => {
    let matchPart: Record<string, unknown>;
    if (jsonMode) {
      try {
        matchPart = JSON.parse(matchJson) as Record<string, unknown>;
      } catch {
        matchPart = { match: "(not valid JSON)" };
      }
    } else matchPart = builtMatch();
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

  /** Builder → JSON, or JSON → builder (refused, with the reason, while the JSON is not a condition the builder can hold). */
  const toggleJson = () => {
    if (!jsonMode) {
      setMatchJson(JSON.stringify(builtMatch(), null, 2));
      setJsonError(null);
      setJsonMode(true);
      return;
    }
    try {
      const parsed = JSON.parse(matchJson) as { match?: unknown; correlation?: Correlation };
      if (!parsed.match || typeof parsed.match !== "object") throw new Error("a `match` condition is needed");
      setTree(toTree(parsed.match as Rule["match"], `j${Date.now()}-`));
      setCorr(correlationState(parsed.correlation, corr.source));
      setJsonError(null);
      setJsonMode(false);
    } catch (error) {
      setJsonError(`cannot go back to the builder: ${(error as Error).message}`);
    }
  };

  const errors = result.fieldErrors ?? {};
  /** Problems at `path` exactly; `path.` (trailing dot): at it and below. */
  const err = (path: string) => {
    const own = Object.entries(errors).filter(([p]) => p === path || (path.endsWith(".") && (p.startsWith(path) || p === path.slice(0, -1))));
    return own.length ? <span role="alert" className="mt-0.5 block text-xs text-red-700" data-error-for={path}>{own.map(([, m]) => m).join("; ")}</span> : null;
  };
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
        {SOURCES.map((s) => <datalist key={s} id={`field-names-${s}`}>{(fields[s] ?? []).map((f) => <option key={f.name} value={f.name} />)}</datalist>)}

        <section className="grid gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm sm:grid-cols-2">
          {text("id", "Id (kebab-case)", { readOnly: mode === "update", name: "rule-id" })}
          {text("title", "Title")}
          <label className="text-xs font-medium text-slate-600 sm:col-span-2">Why it matters<textarea value={meta.description} onChange={(e) => setMeta({ ...meta, description: e.target.value })} rows={2} className={input} />{err("description")}</label>
          <label className="text-xs font-medium text-slate-600 sm:col-span-2">Response<textarea value={meta.response} onChange={(e) => setMeta({ ...meta, response: e.target.value })} rows={2} className={input} />{err("response")}</label>
          <label className="text-xs font-medium text-slate-600">Severity<select value={meta.severity} onChange={(e) => setMeta({ ...meta, severity: e.target.value })} className={input}>{SEVERITIES.map((s) => <option key={s}>{s}</option>)}</select></label>
          <label className="text-xs font-medium text-slate-600">Source<select value={meta.source} disabled={mode === "update"} onChange={(e) => setMeta({ ...meta, source: e.target.value })} className={input}>{SOURCES.map((s) => <option key={s} value={s}>{SOURCE_NAMES[s]}</option>)}</select></label>
          {text("techniques", "ATT&CK techniques (e.g. T1555, T1562.008)")}
          {text("dedupMinutes", "Dedup window (minutes)", { type: "number", min: 0 })}
          {text("groupBy", "Group by (fields; empty: account + principal / srcaddr)", { list: `field-names-${meta.source}` })}
          <label className="flex items-center gap-2 text-xs font-medium text-slate-600"><input type="checkbox" checked={meta.enabled} onChange={(e) => setMeta({ ...meta, enabled: e.target.checked })} /> Enabled</label>
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="match-heading">
          <div className="flex items-center justify-between">
            <h2 id="match-heading" className="text-sm font-semibold text-slate-900">Match conditions</h2>
            <button type="button" onClick={toggleJson} className="text-xs text-sky-800 hover:underline">{jsonMode ? "Builder" : "Edit as JSON"}</button>
          </div>
          {jsonError ? <p role="alert" className="text-xs text-red-700">{jsonError}</p> : null}
          {jsonMode ? (
            <>
              <textarea value={matchJson} onChange={(e) => setMatchJson(e.target.value)} rows={14} className={`${input} font-mono`} aria-label="Match as JSON" />
              {err("match.")}
              {err("correlation.")}
            </>
          ) : (
            <div className="mt-2 space-y-2">
              <ConditionBuilder root={tree} onChange={setTree} base="match" source={meta.source} types={types} label="Condition" error={err} />
              <div className="mt-3 rounded border border-slate-200 px-3 py-2" data-testid="correlation">
                <label className="flex items-center gap-2 text-xs font-semibold text-slate-700"><input type="checkbox" checked={corr.on} onChange={(e) => setCorr({ ...corr, on: e.target.checked })} /> Only after an earlier record (correlation)</label>
                {corr.on ? (
                  <div className="mt-2 space-y-2">
                    <div className="grid gap-3 sm:grid-cols-3">
                      <label className="text-xs font-medium text-slate-600">Earlier record source<select value={corr.source} onChange={(e) => setCorr({ ...corr, source: e.target.value })} className={input}>{SOURCES.map((s) => <option key={s} value={s}>{SOURCE_NAMES[s]}</option>)}</select>{err("correlation.source")}</label>
                      <label className="text-xs font-medium text-slate-600">Within (seconds before)<input type="number" min={1} value={corr.withinSeconds} onChange={(e) => setCorr({ ...corr, withinSeconds: e.target.value })} className={input} />{err("correlation.withinSeconds")}</label>
                      <label className="text-xs font-medium text-slate-600">What the earlier record was<input value={corr.description} onChange={(e) => setCorr({ ...corr, description: e.target.value })} className={input} />{err("correlation.description")}</label>
                    </div>
                    <p className="text-xs text-slate-600">The earlier record matches:</p>
                    <ConditionBuilder root={corr.tree} onChange={(t) => setCorr({ ...corr, tree: t })} base="correlation.match" source={corr.source} types={corrTypes} label="Earlier condition" error={err} />
                    <p className="text-xs text-slate-600">and these fields are equal (this record&apos;s field = the earlier record&apos;s field):</p>
                    {corr.join.map((j, i) => (
                      <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
                        <div><input aria-label={`Join ${i + 1} field`} list={`field-names-${meta.source}`} value={j.field} onChange={(e) => setCorr({ ...corr, join: corr.join.map((x, k) => (k === i ? { ...x, field: e.target.value } : x)) })} className={`${input} mt-0 font-mono`} />{err(`correlation.join.${i}.field`)}</div>
                        <div><input aria-label={`Join ${i + 1} earlier field`} list={`field-names-${corr.source}`} value={j.otherField} onChange={(e) => setCorr({ ...corr, join: corr.join.map((x, k) => (k === i ? { ...x, otherField: e.target.value } : x)) })} className={`${input} mt-0 font-mono`} />{err(`correlation.join.${i}.otherField`)}</div>
                        <button type="button" onClick={() => setCorr({ ...corr, join: corr.join.filter((_, k) => k !== i) })} className="pt-1 text-xs text-red-700 hover:underline">Remove</button>
                      </div>
                    ))}
                    <button type="button" onClick={() => setCorr({ ...corr, join: [...corr.join, { field: "", otherField: "" }] })} className="rounded border border-slate-300 px-2 py-0.5 text-xs">Add join</button>
                    {err("correlation")}
                  </div>
                ) : null}
              </div>
            </div>
          )}
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="agg-heading">
          <h2 id="agg-heading" className="text-sm font-semibold text-slate-900">
            <label className="flex items-center gap-2"><input type="checkbox" checked={agg.on} onChange={(e) => setAgg({ ...agg, on: e.target.checked })} /> Threshold (CloudWatch alarm per group)</label>
          </h2>
          {agg.on ? (
            <div className="mt-2 grid gap-3 sm:grid-cols-4">
              <label className="text-xs font-medium text-slate-600">Statistic<select value={agg.statistic} onChange={(e) => setAgg({ ...agg, statistic: e.target.value as never })} className={input}><option value="count">count</option><option value="distinctCount">distinct count</option><option value="sum">sum</option></select></label>
              <label className="text-xs font-medium text-slate-600">Of field<input list={`field-names-${meta.source}`} value={agg.field} onChange={(e) => setAgg({ ...agg, field: e.target.value })} className={input} />{err("aggregation.field")}</label>
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

        <RuleRouting ruleId={meta.id.trim()} severity={meta.severity as Rule["severity"]} channels={channels} picked={picked} onChange={setPicked} editable={canRoute} />

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
