"use server";

import { revalidatePath } from "next/cache";
import { ALERT_ACTIONS, AlertTransitionError, changeAlertState, type AlertAction } from "../../../lib/detect/alerts";
import { getPool } from "../../../lib/db/pool";
import { currentActor } from "../../current-actor";

export interface LifecycleResult {
  error?: string;
}

/** Acknowledge / resolve / reopen an alert from its page (form fields: id, action, comment). */
export async function changeAlertStateAction(_previous: LifecycleResult, form: FormData): Promise<LifecycleResult> {
  const id = Number(form.get("id"));
  const action = String(form.get("action")) as AlertAction;
  if (!Number.isSafeInteger(id) || !ALERT_ACTIONS.includes(action)) return { error: "unknown alert or action" };
  try {
    await changeAlertState(getPool(), id, action, await currentActor(), String(form.get("comment") ?? ""));
  } catch (error) {
    if (error instanceof AlertTransitionError) return { error: error.message };
    throw error;
  }
  revalidatePath(`/alerts/${id}`);
  return {};
}
