"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Cell, Pie, PieChart, Tooltip } from "recharts";
import { formatExact, formatPercent, formatValue } from "../format";
import { safeHref } from "../../lib/http/safe-href";

export interface ShareSlice {
  label: string;
  value: number;
  /** The search page listing the records of the slice. */
  href: string | null;
  color: string;
}

/**
 * A donut of a few shares (e.g. sign-ins with and without MFA). Each slice, and its line in the
 * legend beside it, opens the records it counts.
 */
export function ShareChart({ slices, label, testId, unit = "count" }: { slices: readonly ShareSlice[]; label: string; testId?: string; unit?: "count" | "bytes" }) {
  const router = useRouter();
  const total = slices.reduce((n, s) => n + s.value, 0);
  return (
    <figure aria-label={label} className="m-0 flex flex-wrap items-center gap-6 px-4 py-3" data-testid={testId}>
      {total > 0 ? (
        <PieChart style={{ width: 140, height: 140 }} title={label} desc={`Shares: ${slices.map((s) => `${s.label} ${s.value}`).join(", ")}`}>
          <Pie
            data={slices.map((s) => ({ name: s.label, value: s.value }))}
            dataKey="value"
            nameKey="name"
            innerRadius={38}
            outerRadius={64}
            isAnimationActive={false}
            style={{ cursor: "pointer" }}
            onClick={(_entry: unknown, index: number) => {
              const href = slices[index]?.href;
              if (href) router.push(href);
            }}
          >
            {slices.map((s) => (
              <Cell key={s.label} fill={s.color} />
            ))}
          </Pie>
          <Tooltip formatter={(value, name) => [formatExact(Number(value), unit), String(name)]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        </PieChart>
      ) : null}
      <figcaption>
        <ul className="space-y-1.5 text-sm">
          {slices.map((s) => (
            <li key={s.label} className="flex items-center gap-2">
              <span aria-hidden="true" className="h-2.5 w-2.5 rounded-sm" style={{ background: s.color }} />
              <span className="text-slate-700">{s.label}</span>
              {s.href && s.value > 0 ? (
                <Link
                  href={safeHref(s.href)}
                  prefetch={false}
                  data-value={s.value}
                  className="font-medium tabular-nums text-sky-800 hover:underline"
                  aria-label={`List the ${formatExact(s.value, unit)}: ${s.label}`}
                >
                  {formatValue(s.value, unit)}
                </Link>
              ) : (
                <span className="font-medium tabular-nums text-slate-500" data-value={s.value}>
                  {formatValue(s.value, unit)}
                </span>
              )}
              <span className="text-xs tabular-nums text-slate-400">{total ? formatPercent(s.value / total) : ""}</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
