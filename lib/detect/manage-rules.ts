import type pg from "pg";
import { inTransaction } from "../db/in-transaction";
import type { Queryable } from "../db/queryable";
import { forgetRuleInChannels, setRuleChannels } from "../notify/channels";
import { applyOverride, BUILT_IN_IDS, listRuleOverrides, loadRules, type RuleOrigin, type RuleOverride } from "./load-rules";
import { ruleSchema, type Rule } from "./rule-schema";
import { BUILT_IN_RULES } from "./rules";

/**
 * Changes to rules from the rule editor, each recorded in `rule_history`
 * (who, when, the effective rule before and after) in the same transaction.
 * User rules are stored whole; edits of a built-in rule are stored as an
 * override (the members that differ from the shipped rule), so the shipped
 * rule can evolve and the edit can be reset. Every rule is validated by
 * `ruleSchema` before anything is stored: an invalid rule throws its ZodError
 * (issue paths point at the field) and nothing changes.
 */

export type RuleChangeAction = "created" | "updated" | "enabled" | "disabled" | "deleted" | "reset";

/** Why a rule change was refused (other than validation, which throws ZodError). */
export class RuleChangeError extends Error {
  override name = "RuleChangeError";
  constructor(
    message: string,
    /** `not-found`; `exists` (create with a taken id); `built-in` (delete a built-in, or reset a custom rule). */
    readonly code: "not-found" | "exists" | "built-in",
  ) {
    super(message);
  }
}

/** A rule as the editor shows it. */
export interface RuleRecord {
  rule: Rule;
  origin: RuleOrigin;
  /** Built-in rules: the rule as shipped. */
  shipped: Rule | null;
  /** Built-in rules: whether the team changed it (so it can be reset). */
  overridden: boolean;
}

/** One rule with its origin, or null. */
export async function getRule(db: Queryable, id: string): Promise<RuleRecord | null> {
  const rule = (await loadRules(db)).find((r) => r.id === id);
  if (!rule) return null;
  const shipped = BUILT_IN_RULES.find((r) => r.rule.id === id)?.rule ?? null;
  const overridden = shipped ? (await listRuleOverrides(db)).some((o) => o.ruleId === id) : false;
  return { rule, origin: shipped ? "built-in" : "custom", shipped, overridden };
}

/**
 * Creates a user rule (`mode: "create"`: its id must be new and not a
 * built-in's) or replaces a rule (`"update"`: a user rule is stored whole, a
 * built-in one as an override). Returns the rule as stored (defaults applied).
 * `channelIds`, when given, routes the rule to exactly those of the channels
 * that have a rule list (`setRuleChannels`, in the same transaction: routing is
 * stored on the channels, never on the rule).
 * Throws ZodError when `input` is not a valid rule, RuleChangeError otherwise
 * (ChannelNotFoundError for an unknown channel id).
 */
export async function saveRule(pool: pg.Pool, input: unknown, actor: string, mode: "create" | "update", options: { channelIds?: number[] } = {}): Promise<Rule> {
  const rule = ruleSchema.parse(input);
  return inRuleTransaction(pool, rule.id, async (client, before) => {
    const route = async () => {
      if (options.channelIds) await setRuleChannels(client, rule.id, options.channelIds, actor);
    };
    if (mode === "create") {
      if (BUILT_IN_IDS.has(rule.id)) throw new RuleChangeError(`"${rule.id}" is the id of a built-in rule: choose another`, "exists");
      if (before) throw new RuleChangeError(`a rule "${rule.id}" exists already`, "exists");
      await client.query(`INSERT INTO user_rules (id, rule, created_by, updated_by) VALUES ($1, $2, $3, $3)`, [rule.id, rule, actor]);
      await record(client, rule.id, actor, "created", null, rule);
      await route();
      return rule;
    }
    if (!before) throw new RuleChangeError(`no rule "${rule.id}"`, "not-found");
    const shipped = BUILT_IN_RULES.find((r) => r.rule.id === rule.id)?.rule;
    if (shipped) {
      const changes = Object.fromEntries(
        (Object.keys(rule) as (keyof Rule)[]).filter((k) => k !== "id" && k !== "enabled" && !sameJson(rule[k], shipped[k])).map((k) => [k, rule[k]]),
      );
      // Shipped members the edit removed (an optional member such as aggregation).
      for (const k of Object.keys(shipped) as (keyof Rule)[]) if (!(k in rule)) Object.assign(changes, { [k]: null });
      await client.query(
        `INSERT INTO rule_overrides (rule_id, enabled, allow, changes, updated_by) VALUES ($1, $2, '{}', $3, $4)
         ON CONFLICT (rule_id) DO UPDATE SET enabled = EXCLUDED.enabled, allow = '{}', changes = EXCLUDED.changes, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [rule.id, rule.enabled === shipped.enabled ? null : rule.enabled, changes, actor],
      );
    } else {
      await client.query(`UPDATE user_rules SET rule = $2, updated_by = $3, updated_at = now() WHERE id = $1`, [rule.id, rule, actor]);
    }
    const after = await effectiveRule(client, rule.id);
    await record(client, rule.id, actor, "updated", before, after);
    await route();
    return after ?? rule;
  });
}

/** Turns a rule on or off (built-in: in its override). Throws RuleChangeError `not-found`. */
export async function setRuleEnabled(pool: pg.Pool, id: string, enabled: boolean, actor: string): Promise<void> {
  await inRuleTransaction(pool, id, async (client, before) => {
    if (!before) throw new RuleChangeError(`no rule "${id}"`, "not-found");
    if (BUILT_IN_IDS.has(id)) {
      await client.query(
        `INSERT INTO rule_overrides (rule_id, enabled, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (rule_id) DO UPDATE SET enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [id, enabled, actor],
      );
    } else {
      await client.query(`UPDATE user_rules SET rule = jsonb_set(rule, '{enabled}', to_jsonb($2::boolean)), updated_by = $3, updated_at = now() WHERE id = $1`, [id, enabled, actor]);
    }
    await record(client, id, actor, enabled ? "enabled" : "disabled", before, await effectiveRule(client, id));
  });
}

/**
 * Deletes a user rule, and in the same transaction what is keyed by its id and
 * would otherwise dangle (or apply to a later rule of the same id): its mutes,
 * its alarm states, and its place in channels' rule lists. Its alerts and its
 * history stay. Throws RuleChangeError: `built-in` for a shipped rule (disable
 * it instead), `not-found`.
 */
export async function deleteRule(pool: pg.Pool, id: string, actor: string): Promise<void> {
  if (BUILT_IN_IDS.has(id)) throw new RuleChangeError("built-in rules cannot be deleted: disable it instead", "built-in");
  await inRuleTransaction(pool, id, async (client, before) => {
    if (!before) throw new RuleChangeError(`no rule "${id}"`, "not-found");
    await client.query(`DELETE FROM user_rules WHERE id = $1`, [id]);
    await client.query(`DELETE FROM notification_mutes WHERE rule_id = $1`, [id]);
    await client.query(`DELETE FROM alarm_states WHERE rule_id = $1`, [id]);
    await forgetRuleInChannels(client, id, actor);
    await record(client, id, actor, "deleted", before, null);
  });
}

/** Drops every team change to a built-in rule (edits, enabled, allow-list additions). Throws RuleChangeError for a custom rule. */
export async function resetRule(pool: pg.Pool, id: string, actor: string): Promise<void> {
  if (!BUILT_IN_IDS.has(id)) throw new RuleChangeError(`"${id}" is not a built-in rule`, "built-in");
  await inRuleTransaction(pool, id, async (client, before) => {
    await client.query(`DELETE FROM rule_overrides WHERE rule_id = $1`, [id]);
    await record(client, id, actor, "reset", before, await effectiveRule(client, id));
  });
}

/** One change of a rule. `before` / `after`: the effective rule (null when it did not exist). */
export interface RuleHistoryEntry {
  id: number;
  at: Date;
  actor: string;
  action: RuleChangeAction;
  before: Rule | null;
  after: Rule | null;
}

/** A rule's changes, newest first (at most `limit`, default 100). */
export async function ruleHistory(db: Queryable, id: string, limit = 100): Promise<RuleHistoryEntry[]> {
  const { rows } = await db.query<RuleHistoryEntry>(
    `SELECT id::int AS id, at, actor, action, before, after FROM rule_history WHERE rule_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
    [id, limit],
  );
  return rows;
}

async function inRuleTransaction<T>(pool: pg.Pool, id: string, work: (client: pg.PoolClient, before: Rule | null) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`rule\n${id}`]);
    return work(client, await effectiveRule(client, id));
  });
}

/** The rule detection would run for `id` now (overrides applied), or null. */
async function effectiveRule(db: Queryable, id: string): Promise<Rule | null> {
  const shipped = BUILT_IN_RULES.find((r) => r.rule.id === id)?.rule;
  if (shipped) {
    const { rows } = await db.query<{ enabled: boolean | null; allow: RuleOverride["allow"]; changes: Partial<Rule> }>("SELECT enabled, allow, changes FROM rule_overrides WHERE rule_id = $1", [id]);
    return rows[0] ? applyOverride(shipped, { ruleId: id, ...rows[0] }) : shipped;
  }
  const { rows } = await db.query<{ rule: unknown }>("SELECT rule FROM user_rules WHERE id = $1", [id]);
  if (!rows[0]) return null;
  const parsed = ruleSchema.safeParse(rows[0].rule);
  return parsed.success ? parsed.data : null;
}

async function record(db: Queryable, id: string, actor: string, action: RuleChangeAction, before: Rule | null, after: Rule | null): Promise<void> {
  await db.query(`INSERT INTO rule_history (rule_id, actor, action, before, after) VALUES ($1, $2, $3, $4, $5)`, [id, actor, action, before, after]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
