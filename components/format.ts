/**
 * Display formatting for report numbers and UTC times. The locale is fixed ("en-US") so the server's
 * HTML and the browser's hydration produce the same text, and times are always UTC (as CloudTrail's are).
 */

const LOCALE = "en-US";

const compact = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 });

/** A count, abbreviated: 999 → "999", 12 345 → "12.3K", 4 500 000 → "4.5M". */
export function formatCount(n: number): string {
  return compact.format(n);
}

/** A count in full with grouping: 12345 → "12,345" (for titles and tooltips). */
export function formatInteger(n: number): string {
  return integer.format(n);
}

// Decimal (SI) units, as Intl names them: 1 kB = 1000 bytes.
const BYTE_UNITS = ["kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"] as const;
const byteFormats = BYTE_UNITS.map(
  (unit) => new Intl.NumberFormat(LOCALE, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 }),
);

/** A byte count in the largest fitting decimal unit: 512 → "512 B", 1500 → "1.5 kB", 5e9 → "5 GB". */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1000) return `${integer.format(bytes)} B`;
  let i = 0;
  let value = bytes / 1000;
  // Step up while the value would print as 1000 or more after rounding to one decimal (999.95 MB → 1 GB).
  while (i < BYTE_UNITS.length - 1 && Math.abs(Math.round(value * 10) / 10) >= 1000) {
    value /= 1000;
    i++;
  }
  return byteFormats[i]!.format(value);
}

/** A ratio from 0 to 1 as a percentage: 2/7 → "28.6%"; a non-zero rate too small to show is "<0.1%". */
export function formatPercent(ratio: number): string {
  if (ratio > 0 && ratio < 0.0005) return "<0.1%";
  return percent.format(ratio);
}

/** "2026-11-20 10:05 UTC". */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const monthDay = new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", month: "short", day: "numeric" });

export type Bucket = "minute" | "hour" | "day";

/** A chart axis tick for a bucket start: "Nov 20" for days and midnights, "14:00" or "14:05" otherwise. */
export function formatBucketTick(date: Date, bucket: Bucket): string {
  if (bucket === "day" || (date.getUTCHours() === 0 && date.getUTCMinutes() === 0)) return monthDay.format(date);
  return date.toISOString().slice(11, 16);
}

/** A tooltip title for a bucket: "Nov 20, 14:00–15:00 UTC", "Nov 20, 14:05–14:06 UTC" or "Nov 20 UTC". */
export function formatBucketLabel(date: Date, bucket: Bucket): string {
  if (bucket === "day") return `${monthDay.format(date)} UTC`;
  const end = new Date(date.getTime() + (bucket === "hour" ? 3_600_000 : 60_000));
  return `${monthDay.format(date)}, ${date.toISOString().slice(11, 16)}–${end.toISOString().slice(11, 16)} UTC`;
}

/** A value in the unit a panel counts: events and records as counts, bytes in decimal units. */
export function formatValue(value: number, unit: "count" | "bytes"): string {
  return unit === "bytes" ? formatBytes(value) : formatCount(value);
}

/** The exact value for titles and screen readers: "12,345" or "12,345 bytes". */
export function formatExact(value: number, unit: "count" | "bytes"): string {
  return unit === "bytes" ? `${formatInteger(value)} bytes` : formatInteger(value);
}
