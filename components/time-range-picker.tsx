import Link from "next/link";
import type { RangePreset, TimeRange } from "../lib/reports/time-range";
import { formatUtc } from "./format";

const CHOICES: readonly { preset: RangePreset; label: string }[] = [
  { preset: "24h", label: "24h" },
  { preset: "7d", label: "7d" },
  { preset: "30d", label: "30d" },
];

/**
 * Preset links (`?range=24h|7d|30d`) that keep the range in the URL, so every view is a shareable link,
 * and the resolved UTC interval. `keep`: other parameters of the page the links carry along
 * (a search's filters); a custom `from`/`to` and a `cursor` are replaced by the preset.
 */
export function TimeRangePicker({ basePath, range, keep }: { basePath: string; range: TimeRange; keep?: string }) {
  const href = (preset: RangePreset) => {
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
              href={href(preset)}
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
        <time dateTime={range.from.toISOString()}>{formatUtc(range.from).replace(" UTC", "")}</time>
        {" – "}
        <time dateTime={range.to.toISOString()}>{formatUtc(range.to)}</time>
      </p>
    </div>
  );
}
