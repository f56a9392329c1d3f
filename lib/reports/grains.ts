/**
 * How a time range splits into the stored rows of the report rollups (lib/reports/rollups.ts) and leader boards
 * (lib/reports/leaders.ts): UTC hours, days and weeks, and the partial hours at its edges left to raw rows.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const MONDAY_MS = 4 * DAY_MS;

/** The coarsest rows a read may use: "hour" for hourly buckets, "day" for daily ones, "week" when rows are not bucketed in time. */
export type RollupGrain = "hour" | "day" | "week";

/** A span of stored rows of one grain: buckets from `start` (ms since the epoch, UTC) to before `end`. */
export interface GrainSpan {
  grain: RollupGrain;
  start: number;
  end: number;
}

/**
 * How a range `[from, to)` splits into stored rows, coarsest allowed by `grain`: the spans of week rows
 * (whole UTC weeks from Monday) when `grain` is "week", day rows for the other whole UTC days unless `grain` is
 * "hour", and hour rows for the other whole hours (empty spans left out); the partial hours at the edges,
 * `[from, firstHour)` and `[endHour, to)` (ms), are left to raw rows. Null when the range holds no whole hour.
 */
export function rollupSpans(from: Date, to: Date, grain: RollupGrain): { stored: GrainSpan[]; firstHour: number; endHour: number } | null {
  const firstHour = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  const endHour = Math.floor(to.getTime() / HOUR_MS) * HOUR_MS;
  if (endHour <= firstHour) return null;
  let firstDay = Math.ceil(firstHour / DAY_MS) * DAY_MS;
  let endDay = Math.floor(endHour / DAY_MS) * DAY_MS;
  if (grain === "hour" || endDay <= firstDay) firstDay = endDay = endHour;
  let firstWeek = weekStart(firstDay + WEEK_MS - 1);
  let endWeek = weekStart(endDay);
  if (grain !== "week" || endWeek <= firstWeek) firstWeek = endWeek = endDay;
  const spans: GrainSpan[] = [
    { grain: "hour", start: firstHour, end: firstDay },
    { grain: "day", start: firstDay, end: firstWeek },
    { grain: "week", start: firstWeek, end: endWeek },
    { grain: "day", start: endWeek, end: endDay },
    { grain: "hour", start: endDay, end: endHour },
  ];
  return { stored: spans.filter((s) => s.end > s.start), firstHour, endHour };
}

/** The start (ms since the epoch) of the UTC week holding `ms`: Monday 00:00, as Postgres's `date_trunc('week')`. */
function weekStart(ms: number): number {
  return Math.floor((ms - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS;
}
