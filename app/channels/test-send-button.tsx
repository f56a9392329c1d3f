"use client";

import { useState, useTransition } from "react";
import { testChannelAction } from "./actions";

/** Sends a test notification through one channel and shows the receiver's answer. */
export function TestSendButton({ id }: { id: number }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={pending}
        onClick={() => start(async () => {
          const r = await testChannelAction(id);
          setResult(r.ok ? "Test sent" : `Failed: ${r.error}`);
        })}
        className="rounded border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50"
      >
        Send test
      </button>
      {result ? <span role="status" className={`text-xs ${result === "Test sent" ? "text-emerald-700" : "text-red-700"}`}>{result}</span> : null}
    </span>
  );
}
