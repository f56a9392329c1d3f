"use client";

import { useState } from "react";
import { safeHref } from "../../../../lib/http/safe-href";

/**
 * The record as stored, pretty-printed in a collapsible block, with copy and download. The text is
 * attacker-controlled and only ever rendered as React text inside <pre>.
 */
export function RawRecord({ text, downloadHref }: { text: string; downloadHref: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied("idle"), 2000);
  }
  return (
    <details open className="group rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="raw-record">
      <summary className="flex cursor-pointer items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <span className="text-sm font-semibold text-slate-900">
          Raw record <span className="font-normal text-slate-500">· as AWS wrote it (stored as jsonb: key order is Postgres’s)</span>
        </span>
        <span className="flex gap-2">
          <button type="button" onClick={(e) => { e.preventDefault(); void copy(); }} className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50">
            {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
          </button>
          <a href={safeHref(downloadHref)} download className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50">
            Download
          </a>
        </span>
      </summary>
      <pre className="max-h-[40rem] overflow-auto whitespace-pre-wrap break-all px-4 py-3 font-mono text-xs leading-5 text-slate-800">{text}</pre>
    </details>
  );
}
