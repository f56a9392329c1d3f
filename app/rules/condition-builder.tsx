"use client";

import { useState, type ReactNode } from "react";
import { blankPredicate, editTree, findNode, nodeKey, nodePaths, replaceNode, type ConditionNode, type GroupNode, type PredicateRow } from "./condition-tree";

const OPS = [
  ["equals", "equals"], ["in", "is one of (comma-separated)"], ["prefix", "starts with"], ["suffix", "ends with"], ["contains", "contains"],
  ["exists", "is present"], ["missing", "is absent"], ["cidr", "in network (CIDR)"], ["gt", ">"], ["gte", "≥"], ["lt", "<"], ["lte", "≤"], ["equalsField", "equals field"],
] as const;
const input = "block w-full rounded border border-slate-300 px-2 py-1 text-sm";
const small = "rounded border border-slate-300 px-2 py-0.5 text-xs";

/**
 * The structured condition builder: `all` / `any` groups, `not`, and tests
 * over the field catalogue, nested to any depth. Field names autocomplete from
 * the catalogue of `source` (datalist `field-names-<source>`); values suggest
 * from stored data (GET /api/rules/field-values). `error(path)` shows the save
 * problems at a rule path (`match.any.0.field`): each input asks for its own.
 */
export function ConditionBuilder({ root, onChange, base, source, types, label, error }: {
  root: GroupNode;
  onChange: (root: GroupNode) => void;
  /** Where the condition sits in the rule: `match` or `correlation.match`. */
  base: string;
  source: string;
  types: Map<string, string>;
  /** Prefix of each input's accessible name: "Condition" → "Condition 1 field". */
  label: string;
  error: (path: string) => ReactNode;
}) {
  const [suggestions, setSuggestions] = useState<Record<string, string[]>>({});
  const paths = nodePaths(root, base);
  const change = (fn: (copy: GroupNode) => void) => onChange(editTree(root, fn));
  const setRow = (key: string, patch: Partial<PredicateRow>) => change((copy) => {
    const node = findNode(copy, key)?.node;
    if (node?.kind === "predicate") Object.assign(node.row, patch);
  });
  const suggest = async (key: string, field: string) => {
    if (!types.has(field) && !field.includes(".")) return;
    const res = await fetch(`/api/rules/field-values?${new URLSearchParams({ source, field, prefix: "" })}`);
    if (!res.ok) return;
    const values = ((await res.json()) as { values: { value: string }[] }).values.map((v) => v.value);
    setSuggestions((s) => ({ ...s, [key]: values }));
  };
  let n = 0;

  const predicate = (node: Extract<ConditionNode, { kind: "predicate" }>, wrapped: boolean) => {
    n += 1;
    const i = n;
    const r = node.row;
    const path = paths.get(node.key) ?? base;
    return (
      <div key={node.key} className="grid grid-cols-[2fr_1.3fr_2fr_auto_auto_auto] items-start gap-2" data-testid="condition-row" data-path={path}>
        <div>
          <input aria-label={`${label} ${i} field`} list={`field-names-${source}`} value={r.field} onChange={(e) => setRow(node.key, { field: e.target.value })} onBlur={() => void suggest(node.key, r.field)} className={`${input} font-mono`} placeholder="eventName" />
          {error(`${path}.field`)}
        </div>
        <select aria-label={`${label} ${i} test`} value={r.op} onChange={(e) => setRow(node.key, { op: e.target.value })} className="rounded border border-slate-300 px-1 py-1 text-sm">{OPS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select>
        <div>
          <input aria-label={`${label} ${i} value`} list={`values-${node.key}`} value={r.value} disabled={r.op === "exists" || r.op === "missing"} onChange={(e) => setRow(node.key, { value: e.target.value })} className={`${input} font-mono`} />
          <datalist id={`values-${node.key}`}>{(suggestions[node.key] ?? []).map((v) => <option key={v} value={v} />)}</datalist>
          {error(`${path}.value`)}
          {error(path)}
        </div>
        <label className="flex items-center gap-1 pt-1.5 text-xs text-slate-600"><input type="checkbox" checked={r.ignoreCase} onChange={(e) => setRow(node.key, { ignoreCase: e.target.checked })} /> any case</label>
        {wrapped ? <span /> : <button type="button" onClick={() => change((copy) => replaceNode(copy, node.key, (x) => ({ key: nodeKey(), kind: "not", item: x })))} className="pt-1 text-xs text-sky-800 hover:underline" aria-label={`Negate ${label.toLowerCase()} ${i}`}>Not</button>}
        <button type="button" onClick={() => change((copy) => replaceNode(copy, node.key, () => null))} className="pt-1 text-xs text-red-700 hover:underline" aria-label={`Remove ${label.toLowerCase()} ${i}`}>Remove</button>
      </div>
    );
  };

  const render = (node: ConditionNode, wrapped = false): ReactNode => {
    if (node.kind === "predicate") return predicate(node, wrapped);
    if (node.kind === "not") {
      return (
        <div key={node.key} className="rounded border border-amber-300 bg-amber-50/40 px-2 py-1.5" data-testid="condition-not">
          <div className="mb-1 flex items-center justify-between text-xs font-semibold text-amber-900">
            <span>NOT — records where this does not hold:</span>
            <button type="button" onClick={() => change((copy) => replaceNode(copy, node.key, (x) => (x.kind === "not" ? x.item : x)))} className="font-normal text-sky-800 hover:underline">Remove NOT</button>
          </div>
          {render(node.item, true)}
          {error(paths.get(node.key) ?? base)}
        </div>
      );
    }
    const isRoot = node.key === root.key;
    const path = paths.get(node.key) ?? base;
    return (
      <div key={node.key} className={isRoot ? "space-y-2" : "space-y-2 rounded border border-slate-200 bg-slate-50/60 px-2 py-1.5"} data-testid="condition-group">
        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
          <label>
            {isRoot ? "Records match when" : "Group: when"}{" "}
            <select value={node.op} onChange={(e) => change((copy) => { const g = findNode(copy, node.key)?.node; if (g?.kind === "group") g.op = e.target.value as "all" | "any"; })} className="rounded border border-slate-300 px-1 text-xs" aria-label={isRoot ? "Combine conditions" : "Combine group"}>
              <option value="all">all</option><option value="any">any</option>
            </select>{" "}
            of these hold:
          </label>
          {!isRoot && !wrapped ? <button type="button" onClick={() => change((copy) => replaceNode(copy, node.key, (x) => ({ key: nodeKey(), kind: "not", item: x })))} className="text-sky-800 hover:underline">Not</button> : null}
          {!isRoot ? <button type="button" onClick={() => change((copy) => replaceNode(copy, node.key, () => null))} className="text-red-700 hover:underline">Remove group</button> : null}
        </div>
        {node.items.map((item) => render(item))}
        <div className="flex gap-2">
          <button type="button" onClick={() => change((copy) => { const g = findNode(copy, node.key)?.node; if (g?.kind === "group") g.items.push(blankPredicate()); })} className={small}>Add condition</button>
          <button type="button" onClick={() => change((copy) => { const g = findNode(copy, node.key)?.node; if (g?.kind === "group") g.items.push({ key: nodeKey(), kind: "group", op: "any", items: [blankPredicate()] }); })} className={small}>Add group</button>
        </div>
        {isRoot && node.items.length === 1 ? null : error(`${path}.${node.op}`)}
      </div>
    );
  };

  return <>{render(root)}{root.items.length === 1 ? null : error(base)}</>;
}
