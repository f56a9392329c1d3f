"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatBucketLabel, formatBucketTick, formatExact, formatValue, type Bucket } from "../format";
import { safeHref } from "../../lib/http/safe-href";

/** One series: where its values are in each point, its label, and its colour (a CSS colour or variable). */
export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
}

/** One bucket: start (epoch ms, UTC), a value per series, and per series the search link of the records behind it. */
export interface ChartPoint {
  t: number;
  values: Record<string, number>;
  hrefs: Record<string, string>;
}

export interface TimeSeriesChartProps {
  points: readonly ChartPoint[];
  series: readonly SeriesSpec[];
  bucket: Bucket;
  /** Accessible name of the chart, e.g. "CloudTrail events per hour, last 24 hours". */
  label: string;
  unit?: "count" | "bytes";
  /** Stack the series (default) or draw them side by side. */
  stacked?: boolean;
  testId?: string;
  height?: number;
}

// About 16 labelled ticks at most, on round UTC times, chosen here because Recharts' collision pass
// drops ticks irregularly (often the date at midnight); it still thins these on narrow screens.
function tickValues(points: readonly ChartPoint[], bucket: Bucket): number[] {
  const wanted = Math.max(1, Math.ceil(points.length / 16));
  if (bucket === "day") return points.filter((_, i) => (points.length - 1 - i) % wanted === 0).map((d) => d.t);
  const steps = bucket === "hour" ? [1, 2, 3, 4, 6, 12, 24] : [1, 2, 5, 10, 15, 30, 60];
  const step = steps.find((s) => s >= wanted) ?? steps[steps.length - 1]!;
  const unitMs = bucket === "hour" ? 3_600_000 : 60_000;
  return points.filter((d) => Math.floor(d.t / unitMs) % step === 0).map((d) => d.t);
}

/**
 * Bars per UTC bucket, one colour per series. Every bar segment opens the search page listing the
 * records it counts; the same numbers and links are in the table under the chart (keyboard and
 * screen-reader users, and anyone who wants exact values).
 */
export function TimeSeriesChart({ points, series, bucket, label, unit = "count", stacked = true, testId, height = 240 }: TimeSeriesChartProps) {
  const router = useRouter();
  const data = points.map((p) => ({ t: p.t, ...p.values }));
  const totals = Object.fromEntries(series.map((s) => [s.key, points.reduce((n, p) => n + (p.values[s.key] ?? 0), 0)]));
  return (
    <figure aria-label={label} className="m-0" data-testid={testId}>
      <figcaption className="mb-3 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="h-2.5 w-2.5 rounded-sm" style={{ background: s.color }} />
            <span className="max-w-[16rem] truncate" title={s.label}>
              {s.label}
            </span>
            <span className="tabular-nums text-slate-400">{formatExact(totals[s.key] ?? 0, unit)}</span>
          </span>
        ))}
      </figcaption>
      <BarChart
        responsive
        data={data}
        style={{ width: "100%", height }}
        margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
        barCategoryGap="20%"
        title={label}
        desc={`Bars per ${bucket}: ${series.map((s) => s.label).join(", ")}. Select a bar to list its records.`}
      >
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis
          dataKey="t"
          ticks={tickValues(points, bucket)}
          tickFormatter={(t: number) => formatBucketTick(new Date(t), bucket)}
          tick={{ fontSize: 11, fill: "#64748b" }}
          tickLine={false}
          axisLine={{ stroke: "#cbd5e1" }}
        />
        <YAxis
          allowDecimals={false}
          tickFormatter={(v: number) => formatValue(v, unit)}
          tick={{ fontSize: 11, fill: "#64748b" }}
          tickLine={false}
          axisLine={false}
          width={unit === "bytes" ? 60 : 44}
        />
        <Tooltip
          cursor={{ fill: "rgba(148, 163, 184, 0.15)" }}
          labelFormatter={(t) => formatBucketLabel(new Date(Number(t)), bucket)}
          formatter={(value, name) => [formatExact(Number(value), unit), String(name)]}
          separator=": "
          contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#cbd5e1" }}
        />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId={stacked ? "stack" : undefined}
            fill={s.color}
            radius={!stacked || i === series.length - 1 ? [2, 2, 0, 0] : undefined}
            isAnimationActive={false}
            style={{ cursor: "pointer" }}
            onClick={(_entry: unknown, index: number) => {
              const href = points[index]?.hrefs[s.key];
              if (href) router.push(href);
            }}
          />
        ))}
      </BarChart>
      <details className="mt-1 text-xs text-slate-600">
        <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-800">Table of these numbers</summary>
        <div className="mt-2 max-h-64 overflow-auto">
          <table className="w-full text-left tabular-nums">
            <caption className="sr-only">{label}</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="py-1 pr-3 font-medium">
                  Bucket (UTC)
                </th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="py-1 pr-3 text-right font-medium">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.t} className="border-t border-slate-100">
                  <th scope="row" className="py-0.5 pr-3 font-normal">
                    {formatBucketLabel(new Date(p.t), bucket)}
                  </th>
                  {series.map((s) => {
                    const value = p.values[s.key] ?? 0;
                    const href = p.hrefs[s.key];
                    return (
                      <td key={s.key} className="py-0.5 pr-3 text-right">
                        {value > 0 && href ? (
                          <Link href={safeHref(href)} prefetch={false} data-value={value} className="text-sky-800 hover:underline">
                            {formatExact(value, unit)}
                          </Link>
                        ) : (
                          <span className="text-slate-400">{formatExact(value, unit)}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
