import { formatUtc } from "./format";

/** One recorded change: what, by whom, when (UTC), and the thing before and after as text. */
export interface ChangeEntry {
  id: number;
  action: string;
  actor: string;
  at: Date;
  before: string;
  after: string;
}

/** A history section (rules, channels): newest first, each change with its before / after folded away. */
export function ChangeHistory({ entries, empty, testId }: { entries: ChangeEntry[]; empty: string; testId: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby="history">
      <h2 id="history" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">History</h2>
      {entries.length === 0 ? <p className="px-4 py-4 text-sm text-slate-500">{empty}</p> : (
        <ol className="divide-y divide-slate-100 text-xs" data-testid={testId}>
          {entries.map((h) => (
            <li key={h.id} className="px-4 py-2">
              <span className="font-medium text-slate-900">{h.action}</span> by {h.actor} <span className="tabular-nums text-slate-500">· {formatUtc(h.at)}</span>
              <details className="mt-1">
                <summary className="cursor-pointer text-slate-600">before / after</summary>
                <div className="mt-1 grid gap-2 md:grid-cols-2">
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2">{h.before}</pre>
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2">{h.after}</pre>
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
