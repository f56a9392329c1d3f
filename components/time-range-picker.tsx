import Link from "next/link";
import { reportHref, type ReportFilters } from "../lib/reports/report-filters";
import type { RangePreset } from "../lib/reports/time-range";
import { formatUtc } from "./format";
import { safeHref } from "../lib/http/safe-href";

const CHOICES: readonly { preset: RangePreset; label: string }[] = [
  { preset: "15m", label: "15m" },
  { preset: "1h", label: "1h" },
  { preset: "24h", label: "24h" },
  { preset: "7d", label: "7d" },
  { preset: "30d", label: "30d" },
];

/**
 * Preset links (`?range=15m|1h|24h|7d|30d`, keeping the account and region) that keep the range in the URL,
 * so every view is a shareable link and the back button returns to the previous range, and the resolved UTC interval.
 * `keep`: the page's whole query (a search's filters), carried along with only the range replaced
 * (a custom `from`/`to` and a `cursor` give way to the preset).
 */
export function TimeRangePicker({ basePath, filters, keep }: { basePath: string; filters: ReportFilters; keep?: string }) {
  const { range } = filters;
  const presetHref = (preset: RangePreset) => {
    if (keep === undefined) return reportHref(basePath, filters, { range: preset });
    const params = new URLSearchParams(keep);
    for (const key of ["range", "from", "to", "cursor"]) params.delete(key);
    params.set("range", preset);
    return `${basePath}?${params.toString()}`;
  };
  return (
    <div className="flex flex-col items-end gap-1.5">
      <nav aria-label="Time range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
        {CHOICES.map(({ preset, label }) => {
          const active = range.preset === preset;
          return (
            <Link
              key={preset}
              href={safeHref(presetHref(preset))}
              aria-current={active ? "true" : undefined}
              data-testid={`range-${preset}`}
              className={
                active
                  ? "rounded px-3 py-1 text-sm font-medium text-white bg-slate-900"
                  : "rounded px-3 py-1 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
              }
            >
              {label}
            </Link>
          );
        })}
      </nav>
      <p className="text-xs tabular-nums text-slate-500" data-testid="range-interval">
        <time dateTime={range.from.toISOString()} data-testid="range-from">
          {formatUtc(range.from).replace(" UTC", "")}
        </time>
        {" – "}
        <time dateTime={range.to.toISOString()} data-testid="range-to">
          {formatUtc(range.to)}
        </time>
      </p>
    </div>
  );
}
