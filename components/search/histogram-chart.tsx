"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatInteger } from "../format";
import { safeHref } from "../../lib/http/safe-href";

export interface HistogramPoint {
  /** Bucket start, epoch ms (UTC). */
  t: number;
  /** The search narrowed to this bucket. */
  href: string;
  /** Matches per series key. */
  [series: string]: number | string;
}

export interface HistogramChartProps {
  data: readonly HistogramPoint[];
  /** Series in stacking order (bottom first), with a colour (CSS value). */
  series: readonly { key: string; label: string; color: string }[];
  /** Bar width, seconds. */
  bucketSeconds: number;
  /** Accessible name, e.g. "Matching events per 15 minutes". */
  label: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "Nov 20 14:15" in UTC (or "Nov 20" for day bars). */
function tick(t: number, bucketSeconds: number): string {
  const d = new Date(t);
  const day = d.toLocaleString("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
  return bucketSeconds >= 86_400 ? day : d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? day : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function bucketLabel(t: number, bucketSeconds: number): string {
  const start = new Date(t);
  const end = new Date(t + bucketSeconds * 1000);
  const fmt = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
  return `${fmt(start)} – ${fmt(end).slice(bucketSeconds >= 86_400 ? 0 : 11)} UTC`;
}

/**
 * Stacked bars of matching records per UTC bucket. Clicking a bar narrows the search's time range
 * to that bucket (its `href`); the same links are in a screen-reader table below the chart.
 */
export function HistogramChart({ data, series, bucketSeconds, label }: HistogramChartProps) {
  const router = useRouter();
  const wanted = Math.max(1, Math.ceil(data.length / 12));
  const ticks = data.filter((_, i) => i % wanted === 0).map((d) => d.t);
  return (
    <figure aria-label={label} className="m-0" data-testid="histogram">
      <figcaption className="mb-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="h-2.5 w-2.5 rounded-sm" style={{ background: s.color }} />
            {s.label}
            <span className="tabular-nums text-slate-400">{formatInteger(data.reduce((n, d) => n + Number(d[s.key] ?? 0), 0))}</span>
          </span>
        ))}
        <span className="text-slate-400">Click a bar to zoom in.</span>
      </figcaption>
      <BarChart
        responsive
        data={data as HistogramPoint[]}
        style={{ width: "100%", height: 160 }}
        margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
        barCategoryGap="10%"
        title={label}
      >
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="t" ticks={ticks} tickFormatter={(t: number) => tick(t, bucketSeconds)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} />
        <YAxis allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={40} />
        <Tooltip
          cursor={{ fill: "rgba(148, 163, 184, 0.15)" }}
          labelFormatter={(t) => bucketLabel(Number(t), bucketSeconds)}
          formatter={(value, name) => [formatInteger(Number(value)), String(name)]}
          separator=": "
          contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#cbd5e1" }}
        />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="hits"
            fill={s.color}
            isAnimationActive={false}
            radius={i === series.length - 1 ? [2, 2, 0, 0] : undefined}
            className="cursor-pointer"
            onClick={(entry) => {
              const href = (entry as { payload?: Partial<HistogramPoint> }).payload?.href;
              if (typeof href === "string") router.push(href);
            }}
          />
        ))}
      </BarChart>
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Bucket (UTC)</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.t}>
              <th scope="row">
                <Link href={safeHref(d.href)}>{bucketLabel(d.t, bucketSeconds)}</Link>
              </th>
              {series.map((s) => (
                <td key={s.key}>{Number(d[s.key] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
