import type { Queryable } from "../reports/queryable";
import { allowListSchema, ruleSchema, type AllowList, type Rule } from "./rule-schema";
import { BUILT_IN_RULES } from "./rules";

/** A team's change to a built-in rule (table `rule_overrides`). */
export interface RuleOverride {
  ruleId: string;
  /** null: as shipped. */
  enabled: boolean | null;
  /** Entries added to the shipped rule's allow-list. */
  allow: AllowList;
}

/**
 * Every rule, built-in ones with the team's overrides applied (enabled or not;
 * allow-list entries appended to the shipped ones). An override that would make
 * a rule invalid (e.g. a malformed CIDR stored by hand) is ignored for that rule,
 * which runs as shipped. User-written rules join here with the rule editor.
 */
export async function loadRules(db: Queryable): Promise<Rule[]> {
  const overrides = new Map((await listRuleOverrides(db)).map((o) => [o.ruleId, o]));
  return BUILT_IN_RULES.map(({ rule }) => {
    const override = overrides.get(rule.id);
    return override ? applyOverride(rule, override) : rule;
  });
}

/** The rules detection evaluates: those enabled after overrides. */
export async function enabledRules(db: Queryable): Promise<Rule[]> {
  return (await loadRules(db)).filter((r) => r.enabled);
}

/** The shipped rule with an override applied, or the shipped rule when the result would not be valid. */
export function applyOverride(rule: Rule, override: RuleOverride): Rule {
  const allow: AllowList = { ...rule.allow };
  for (const [key, entries] of Object.entries(override.allow) as [keyof AllowList, string[] | undefined][]) {
    if (entries?.length) allow[key] = [...new Set([...(rule.allow[key] ?? []), ...entries])];
  }
  const merged = ruleSchema.safeParse({ ...rule, enabled: override.enabled ?? rule.enabled, allow });
  return merged.success ? merged.data : rule;
}

export async function listRuleOverrides(db: Queryable): Promise<RuleOverride[]> {
  const { rows } = await db.query<{ rule_id: string; enabled: boolean | null; allow: unknown }>("SELECT rule_id, enabled, allow FROM rule_overrides");
  return rows.map((r) => ({ ruleId: r.rule_id, enabled: r.enabled, allow: allowListSchema.catch({}).parse(r.allow) }));
}

/**
 * Stores a team's override of a built-in rule (replacing the previous one).
 * Throws when there is no such built-in rule or the allow-list is invalid (ZodError).
 */
export async function saveRuleOverride(db: Queryable, override: RuleOverride, actor: string): Promise<void> {
  if (!BUILT_IN_RULES.some((r) => r.rule.id === override.ruleId)) throw new Error(`no built-in rule "${override.ruleId}"`);
  const allow = allowListSchema.parse(override.allow);
  await db.query(
    `INSERT INTO rule_overrides (rule_id, enabled, allow, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (rule_id) DO UPDATE SET enabled = EXCLUDED.enabled, allow = EXCLUDED.allow, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [override.ruleId, override.enabled, allow, actor],
  );
}
