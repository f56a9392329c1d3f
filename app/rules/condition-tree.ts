import type { Condition, Predicate } from "../../lib/detect/rule-schema";

/**
 * The rule editor's condition builder model: a rule's condition tree
 * (`all` / `any` / `not` to any depth, lib/detect/rule-schema.ts) as nodes the
 * builder edits, and back. Each node carries the path its condition gets in the
 * rule (`match.all.1.not.field`), the same path zod reports an issue at, so a
 * save error lands at the builder's input.
 */

/** One test as the builder's inputs hold it (`value`: text; lists comma-separated). */
export interface PredicateRow {
  field: string;
  /** A predicate op, or `missing` (exists: false). */
  op: string;
  value: string;
  ignoreCase: boolean;
}

export type ConditionNode =
  | { key: string; kind: "group"; op: "all" | "any"; items: ConditionNode[] }
  | { key: string; kind: "not"; item: ConditionNode }
  | { key: string; kind: "predicate"; row: PredicateRow };
export type GroupNode = Extract<ConditionNode, { kind: "group" }>;

let counter = 0;
/** A key for a node added in the browser, unique in this page (React keys, datalist ids). */
export function nodeKey(): string {
  counter += 1;
  return `n${counter}`;
}

export function blankPredicate(): ConditionNode {
  return { key: nodeKey(), kind: "predicate", row: { field: "", op: "equals", value: "", ignoreCase: false } };
}

export function predicateRow(p: Predicate): PredicateRow {
  return {
    field: p.field,
    op: p.op === "exists" ? (p.value === false ? "missing" : "exists") : p.op,
    value: p.op === "exists" ? "" : Array.isArray(p.value) ? p.value.join(", ") : String(p.value),
    ignoreCase: "ignoreCase" in p && p.ignoreCase === true,
  };
}

/** A row as the predicate it means; `types` (field name → catalogue type) turns number and boolean text into values. */
export function toPredicate(row: PredicateRow, types: Map<string, string>): Predicate {
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

/**
 * A condition as the builder's tree: the root is always a group (a lone
 * condition becomes its one item). Keys are `<prefix><n>` in tree order, the
 * same on the server and in the browser (hydration keeps ids and `list`s).
 */
export function toTree(c: Condition, prefix = "t"): GroupNode {
  let n = 0;
  const key = () => `${prefix}${n++}`;
  const toNode = (x: Condition): ConditionNode => {
    const k = key();
    if ("all" in x) return { key: k, kind: "group", op: "all", items: x.all.map(toNode) };
    if ("any" in x) return { key: k, kind: "group", op: "any", items: x.any.map(toNode) };
    if ("not" in x) return { key: k, kind: "not", item: toNode(x.not) };
    return { key: k, kind: "predicate", row: predicateRow(x) };
  };
  const node = toNode(c);
  return node.kind === "group" ? node : { key: key(), kind: "group", op: "all", items: [node] };
}

function toCondition(node: ConditionNode, types: Map<string, string>): Condition {
  if (node.kind === "group") return node.op === "all" ? { all: node.items.map((n) => toCondition(n, types)) } : { any: node.items.map((n) => toCondition(n, types)) };
  if (node.kind === "not") return { not: toCondition(node.item, types) };
  return toPredicate(node.row, types);
}

/** The tree as a condition. A root group of one item is that item alone (`match: {field, op, value}`). */
export function fromTree(root: GroupNode, types: Map<string, string>): Condition {
  return root.items.length === 1 ? toCondition(root.items[0]!, types) : toCondition(root, types);
}

/** Each node's path in the rule (as zod reports issue paths, joined with "."), for `fromTree(root)` placed at `base` (e.g. `match`, `correlation.match`). */
export function nodePaths(root: GroupNode, base: string): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (node: ConditionNode, path: string) => {
    paths.set(node.key, path);
    if (node.kind === "group") node.items.forEach((n, i) => walk(n, `${path}.${node.op}.${i}`));
    else if (node.kind === "not") walk(node.item, `${path}.not`);
  };
  if (root.items.length === 1) {
    paths.set(root.key, base);
    walk(root.items[0]!, base);
  } else walk(root, base);
  return paths;
}

/** A copy of the tree with `change` applied to a deep copy (the builder's state stays immutable). */
export function editTree(root: GroupNode, change: (copy: GroupNode) => void): GroupNode {
  const copy = structuredClone(root);
  change(copy);
  return copy;
}

/** The node with `key`, and the node holding it (null for the root). */
export function findNode(root: ConditionNode, key: string, parent: ConditionNode | null = null): { node: ConditionNode; parent: ConditionNode | null } | null {
  if (root.key === key) return { node: root, parent };
  const children = root.kind === "group" ? root.items : root.kind === "not" ? [root.item] : [];
  for (const child of children) {
    const found = findNode(child, key, root);
    if (found) return found;
  }
  return null;
}

/** Replaces the node `key` by `replacement(node)` wherever it sits (not the root). */
export function replaceNode(root: GroupNode, key: string, replacement: (node: ConditionNode) => ConditionNode | null): void {
  const found = findNode(root, key);
  if (!found?.parent) return;
  const next = replacement(found.node);
  const parent = found.parent;
  if (parent.kind === "group") {
    const i = parent.items.findIndex((n) => n.key === key);
    if (next) parent.items[i] = next;
    else parent.items.splice(i, 1);
  } else if (parent.kind === "not") {
    if (next) parent.item = next;
    // Removing the only item of a `not` removes the `not` too.
    else replaceNode(root, parent.key, () => null);
  }
}
