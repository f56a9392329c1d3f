import Link from "next/link";
import { formatCount, formatInteger } from "./format";

export interface TopTableProps {
  title: string;
  /** Header of the value column, e.g. "Principal ARN". */
  column: string;
  /** `href`: where the row leads (e.g. the event search listing exactly the rows counted). */
  rows: readonly { value: string; count: number; href?: string }[];
  /** Render values in a monospace font (ARNs, IPs, API names). */
  mono?: boolean;
  testId?: string;
}

/**
 * A ranked "top N" table with a proportional bar per row. Values come straight from CloudTrail
 * (attacker-controlled) and are only ever rendered as React text.
 */
export function TopTable({ title, column, rows, mono = true, testId }: TopTableProps) {
  const max = rows.reduce((m, r) => Math.max(m, r.count), 0);
  return (
    <section className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white shadow-sm" data-testid={testId}>
      <h2 className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">{title}</h2>
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-500">Nothing in this range.</p>
      ) : (
        <table className="w-full table-fixed text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="w-8 py-2 pl-4 font-medium">
                #
              </th>
              <th scope="col" className="py-2 pl-2 font-medium">
                {column}
              </th>
              <th scope="col" className="w-20 py-2 pr-4 text-right font-medium">
                Events
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.value} className="border-t border-slate-100 hover:bg-slate-50">
                <td className="py-1.5 pl-4 align-top text-xs tabular-nums text-slate-400">{i + 1}</td>
                <td className="min-w-0 py-1.5 pl-2">
                  {row.href ? (
                    <Link
                      href={row.href}
                      className={`line-clamp-2 break-all text-sky-800 hover:underline ${mono ? "font-mono text-xs leading-5" : ""}`}
                      title={`${row.value}: list these ${formatInteger(row.count)} events`}
                    >
                      {row.value}
                    </Link>
                  ) : (
                    <div className={`line-clamp-2 break-all text-slate-800 ${mono ? "font-mono text-xs leading-5" : ""}`} title={row.value}>
                      {row.value}
                    </div>
                  )}
                  <div className="mt-1 h-1 rounded-full bg-slate-100" aria-hidden="true">
                    <div className="h-1 rounded-full bg-sky-500/70" style={{ width: `${max ? (row.count / max) * 100 : 0}%` }} />
                  </div>
                </td>
                <td className="py-1.5 pr-4 text-right align-top tabular-nums text-slate-700" title={formatInteger(row.count)}>
                  {formatCount(row.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
