import type { ChartPoint } from "./time-series-chart";

/** A report's time-series point: bucket start, a number per series under its key, and per series a link. */
type ReportPoint = { bucketStart: Date; hrefs: Readonly<Record<string, string>> };

/** Report points → the chart's serialisable points (epoch ms, values and links of `keys` only). */
export function chartPoints(points: readonly ReportPoint[], keys: readonly string[]): ChartPoint[] {
  return points.map((p) => ({
    t: p.bucketStart.getTime(),
    values: Object.fromEntries(keys.map((k) => [k, Number((p as unknown as Record<string, number>)[k] ?? 0)])),
    hrefs: Object.fromEntries(keys.map((k) => [k, p.hrefs[k] ?? ""])),
  }));
}

/** The categorical palette of app/globals.css, in order. */
export const PALETTE = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `var(--color-chart-${i})`);
