import type { ReactNode } from "react";
import { formatUtc } from "./format";

/**
 * A titled white card holding one table or chart, or a one-line empty state when it has nothing to show.
 * `note` sits beside the title (e.g. "newest 50"); `description` says in one line what the panel counts.
 * Shared by every report page and the Ingest page, so they look alike.
 */
export function Panel({
  title,
  note,
  description,
  testId,
  empty,
  actions,
  children,
  className = "",
}: {
  title: string;
  note?: ReactNode;
  description?: ReactNode;
  testId: string;
  className?: string;
  /** Shown instead of `children` when set: what an empty table means. */
  empty?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section className={`min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm ${className}`} data-testid={testId} aria-label={title}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold text-slate-900">
            {title}
            {note ? <span className="font-normal text-slate-500"> · {note}</span> : null}
          </h2>
          {description ? <p className="mt-0.5 text-xs text-slate-500">{description}</p> : null}
        </div>
        {actions}
      </div>
      {empty ? (
        <p className="px-4 py-6 text-sm text-slate-500" data-testid={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        <div className="overflow-x-auto">{children}</div>
      )}
    </section>
  );
}

/** Header cell with the house style. */
export function Th({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <th scope="col" className={`px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500 first:pl-4 last:pr-4 ${className}`}>
      {children}
    </th>
  );
}

/** Body cell: top-aligned so long keys and reasons do not push their neighbours around. */
export function Td({ children, className = "" }: { children?: ReactNode; className?: string }) {
  return <td className={`px-3 py-2 align-top first:pl-4 last:pr-4 ${className}`}>{children}</td>;
}

/** A UTC time ("2026-11-20 10:05 UTC") with the exact ISO instant as its tooltip; "—" when absent. */
export function UtcTime({ value }: { value: Date | null }) {
  if (value === null) return <span className="text-slate-400">—</span>;
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap tabular-nums text-slate-600">
      {formatUtc(value)}
    </time>
  );
}
