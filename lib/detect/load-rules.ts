import type { Queryable } from "../db/queryable";
import { allowListSchema, ruleSchema, type AllowList, type Rule } from "./rule-schema";
import { BUILT_IN_RULES } from "./rules";

/** A team's change to a built-in rule (table `rule_overrides`). */
export interface RuleOverride {
  ruleId: string;
  /** null: as shipped. */
  enabled: boolean | null;
  /** Entries added to the shipped rule's allow-list. */
  allow: AllowList;
  /** Top-level members of the shipped rule replaced by an edit in the rule editor (severity, aggregation, match, allow, …; null: removed); absent: none. */
  changes?: Partial<Rule>;
}

/** Where a rule comes from: shipped with Trailwatch, or written by the team. */
export type RuleOrigin = "built-in" | "custom";

/**
 * Every rule, built-in ones with the team's overrides applied (enabled or not;
 * allow-list entries appended to the shipped ones). An override that would make
 * a rule invalid (e.g. a malformed CIDR stored by hand) is ignored for that rule,
 * which runs as shipped. The team's own rules (`user_rules`) follow the built-in ones.
 */
export async function loadRules(db: Queryable): Promise<Rule[]> {
  const overrides = new Map((await listRuleOverrides(db)).map((o) => [o.ruleId, o]));
  const builtIn = BUILT_IN_RULES.map(({ rule }) => {
    const override = overrides.get(rule.id);
    return override ? applyOverride(rule, override) : rule;
  });
  return [...builtIn, ...(await listUserRules(db))];
}

/** The ids of the shipped rules: a user rule may not take one. */
export const BUILT_IN_IDS: ReadonlySet<string> = new Set(BUILT_IN_RULES.map((r) => r.rule.id));

/**
 * The team's own rules (table `user_rules`), by id. Each was validated by
 * ruleSchema when stored; one that no longer validates (the schema grew
 * stricter) or that takes a built-in id is left out rather than run.
 */
export async function listUserRules(db: Queryable): Promise<Rule[]> {
  const { rows } = await db.query<{ id: string; rule: unknown }>("SELECT id, rule FROM user_rules ORDER BY id");
  const rules: Rule[] = [];
  for (const row of rows) {
    const parsed = ruleSchema.safeParse(row.rule);
    if (parsed.success && parsed.data.id === row.id && !BUILT_IN_IDS.has(row.id)) rules.push(parsed.data);
  }
  return rules;
}

/** The rules detection evaluates: those enabled after overrides. */
export async function enabledRules(db: Queryable): Promise<Rule[]> {
  return (await loadRules(db)).filter((r) => r.enabled);
}

/** The shipped rule with an override applied, or the shipped rule when the result would not be valid. */
export function applyOverride(shipped: Rule, override: RuleOverride): Rule {
  const edited = override.changes && Object.keys(override.changes).length ? ruleSchema.safeParse(withChanges(shipped, override.changes)) : null;
  const rule = edited?.success ? edited.data : shipped;
  const allow: AllowList = { ...rule.allow };
  for (const [key, entries] of Object.entries(override.allow) as [keyof AllowList, string[] | undefined][]) {
    if (entries?.length) allow[key] = [...new Set([...(rule.allow[key] ?? []), ...entries])];
  }
  const merged = ruleSchema.safeParse({ ...rule, enabled: override.enabled ?? rule.enabled, allow });
  return merged.success ? merged.data : shipped;
}

/** The shipped rule with edited members replaced; a member set to null was removed by the edit (e.g. its aggregation). */
function withChanges(shipped: Rule, changes: Partial<Rule>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...shipped };
  for (const [key, value] of Object.entries(changes)) {
    if (key === "id") continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export async function listRuleOverrides(db: Queryable): Promise<RuleOverride[]> {
  const { rows } = await db.query<{ rule_id: string; enabled: boolean | null; allow: unknown; changes: Partial<Rule> | null }>("SELECT rule_id, enabled, allow, changes FROM rule_overrides");
  return rows.map((r) => ({ ruleId: r.rule_id, enabled: r.enabled, allow: allowListSchema.catch({}).parse(r.allow), changes: r.changes ?? {} }));
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
