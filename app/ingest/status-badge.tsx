// Colours per ledger status and message outcome. Unknown values (a newer worker's) get the neutral style.
const STATUS_STYLES: Record<string, string> = {
  done: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  processing: "bg-sky-50 text-sky-800 ring-sky-600/20",
  stalled: "bg-amber-50 text-amber-800 ring-amber-600/30",
  failed: "bg-red-50 text-red-800 ring-red-600/25",
  rejected: "bg-rose-100 text-rose-900 ring-rose-700/30",
  skipped: "bg-amber-50 text-amber-800 ring-amber-600/25",
  unsupported: "bg-violet-50 text-violet-800 ring-violet-600/20",
  test: "bg-sky-50 text-sky-800 ring-sky-600/20",
  ignored: "bg-slate-100 text-slate-700 ring-slate-500/20",
};
const NEUTRAL = "bg-slate-100 text-slate-700 ring-slate-500/20";

/**
 * A status or outcome as a small coloured pill. The text is the stored value itself (React text, never HTML);
 * `tone` picks the colour when it differs from the text (a `processing` object that has stalled).
 */
export function StatusBadge({ value, tone, title }: { value: string; tone?: string; title?: string }) {
  return (
    <span
      title={title}
      data-status={tone ?? value}
      className={`inline-flex max-w-full items-center truncate rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLES[tone ?? value] ?? NEUTRAL}`}
    >
      {value}
    </span>
  );
}
