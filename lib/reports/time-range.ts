/**
 * Time ranges of report URLs (`?range=24h`), resolved to concrete UTC instants.
 * Pure: the clock is a parameter, so a range is reproducible in tests.
 */

/** Presets the URL may carry; anything else falls back to {@link DEFAULT_PRESET}. */
export const RANGE_PRESETS = ["15m", "1h", "24h", "7d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = "24h";

/** Bucket widths a time series may use; also the whitelist of `date_trunc` units in report SQL. */
export const BUCKET_UNITS = ["minute", "hour", "day"] as const;
export type BucketUnit = (typeof BUCKET_UNITS)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Width of a bucket in ms: fixed in UTC (no DST; leap seconds do not exist in epoch ms). */
export const BUCKET_MS: Record<BucketUnit, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

const PRESETS: Record<RangePreset, { ms: number; bucket: BucketUnit; label: string }> = {
  "15m": { ms: 15 * MINUTE_MS, bucket: "minute", label: "Last 15 minutes" },
  "1h": { ms: HOUR_MS, bucket: "minute", label: "Last hour" },
  "24h": { ms: DAY_MS, bucket: "hour", label: "Last 24 hours" },
  "7d": { ms: 7 * DAY_MS, bucket: "day", label: "Last 7 days" },
  "30d": { ms: 30 * DAY_MS, bucket: "day", label: "Last 30 days" },
};

/** The longest custom range accepted, so an API caller cannot ask for years of hourly buckets. */
export const MAX_CUSTOM_RANGE_MS = 400 * DAY_MS;

/**
 * A half-open interval `[from, to)` of UTC instants, plus how a time series over it is bucketed.
 * `preset` is `"custom"` for explicit `from`/`to`.
 */
export interface TimeRange {
  from: Date;
  to: Date;
  preset: RangePreset | "custom";
  bucket: BucketUnit;
}

export class TimeRangeError extends Error {
  override name = "TimeRangeError";
}

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === "string" && (RANGE_PRESETS as readonly string[]).includes(value);
}

/** Human label of a preset, e.g. "Last 7 days". */
export function presetLabel(preset: RangePreset | "custom"): string {
  return preset === "custom" ? "Custom range" : PRESETS[preset].label;
}

/**
 * Resolves the URL's `range` value (as Next passes search params: string, repeated → array, or absent)
 * to `[from, to)` ending at `now`. `from` is rounded down to its bucket start (UTC) so every bucket
 * but the current one is complete; the range therefore covers at least the preset's duration.
 * Unknown or missing values resolve to the 24-hour default; never throws.
 */
export function parseTimeRange(value: string | readonly string[] | null | undefined, now: Date = new Date()): TimeRange {
  const raw = Array.isArray(value) ? value[0] : value;
  const preset = isRangePreset(raw) ? raw : DEFAULT_PRESET;
  const { ms, bucket } = PRESETS[preset];
  return { from: floorToBucket(new Date(now.getTime() - ms), bucket), to: new Date(now.getTime()), preset, bucket };
}

/**
 * The bucket a series over `[from, to)` uses when none is asked for: minutes up to three hours,
 * hours up to two days, days beyond.
 */
export function bucketForSpan(spanMs: number): BucketUnit {
  if (spanMs <= 3 * HOUR_MS) return "minute";
  return spanMs <= 2 * DAY_MS ? "hour" : "day";
}

/**
 * An explicit range from two ISO 8601 timestamps with a zone (`2026-11-20T00:00:00Z`), as report URLs,
 * the JSON API and search links carry it. The bucket follows {@link bucketForSpan}.
 * Throws `TimeRangeError` when a timestamp does not parse, `from >= to`, or the span exceeds 400 days.
 */
export function customTimeRange(fromIso: string, toIso: string): TimeRange {
  const from = parseIsoInstant(fromIso, "from");
  const to = parseIsoInstant(toIso, "to");
  const span = to.getTime() - from.getTime();
  if (span <= 0) throw new TimeRangeError("`from` must be before `to`");
  if (span > MAX_CUSTOM_RANGE_MS) throw new TimeRangeError("the range may span at most 400 days");
  return { from, to, preset: "custom", bucket: bucketForSpan(span) };
}

/**
 * The range a report URL asks for: `from` and `to` together (an absolute range, see {@link customTimeRange}),
 * else the `range` preset (see {@link parseTimeRange}).
 * Throws `TimeRangeError` when only one of `from`/`to` is given or they do not form a valid range.
 */
export function resolveTimeRange(
  params: { range?: string | null; from?: string | null; to?: string | null },
  now: Date = new Date(),
): TimeRange {
  const { from, to } = params;
  if (from || to) {
    if (!from || !to) throw new TimeRangeError("`from` and `to` must be given together");
    return customTimeRange(from, to);
  }
  return parseTimeRange(params.range, now);
}

/** The end (exclusive, UTC) of the bucket that starts at `start`. */
export function bucketEnd(start: Date, bucket: BucketUnit): Date {
  return new Date(start.getTime() + BUCKET_MS[bucket]);
}

/** The start (UTC) of the bucket containing `date`. */
export function floorToBucket(date: Date, bucket: BucketUnit): Date {
  const size = BUCKET_MS[bucket];
  return new Date(Math.floor(date.getTime() / size) * size);
}

// A zone is required: a bare local time would be read in the server's time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseIsoInstant(value: string, name: string): Date {
  const date = ISO_INSTANT.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || !isCalendarDate(value)) {
    throw new TimeRangeError(`\`${name}\` must be an ISO 8601 timestamp with a zone, e.g. 2026-11-20T00:00:00Z`);
  }
  return date;
}

// V8 rolls impossible dates over (2026-02-30 → March 2) instead of rejecting them.
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}
