"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatBucketLabel, formatBucketTick, formatCount, formatInteger } from "../format";

export interface EventsPoint {
  /** Bucket start, epoch milliseconds (UTC). */
  t: number;
  read: number;
  write: number;
}

// Series → label and colour variable (defined in app/globals.css), so the chart stays dumb and themeable.
const SERIES = {
  write: { label: "Write", color: "var(--color-chart-write)" },
  read: { label: "Read-only", color: "var(--color-chart-read)" },
} as const;

export interface EventsOverTimeChartProps {
  data: readonly EventsPoint[];
  bucket: "hour" | "day";
  /** Accessible name of the chart, e.g. "CloudTrail events per hour, last 24 hours". */
  label: string;
}

// About 16 labelled ticks at most, on round UTC hours (every 1, 2, 3, 4, 6 or 12 h) or every n-th day,
// chosen here because Recharts' collision pass drops ticks irregularly (often the date at midnight); it still
// thins these on narrow screens.
function tickValues(data: readonly EventsPoint[], bucket: "hour" | "day"): number[] {
  const wanted = Math.max(1, Math.ceil(data.length / 16));
  if (bucket === "day") return data.filter((_, i) => (data.length - 1 - i) % wanted === 0).map((d) => d.t);
  const step = [1, 2, 3, 4, 6, 12].find((h) => h >= wanted) ?? 24;
  return data.filter((d) => new Date(d.t).getUTCHours() % step === 0).map((d) => d.t);
}

/** Stacked bars of CloudTrail events per UTC bucket, write below read-only. */
export function EventsOverTimeChart({ data, bucket, label }: EventsOverTimeChartProps) {
  const totals = data.reduce((s, d) => ({ read: s.read + d.read, write: s.write + d.write }), { read: 0, write: 0 });
  return (
    <figure aria-label={label} className="m-0">
      <figcaption className="mb-3 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600">
        {(Object.keys(SERIES) as (keyof typeof SERIES)[]).map((key) => (
          <span key={key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="h-2.5 w-2.5 rounded-sm" style={{ background: SERIES[key].color }} />
            {SERIES[key].label}
            <span className="tabular-nums text-slate-400">{formatInteger(totals[key])}</span>
          </span>
        ))}
      </figcaption>
      <BarChart
        responsive
        data={data as EventsPoint[]}
        style={{ width: "100%", height: 260 }}
        margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
        barCategoryGap="20%"
        title={label}
        desc={`Stacked bars per ${bucket}: write events and read-only events.`}
      >
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis
          dataKey="t"
          ticks={tickValues(data, bucket)}
          tickFormatter={(t: number) => formatBucketTick(new Date(t), bucket)}
          tick={{ fontSize: 11, fill: "#64748b" }}
          tickLine={false}
          axisLine={{ stroke: "#cbd5e1" }}
        />
        <YAxis
          allowDecimals={false}
          tickFormatter={(v: number) => formatCount(v)}
          tick={{ fontSize: 11, fill: "#64748b" }}
          tickLine={false}
          axisLine={false}
          width={44}
        />
        <Tooltip
          cursor={{ fill: "rgba(148, 163, 184, 0.15)" }}
          labelFormatter={(t) => formatBucketLabel(new Date(Number(t)), bucket)}
          formatter={(value, name) => [formatInteger(Number(value)), String(name)]}
          separator=": "
          contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#cbd5e1" }}
        />
        <Bar dataKey="write" name={SERIES.write.label} stackId="events" fill={SERIES.write.color} isAnimationActive={false} />
        <Bar
          dataKey="read"
          name={SERIES.read.label}
          stackId="events"
          fill={SERIES.read.color}
          radius={[2, 2, 0, 0]}
          isAnimationActive={false}
        />
      </BarChart>
      {/* The same numbers as a table for screen readers (the SVG alone is hard to navigate). */}
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Bucket (UTC)</th>
            <th scope="col">{SERIES.write.label}</th>
            <th scope="col">{SERIES.read.label}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.t}>
              <th scope="row">{formatBucketLabel(new Date(d.t), bucket)}</th>
              <td>{d.write}</td>
              <td>{d.read}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
