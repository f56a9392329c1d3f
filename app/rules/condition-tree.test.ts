import assert from "node:assert/strict";
import { test } from "node:test";
import { ruleSchema, type Condition } from "../../lib/detect/rule-schema";
import { editTree, findNode, fromTree, nodePaths, replaceNode, toTree, type ConditionNode } from "./condition-tree";

const TYPES = new Map([["eventName", "text"], ["readOnly", "boolean"], ["dstport", "number"]]);
const DEEP: Condition = {
  all: [
    { field: "eventSource", op: "equals", value: "iam.amazonaws.com" },
    { any: [{ field: "eventName", op: "prefix", value: ["Create", "Delete"] }, { not: { all: [{ field: "readOnly", op: "equals", value: true }, { field: "errorCode", op: "exists", value: false }] } }] },
    { not: { field: "userAgent", op: "contains", value: "terraform", ignoreCase: true } },
  ],
};
const RULE = {
  id: "deep-rule", title: "A deep rule", description: "A rule with a deep condition tree, for the builder.", response: "Check who made the calls and why.",
  severity: "medium", source: "cloudtrail",
};

const predicates = (n: ConditionNode): ConditionNode[] => (n.kind === "predicate" ? [n] : n.kind === "not" ? predicates(n.item) : n.items.flatMap(predicates));

test("a condition tree of any depth goes into the builder and comes back unchanged", () => {
  assert.deepEqual(fromTree(toTree(DEEP), TYPES), DEEP);
  const lone: Condition = { field: "eventName", op: "equals", value: "StopLogging" };
  assert.deepEqual(fromTree(toTree(lone), TYPES), lone);
  const negated: Condition = { not: { any: [{ field: "dstport", op: "in", value: [22, 3389] }] } };
  assert.deepEqual(fromTree(toTree(negated), TYPES), negated);
});

test("each builder input's path is the path zod reports a problem at", () => {
  const tree = toTree(DEEP);
  const rows = predicates(tree);
  // Break the deepest test: a field no CloudTrail record has.
  const deepest = rows.find((r) => r.kind === "predicate" && r.row.field === "errorCode")!;
  const broken = editTree(tree, (copy) => {
    const node = findNode(copy, deepest.key)!.node;
    if (node.kind === "predicate") node.row.field = "noSuchField";
  });
  const parsed = ruleSchema.safeParse({ ...RULE, match: fromTree(broken, TYPES) });
  assert.equal(parsed.success, false);
  const issuePaths = parsed.error!.issues.map((i) => i.path.join("."));
  assert.ok(issuePaths.includes(`${nodePaths(broken, "match").get(deepest.key)}.field`), issuePaths.join(", "));
  assert.equal(nodePaths(broken, "match").get(deepest.key), "match.all.1.any.1.not.all.1");
  // A lone condition sits at the base path itself.
  const lone = toTree({ field: "eventName", op: "equals", value: "x" });
  assert.equal(nodePaths(lone, "correlation.match").get(lone.items[0]!.key), "correlation.match");
});

test("removing the only item of a not removes the not", () => {
  const tree = toTree(DEEP);
  const third = tree.items[2]!;
  assert.equal(third.kind, "not");
  const inner = third.kind === "not" ? third.item.key : "";
  const after = editTree(tree, (copy) => replaceNode(copy, inner, () => null));
  assert.equal(after.items.length, 2);
  assert.equal(tree.items.length, 3, "the original tree is untouched");
});
