"use server";

import { revalidatePath } from "next/cache";
import { guardAction } from "../../../lib/auth/guard-action";
import { ALERT_ACTIONS, AlertTransitionError, changeAlertState, type AlertAction } from "../../../lib/detect/alerts";
import { getPool } from "../../../lib/db/pool";

export interface LifecycleResult {
  error?: string;
}

/** Acknowledge / resolve / reopen an alert from its page (form fields: id, action, comment). Analyst and up. */
export const changeAlertStateAction = guardAction("changeAlertStateAction", async (ctx, _previous: LifecycleResult, form: FormData): Promise<LifecycleResult> => {
  const id = Number(form.get("id"));
  const action = String(form.get("action")) as AlertAction;
  if (!Number.isSafeInteger(id) || !ALERT_ACTIONS.includes(action)) return { error: "unknown alert or action" };
  const comment = String(form.get("comment") ?? "");
  try {
    await changeAlertState(getPool(), id, action, ctx.actor, comment);
  } catch (error) {
    if (error instanceof AlertTransitionError) return { error: error.message };
    throw error;
  }
  await ctx.audit(`alert.${action}`, String(id), comment ? { comment } : null);
  revalidatePath(`/alerts/${id}`);
  return {};
});
