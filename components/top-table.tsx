import Link from "next/link";
import { formatExact, formatValue } from "./format";
import { hasLowerBounds, LOWER_BOUNDS_NOTE, LowerBound } from "./lower-bound";
import { safeHref } from "../lib/http/safe-href";

export interface TopTableRow {
  value: string;
  count: number;
  /** The search page listing the records counted; the row's value and number link to it. */
  href?: string | null;
  /** When `count` is a lower bound (a leader board's row): the most it may lack. */
  margin?: number;
}

export interface TopTableProps {
  title: string;
  /** Header of the value column, e.g. "Principal ARN". */
  column: string;
  rows: readonly TopTableRow[];
  /** Header of the number column; default "Events". */
  countColumn?: string;
  unit?: "count" | "bytes";
  /** Render values in a monospace font (ARNs, IPs, API names). */
  mono?: boolean;
  testId?: string;
  /** One line under the title saying what is counted. */
  description?: string;
}

/**
 * A ranked "top N" table with a proportional bar per row; each row links to the records it counts.
 * Values come straight from CloudTrail or flow logs (attacker-controlled) and are only ever rendered as React text.
 */
export function TopTable({ title, column, rows, countColumn = "Events", unit = "count", mono = true, testId, description }: TopTableProps) {
  const max = rows.reduce((m, r) => Math.max(m, r.count), 0);
  return (
    <section className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white shadow-sm" data-testid={testId} aria-label={title}>
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        {description ? <p className="mt-0.5 text-xs text-slate-500">{description}</p> : null}
      </div>
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-500">Nothing in this range.</p>
      ) : (
        <table className="w-full table-fixed text-sm">
          {hasLowerBounds(rows.map((r) => r.margin)) ? (
            <caption className="caption-bottom px-4 py-2 text-left text-xs text-slate-500" data-testid={testId ? `${testId}-bounds` : undefined}>
              {LOWER_BOUNDS_NOTE}
            </caption>
          ) : null}
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="w-8 py-2 pl-4 font-medium">
                #
              </th>
              <th scope="col" className="py-2 pl-2 font-medium">
                {column}
              </th>
              <th scope="col" className="w-24 py-2 pr-4 text-right font-medium">
                {countColumn}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={`${i}:${row.value}`} className="border-t border-slate-100 hover:bg-slate-50">
                <td className="py-1.5 pl-4 align-top text-xs tabular-nums text-slate-400">{i + 1}</td>
                <td className="min-w-0 py-1.5 pl-2">
                  <div className={`line-clamp-2 break-all text-slate-800 ${mono ? "font-mono text-xs leading-5" : ""}`} title={row.value}>
                    {row.href ? (
                      <Link href={safeHref(row.href)} prefetch={false} className="hover:text-sky-800 hover:underline">
                        {row.value === "" ? <em className="text-slate-400">(empty)</em> : row.value}
                      </Link>
                    ) : row.value === "" ? (
                      <em className="text-slate-400">(empty)</em>
                    ) : (
                      row.value
                    )}
                  </div>
                  <div className="mt-1 h-1 rounded-full bg-slate-100" aria-hidden="true">
                    <div className="h-1 rounded-full bg-sky-500/70" style={{ width: `${max ? (row.count / max) * 100 : 0}%` }} />
                  </div>
                </td>
                <td className="py-1.5 pr-4 text-right align-top tabular-nums text-slate-700" title={formatExact(row.count, unit)}>
                  <LowerBound margin={row.margin} unit={unit} />
                  {row.href ? (
                    <Link
                      href={safeHref(row.href)}
                      prefetch={false}
                      data-testid={testId ? `${testId}-count` : undefined}
                      data-value={row.count}
                      aria-label={`List the ${formatExact(row.count, unit)} of ${row.value || "(empty)"}`}
                      className="text-sky-800 hover:underline"
                    >
                      {formatValue(row.count, unit)}
                    </Link>
                  ) : (
                    <span data-value={row.count}>{formatValue(row.count, unit)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
