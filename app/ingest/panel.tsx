import type { ReactNode } from "react";
import { formatUtc } from "../../components/format";

/**
 * A titled white card holding one table, or a one-line empty state when it has no rows.
 * `note` sits beside the title (e.g. "newest 50").
 */
export function Panel({
  title,
  note,
  testId,
  empty,
  actions,
  children,
}: {
  title: string;
  note?: ReactNode;
  testId: string;
  /** Shown instead of `children` when set: what an empty table means. */
  empty?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section className="min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid={testId}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">
          {title}
          {note ? <span className="font-normal text-slate-500"> · {note}</span> : null}
        </h2>
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

/** An S3 object key (attacker-controlled): monospace, broken anywhere so it never widens the table. */
export function ObjectKey({ bucket, objectKey }: { bucket?: string; objectKey: string }) {
  return (
    <div className="min-w-0">
      <div className="break-all font-mono text-xs leading-5 text-slate-800">{objectKey}</div>
      {bucket !== undefined ? <div className="break-all font-mono text-[11px] leading-4 text-slate-400">s3://{bucket}</div> : null}
    </div>
  );
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
