import Link from "next/link";
import type { ReactNode } from "react";
import { safeHref } from "../lib/http/safe-href";

/** Shown instead of a report's charts and tables when its range holds nothing to report. */
export function EmptyState({ what = "events", widerHref, children }: { what?: string; widerHref?: string; children?: ReactNode }) {
  return (
    <section
      data-testid="report-empty"
      className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-16 text-center"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-10 w-10 text-slate-300" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path d="M3 3v18h18" strokeLinecap="round" />
        <path d="M7 15l4-4 3 3 5-6" strokeLinecap="round" strokeLinejoin="round" strokeDasharray="2 2" />
      </svg>
      <p className="mt-4 max-w-md text-sm text-slate-600">
        <strong className="font-semibold text-slate-900">No {what} in this range</strong> — run{" "}
        <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">trailwatch import</code> or the demo, or widen the filters.
      </p>
      {children}
      {widerHref ? (
        <Link href={safeHref(widerHref)} className="mt-4 text-sm font-medium text-sky-700 hover:text-sky-900 hover:underline">
          Look at the last 30 days
        </Link>
      ) : null}
    </section>
  );
}
