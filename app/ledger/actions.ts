"use server";

import { revalidatePath } from "next/cache";
import { guardAction } from "../../lib/auth/guard-action";
import { getPool } from "../../lib/db/pool";
import { requestOperation } from "../../lib/ops/ops-requests";

// Admin actions (lib/ops/admin-actions.ts): admin role only (lib/auth/access-policy.ts).

export interface AdminActionResult {
  message?: string;
  error?: string;
}

/** Reprocess one ledger object (form field `objectId`): a running worker reads it from S3 again. */
export const reprocessObjectAction = guardAction("reprocessObjectAction", async (ctx, _previous: AdminActionResult, form: FormData): Promise<AdminActionResult> => {
  const raw = String(form.get("objectId") ?? "");
  if (!/^\d{1,19}$/.test(raw)) return { error: "unknown object" };
  try {
    const id = await requestOperation(getPool(), { action: "reprocess-object", objectId: BigInt(raw), actor: ctx.actor });
    await ctx.audit("ledger.reprocess", raw, { request: String(id) });
    revalidatePath("/ledger");
    return { message: `Reprocess requested (request ${id}); a running worker carries it out within seconds.` };
  } catch (error) {
    if (error instanceof RangeError) return { error: error.message };
    throw error;
  }
});

/** Replay every message of the DLQ into the ingest queue. */
export const replayDlqAction = guardAction("replayDlqAction", async (ctx, _previous: AdminActionResult, _form: FormData): Promise<AdminActionResult> => {
  const id = await requestOperation(getPool(), { action: "replay-dlq", actor: ctx.actor });
  await ctx.audit("ledger.replay-dlq", null, { request: String(id) });
  revalidatePath("/ledger");
  return { message: `DLQ replay requested (request ${id}); a running worker carries it out within seconds.` };
});
