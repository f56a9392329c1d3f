"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { getPool } from "../../lib/db/pool";
import { deleteRule, resetRule, RuleChangeError, saveRule, setRuleEnabled } from "../../lib/detect/manage-rules";
import { ChannelNotFoundError } from "../../lib/notify/channels";
import { addMute, removeMute } from "../../lib/notify/mutes";
import { currentActor } from "../current-actor";

export interface RuleFormResult {
  /** Field path (e.g. `aggregation.threshold`, `match.all.0.field`) → message. */
  fieldErrors?: Record<string, string>;
  error?: string;
}

/**
 * Saves the editor's rule (JSON in field `rule`; `mode` create or update) and,
 * when the form carries `routing` = "1", its routing: the `channel` fields are
 * the ids of the channels (among those with a rule list) that take this rule.
 * On success goes to the rule's page; an invalid rule is never stored.
 */
export async function saveRuleAction(_previous: RuleFormResult, form: FormData): Promise<RuleFormResult> {
  const mode = form.get("mode") === "create" ? "create" : "update";
  let input: unknown;
  try {
    input = JSON.parse(String(form.get("rule") ?? ""));
  } catch {
    return { error: "the rule is not valid JSON" };
  }
  let id: string;
  try {
    const channelIds = form.get("routing") === "1" ? form.getAll("channel").map(Number) : undefined;
    id = (await saveRule(getPool(), input, await currentActor(), mode, { channelIds })).id;
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
  revalidatePath("/rules");
  redirect(`/rules/${encodeURIComponent(id)}`);
}

/** Enables or disables a rule (fields: id, enabled = "true" | "false"). */
export async function setRuleEnabledAction(form: FormData): Promise<void> {
  const id = String(form.get("id"));
  await setRuleEnabled(getPool(), id, form.get("enabled") === "true", await currentActor());
  revalidatePath("/rules");
  revalidatePath(`/rules/${encodeURIComponent(id)}`);
}

/** Deletes a custom rule (field: id) and returns to the list. */
export async function deleteRuleAction(form: FormData): Promise<void> {
  await deleteRule(getPool(), String(form.get("id")), await currentActor());
  revalidatePath("/rules");
  redirect("/rules");
}

/** Drops the team's changes to a built-in rule (field: id). */
export async function resetRuleAction(form: FormData): Promise<void> {
  const id = String(form.get("id"));
  await resetRule(getPool(), id, await currentActor());
  revalidatePath(`/rules/${encodeURIComponent(id)}`);
}

/** Mutes notifications of a rule or one group (fields: ruleId, groupKey?, hours, reason?). */
export async function muteAction(form: FormData): Promise<void> {
  const ruleId = String(form.get("ruleId"));
  const hours = Number(form.get("hours") ?? 0);
  if (!(hours > 0 && hours <= 24 * 90)) return;
  const groupKey = String(form.get("groupKey") ?? "").trim() || null;
  await addMute(getPool(), { ruleId, groupKey, until: new Date(Date.now() + hours * 3_600_000), reason: String(form.get("reason") ?? "") || undefined }, await currentActor());
  revalidatePath(`/rules/${encodeURIComponent(ruleId)}`);
}

/** Ends a mute (fields: id, ruleId). */
export async function unmuteAction(form: FormData): Promise<void> {
  await removeMute(getPool(), Number(form.get("id")));
  revalidatePath(`/rules/${encodeURIComponent(String(form.get("ruleId")))}`);
}
