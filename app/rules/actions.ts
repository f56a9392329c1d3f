"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { getPool } from "../../lib/db/pool";
import { deleteRule, resetRule, RuleChangeError, saveRule, setRuleEnabled } from "../../lib/detect/manage-rules";
import { ChannelNotFoundError } from "../../lib/notify/channels";
import { addMute, removeMute } from "../../lib/notify/mutes";
import { canAct } from "../../lib/auth/access-policy";
import { guardAction } from "../../lib/auth/guard-action";

export interface RuleFormResult {
  /** Field path (e.g. `aggregation.threshold`, `match.all.0.field`) → message. */
  fieldErrors?: Record<string, string>;
  error?: string;
}

/**
 * Saves the editor's rule (JSON in field `rule`; `mode` create or update) and,
 * when the form carries `routing` = "1", its routing: the `channel` fields are
 * the ids of the channels (among those with a rule list) that take this rule.
 * Routing changes channels, which only admins may do.
 * On success goes to the rule's page; an invalid rule is never stored.
 */
export const saveRuleAction = guardAction("saveRuleAction", async (ctx, _previous: RuleFormResult, form: FormData): Promise<RuleFormResult> => {
  const mode = form.get("mode") === "create" ? "create" : "update";
  let input: unknown;
  try {
    input = JSON.parse(String(form.get("rule") ?? ""));
  } catch {
    return { error: "the rule is not valid JSON" };
  }
  const channelIds = form.get("routing") === "1" ? form.getAll("channel").map(Number) : undefined;
  let id: string;
  try {
    if (channelIds && !canAct(ctx.caller.role, "saveChannelAction")) return { error: "only an admin can change which channels a rule notifies" };
    id = (await saveRule(getPool(), input, ctx.actor, mode, { channelIds })).id;
  } catch (error) {
    if (error instanceof ZodError) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of error.issues) fieldErrors[issue.path.join(".") || "rule"] ??= issue.message;
      return { fieldErrors };
    }
    if (error instanceof RuleChangeError) return error.code === "exists" ? { fieldErrors: { id: error.message } } : { error: error.message };
    if (error instanceof ChannelNotFoundError) return { error: `${error.message}: reload the page` };
    throw error;
  }
  await ctx.audit(mode === "create" ? "rule.create" : "rule.update", id, channelIds ? { channelIds } : null);
  revalidatePath("/rules");
  redirect(`/rules/${encodeURIComponent(id)}`);
});

/** Enables or disables a rule (fields: id, enabled = "true" | "false"). */
export const setRuleEnabledAction = guardAction("setRuleEnabledAction", async (ctx, form: FormData): Promise<void> => {
  const id = String(form.get("id"));
  const enabled = form.get("enabled") === "true";
  await setRuleEnabled(getPool(), id, enabled, ctx.actor);
  await ctx.audit(enabled ? "rule.enable" : "rule.disable", id);
  revalidatePath("/rules");
  revalidatePath(`/rules/${encodeURIComponent(id)}`);
});

/** Deletes a custom rule (field: id) and returns to the list. Admin only. */
export const deleteRuleAction = guardAction("deleteRuleAction", async (ctx, form: FormData): Promise<void> => {
  const id = String(form.get("id"));
  await deleteRule(getPool(), id, ctx.actor);
  await ctx.audit("rule.delete", id);
  revalidatePath("/rules");
  redirect("/rules");
});

/** Drops the team's changes to a built-in rule (field: id). Admin only. */
export const resetRuleAction = guardAction("resetRuleAction", async (ctx, form: FormData): Promise<void> => {
  const id = String(form.get("id"));
  await resetRule(getPool(), id, ctx.actor);
  await ctx.audit("rule.reset", id);
  revalidatePath(`/rules/${encodeURIComponent(id)}`);
});

/** Mutes notifications of a rule or one group (fields: ruleId, groupKey?, hours, reason?). */
export const muteAction = guardAction("muteAction", async (ctx, form: FormData): Promise<void> => {
  const ruleId = String(form.get("ruleId"));
  const hours = Number(form.get("hours") ?? 0);
  if (!(hours > 0 && hours <= 24 * 90)) return;
  const groupKey = String(form.get("groupKey") ?? "").trim() || null;
  const until = new Date(Date.now() + hours * 3_600_000);
  await addMute(getPool(), { ruleId, groupKey, until, reason: String(form.get("reason") ?? "") || undefined }, ctx.actor);
  await ctx.audit("rule.mute", ruleId, { groupKey, until: until.toISOString() });
  revalidatePath(`/rules/${encodeURIComponent(ruleId)}`);
});

/** Ends a mute (fields: id, ruleId). */
export const unmuteAction = guardAction("unmuteAction", async (ctx, form: FormData): Promise<void> => {
  const ruleId = String(form.get("ruleId"));
  await removeMute(getPool(), Number(form.get("id")));
  await ctx.audit("rule.unmute", ruleId, { mute: String(form.get("id")) });
  revalidatePath(`/rules/${encodeURIComponent(ruleId)}`);
});
