"use client";

import { useActionState } from "react";
import { changeAlertStateAction, type LifecycleResult } from "./actions";

const BUTTONS: Record<string, { action: string; label: string; style: string }[]> = {
  open: [
    { action: "acknowledge", label: "Acknowledge", style: "bg-amber-600 hover:bg-amber-700" },
    { action: "resolve", label: "Resolve", style: "bg-emerald-700 hover:bg-emerald-800" },
  ],
  acknowledged: [{ action: "resolve", label: "Resolve", style: "bg-emerald-700 hover:bg-emerald-800" }],
  resolved: [{ action: "reopen", label: "Reopen", style: "bg-slate-700 hover:bg-slate-800" }],
};

/** The lifecycle buttons of an alert, with an optional comment (kept in its history). */
export function LifecycleForm({ id, state }: { id: number; state: string }) {
  const [result, act, pending] = useActionState<LifecycleResult, FormData>(changeAlertStateAction, {});
  return (
    <form action={act} className="space-y-2" aria-label="Change alert state">
      <input type="hidden" name="id" value={id} />
      <label className="block text-xs font-medium text-slate-600">
        Comment (optional)
        <textarea name="comment" rows={2} maxLength={2000} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm" />
      </label>
      <div className="flex gap-2">
        {(BUTTONS[state] ?? []).map((b) => (
          <button key={b.action} type="submit" name="action" value={b.action} disabled={pending} className={`rounded-md px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50 ${b.style}`}>
            {b.label}
          </button>
        ))}
      </div>
      {result.error ? <p role="alert" className="text-sm text-red-700">{result.error}</p> : null}
    </form>
  );
}
