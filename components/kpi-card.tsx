import Link from "next/link";
import type { ReactNode } from "react";
import { safeHref } from "../lib/http/safe-href";

export interface KpiCardProps {
  label: string;
  /** The formatted value shown. */
  display: string;
  /** The exact number, exposed as `data-value` and the title so tests and hover need not parse "12.3K". */
  value: number;
  /** `data-testid` of the value element, e.g. "kpi-events". */
  testId: string;
  /** Exact-value tooltip text. */
  title?: string;
  hint?: ReactNode;
  /** The search page listing the records behind the number; the value becomes a link to it. */
  href?: string | null;
}

/** One KPI tile: a label, a large formatted number (a link to its records when it has one) and a one-line hint. */
export function KpiCard({ label, display, value, testId, title, hint, href }: KpiCardProps) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">
        {href ? (
          <Link
            href={safeHref(href)}
            prefetch={false}
            data-testid={testId}
            data-value={value}
            title={title}
            aria-label={`${label}: ${title ?? display}. Open the list`}
            className="hover:text-sky-800 hover:underline hover:decoration-sky-400 hover:underline-offset-4"
          >
            {display}
          </Link>
        ) : (
          <span data-testid={testId} data-value={value} title={title}>
            {display}
          </span>
        )}
      </dd>
      {hint ? <dd className="mt-0.5 truncate text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}
