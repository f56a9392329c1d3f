import type { SqlParams } from "../detect/compile-rule";

/**
 * How a time range splits into the stored rows of the report rollups (lib/reports/rollups.ts) and leader boards
 * (lib/reports/leaders.ts): UTC hours, days and weeks, 5-minute buckets in the partial hours at its edges where the
 * rows keep them (flow records: ≈ 70k an hour at 50M a month), and what is left at its edges to raw rows.
 */

const FIVE_MINUTES_MS = 300_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const MONDAY_MS = 4 * DAY_MS;

/** The coarsest rows a read may use: "hour" for hourly buckets, "day" for daily ones, "week" when rows are not bucketed in time. */
export type RollupGrain = "hour" | "day" | "week";

/** The grain of stored rows: a read's coarsest grain, or 5-minute buckets (`bucket` = their start, UTC). */
export type StoredGrain = RollupGrain | "5min";

/** A span of stored rows of one grain: buckets from `start` (ms since the epoch, UTC) to before `end`. */
export interface GrainSpan {
  grain: StoredGrain;
  start: number;
  end: number;
}

/**
 * How a range `[from, to)` splits into stored rows, coarsest allowed by `grain`: the spans of week rows
 * (whole UTC weeks from Monday) when `grain` is "week", day rows for the other whole UTC days unless `grain` is
 * "hour", hour rows for the other whole hours, and, when `fiveMinutes` (the rows keep 5-minute buckets), 5-minute
 * rows for the whole 5 minutes of the partial hours at the edges (empty spans left out). What is left at the
 * edges, `[from, firstStored)` and `[endStored, to)` (ms since the epoch), is for raw rows. Null when the range
 * holds no whole hour (raw rows are then as cheap, and exact).
 */
export function rollupSpans(
  from: Date,
  to: Date,
  grain: RollupGrain,
  fiveMinutes = false,
): { stored: GrainSpan[]; firstStored: number; endStored: number } | null {
  const firstHour = ceilTo(from.getTime(), HOUR_MS);
  const endHour = floorTo(to.getTime(), HOUR_MS);
  if (endHour <= firstHour) return null;
  let firstDay = ceilTo(firstHour, DAY_MS);
  let endDay = floorTo(endHour, DAY_MS);
  if (grain === "hour" || endDay <= firstDay) firstDay = endDay = endHour;
  let firstWeek = weekStart(firstDay + WEEK_MS - 1);
  let endWeek = weekStart(endDay);
  if (grain !== "week" || endWeek <= firstWeek) firstWeek = endWeek = endDay;
  const firstStored = fiveMinutes ? ceilTo(from.getTime(), FIVE_MINUTES_MS) : firstHour;
  const endStored = fiveMinutes ? floorTo(to.getTime(), FIVE_MINUTES_MS) : endHour;
  const spans: GrainSpan[] = [
    { grain: "5min", start: firstStored, end: firstHour },
    { grain: "hour", start: firstHour, end: firstDay },
    { grain: "day", start: firstDay, end: firstWeek },
    { grain: "week", start: firstWeek, end: endWeek },
    { grain: "day", start: endWeek, end: endDay },
    { grain: "hour", start: endDay, end: endHour },
    { grain: "5min", start: endHour, end: endStored },
  ];
  return { stored: spans.filter((s) => s.end > s.start), firstStored, endStored };
}

const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;
const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;

/** The start (ms since the epoch) of the UTC week holding `ms`: Monday 00:00, as Postgres's `date_trunc('week')`. */
function weekStart(ms: number): number {
  return Math.floor((ms - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS;
}

/** The start (ms since the epoch, UTC) of the bucket of `grain` holding `ms`. */
function bucketStartOf(grain: RollupGrain, ms: number): number {
  return grain === "week" ? weekStart(ms) : floorTo(ms, grain === "day" ? DAY_MS : HOUR_MS);
}

const GRAIN_MS: Record<RollupGrain, number> = { hour: HOUR_MS, day: DAY_MS, week: WEEK_MS };

/**
 * The rows of one grain of `grains` (coarsest first) that tell exactly which keys have a record in `[from, to)`
 * from their first and last record times alone, as a span from the bucket holding `from` to `to`; null when no
 * grain can. A row has a record in the range when its first or last time lies in it, and none when both lie before
 * it or both after it. When they lie on either side of it the row cannot tell; only a bucket reaching past both ends
 * of the range holds such a row, so a grain serves when its bucket holding `from` starts at `from` or ends by `to`.
 * Of those, the coarsest whose buckets cover at most twice the range (fewer rows per key), else the finest: on a
 * trail whose keys rarely repeat (scanning addresses) a row per key per week would outnumber the hours' rows.
 */
export function presenceSpan(from: Date, to: Date, grains: readonly RollupGrain[]): GrainSpan | null {
  const [f, t] = [from.getTime(), to.getTime()];
  if (t <= f) return null;
  const serving = grains.flatMap((grain) => {
    const start = bucketStartOf(grain, f);
    const covered = bucketStartOf(grain, t - 1) + GRAIN_MS[grain] - start;
    return start === f || start + GRAIN_MS[grain] <= t ? [{ grain, start, covered }] : [];
  });
  const chosen = serving.find((s) => s.covered <= 2 * (t - f)) ?? serving.at(-1);
  return chosen ? { grain: chosen.grain, start: chosen.start, end: t } : null;
}

/** The stored rows of `spans`, as a condition on a rollup or board table's `grain` and `bucket` (a UTC `timestamp`). */
export function storedBucketsSql(spans: readonly GrainSpan[], params: SqlParams): string {
  const at = (ms: number) => `(${params.add(new Date(ms))}::timestamptz AT TIME ZONE 'UTC')`;
  return spans.map((s) => `(grain = '${s.grain}' AND bucket >= ${at(s.start)} AND bucket < ${at(s.end)})`).join(" OR ");
}

/** The parts of `[from, to)` outside its stored rows, `[from, firstStored)` and `[endStored, to)` (ms since the epoch, UTC), empty ones left out. */
export function rawEdges(from: Date, to: Date, spans: { firstStored: number; endStored: number }): [number, number][] {
  const edges: [number, number][] = [
    [from.getTime(), spans.firstStored],
    [spans.endStored, to.getTime()],
  ];
  return edges.filter(([start, end]) => end > start);
}

/** Raw rows of `[from, to)` outside its stored rows ({@link rawEdges}), as a condition on `time` (a `timestamptz` expression). */
export function rawEdgesSql(time: string, from: Date, to: Date, spans: { firstStored: number; endStored: number }, params: SqlParams): string {
  const edges = rawEdges(from, to, spans).map(([start, end]) => `(${time} >= ${params.add(new Date(start))}::timestamptz AND ${time} < ${params.add(new Date(end))}::timestamptz)`);
  return edges.length > 0 ? `(${edges.join("\n       OR ")})` : "false";
}
