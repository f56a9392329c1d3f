"use client";

import { useActionState } from "react";
import { replayDlqAction, reprocessObjectAction, type AdminActionResult } from "./actions";

const button = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-50";

/** Admin action: reprocess one object. */
export function ReprocessButton({ objectId }: { objectId: string }) {
  const [state, action, pending] = useActionState<AdminActionResult, FormData>(reprocessObjectAction, {});
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="objectId" value={objectId} />
      <button type="submit" className={button} disabled={pending} data-testid={`reprocess-${objectId}`} title="Admin action: read this object from S3 again">
        Reprocess
      </button>
      {state.message ? <span className="text-xs text-emerald-700" role="status">requested</span> : null}
      {state.error ? <span className="text-xs text-red-700" role="alert">{state.error}</span> : null}
    </form>
  );
}

/** Admin action: move the DLQ's messages back to the ingest queue. */
export function ReplayDlqButton({ depth }: { depth: number | null }) {
  const [state, action, pending] = useActionState<AdminActionResult, FormData>(replayDlqAction, {});
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <button type="submit" className={button} disabled={pending} data-testid="replay-dlq" title="Admin action: move every DLQ message back to the ingest queue">
        Replay DLQ{depth !== null ? ` (${depth})` : ""}
      </button>
      {state.message ? <span className="text-xs text-emerald-700" role="status" data-testid="replay-dlq-status">{state.message}</span> : null}
      {state.error ? <span className="text-xs text-red-700" role="alert">{state.error}</span> : null}
    </form>
  );
}
