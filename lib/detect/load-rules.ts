import type { Rule } from "./rule-schema";
import { BUILT_IN_RULES } from "./rules";

/**
 * The rules detection runs: the built-in catalogue (user rules and overrides
 * stored in Postgres join here when the rule editor lands). Every rule, enabled or not.
 */
export function loadRules(): Rule[] {
  return BUILT_IN_RULES.map((r) => r.rule);
}

/** The rules detection evaluates. */
export function enabledRules(): Rule[] {
  return loadRules().filter((r) => r.enabled);
}
