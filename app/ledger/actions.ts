"use server";

import { revalidatePath } from "next/cache";
import { getPool } from "../../lib/db/pool";
import { ANONYMOUS_ACTOR } from "../../lib/ops/admin-actions";
import { requestOperation } from "../../lib/ops/ops-requests";

// Admin actions (lib/ops/admin-actions.ts): the sign-in issue adds the admin-role check here.

export interface AdminActionResult {
  message?: string;
  error?: string;
}

/** Reprocess one ledger object (form field `objectId`): a running worker reads it from S3 again. */
export async function reprocessObjectAction(_previous: AdminActionResult, form: FormData): Promise<AdminActionResult> {
  const raw = String(form.get("objectId") ?? "");
  if (!/^\d{1,19}$/.test(raw)) return { error: "unknown object" };
  try {
    const id = await requestOperation(getPool(), { action: "reprocess-object", objectId: BigInt(raw), actor: ANONYMOUS_ACTOR });
    revalidatePath("/ledger");
    return { message: `Reprocess requested (request ${id}); a running worker carries it out within seconds.` };
  } catch (error) {
    if (error instanceof RangeError) return { error: error.message };
    throw error;
  }
}

/** Replay every message of the DLQ into the ingest queue. */
export async function replayDlqAction(_previous: AdminActionResult, _form: FormData): Promise<AdminActionResult> {
  const id = await requestOperation(getPool(), { action: "replay-dlq", actor: ANONYMOUS_ACTOR });
  revalidatePath("/ledger");
  return { message: `DLQ replay requested (request ${id}); a running worker carries it out within seconds.` };
}
