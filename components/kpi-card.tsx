import type { ReactNode } from "react";

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
}

/** One KPI tile: a label, a large formatted number and a one-line hint. */
export function KpiCard({ label, display, value, testId, title, hint }: KpiCardProps) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd
        data-testid={testId}
        data-value={value}
        title={title}
        className="mt-1 text-2xl font-semibold tabular-nums text-slate-900"
      >
        {display}
      </dd>
      {hint ? <dd className="mt-0.5 truncate text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}
