import type { SqlParams } from "../detect/compile-rule";

/**
 * How a time range splits into the stored rows of the report rollups (lib/reports/rollups.ts) and leader boards
 * (lib/reports/leaders.ts): UTC hours, days and weeks, where the rows keep them 6-hour buckets between hours and
 * days and 5-minute buckets in the partial hours at its edges, and what is left at its edges to raw rows.
 */

const FIVE_MINUTES_MS = 300_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const MONDAY_MS = 4 * DAY_MS;

/** The coarsest rows a read may use: "hour" for hourly buckets, "day" for daily ones, "week" when rows are not bucketed in time. */
export type RollupGrain = "hour" | "day" | "week";

/** The grain of stored rows: a read's coarsest grain, or 5-minute or 6-hour buckets (`bucket` = their start, UTC). */
export type StoredGrain = RollupGrain | "5min" | "6h";

/** A span of stored rows of one grain: buckets from `start` (ms since the epoch, UTC) to before `end`. */
export interface GrainSpan {
  grain: StoredGrain;
  start: number;
  end: number;
}

/** Which finer grains a table's rows keep besides hours, days and weeks (lib/reports/rollups.ts Rollup). */
export interface FinerGrains {
  /** 5-minute rows, for the partial hours at a range's edges. */
  fiveMinutes?: boolean;
  /** 6-hour rows (from 00:00, 06:00, 12:00 and 18:00 UTC), for the whole hours outside a range's whole days. */
  sixHours?: boolean;
}

/**
 * How a range `[from, to)` splits into stored rows, coarsest allowed by `grain`: the spans of week rows
 * (whole UTC weeks from Monday) when `grain` is "week", day rows for the other whole UTC days unless `grain` is
 * "hour", then, where the rows keep them (`finer`), 6-hour rows for the other whole quarters of a day unless
 * `grain` is "hour", hour rows for the other whole hours, and 5-minute rows for the whole 5 minutes of the partial
 * hours at the edges (empty spans left out). Each grain's buckets nest in the next one's, so the spans tile the
 * range from the finest at its edges to the coarsest in its middle. What is left at the edges, `[from, firstStored)`
 * and `[endStored, to)` (ms since the epoch), is for raw rows. Null when the range holds no whole hour (raw rows are
 * then as cheap, and exact).
 */
export function rollupSpans(
  from: Date,
  to: Date,
  grain: RollupGrain,
  finer: FinerGrains = {},
): { stored: GrainSpan[]; firstStored: number; endStored: number } | null {
  const coarse = grain !== "hour";
  const ladder = LADDER.filter(
    (g) => (g !== "5min" || finer.fiveMinutes) && (g !== "6h" || (coarse && finer.sixHours)) && (g !== "day" || coarse) && (g !== "week" || grain === "week"),
  );
  // Each grain's whole buckets within the previous grain's: [first, end) shrinks from the edges inwards.
  const bounds: { grain: StoredGrain; first: number; end: number }[] = [];
  let [first, end] = [from.getTime(), to.getTime()];
  for (const g of ladder) {
    const [f, e] = [bucketStartOf(g, first + GRAIN_MS[g] - 1), bucketStartOf(g, end)];
    if (e <= f) break;
    bounds.push({ grain: g, first: (first = f), end: (end = e) });
  }
  if (!bounds.some((b) => b.grain === "hour")) return null;
  const left = bounds.map((b, i) => ({ grain: b.grain, start: b.first, end: bounds[i + 1]?.first ?? b.end }));
  const right = bounds.slice(0, -1).map((b, i) => ({ grain: b.grain, start: bounds[i + 1]!.end, end: b.end })).reverse();
  return { stored: [...left, ...right].filter((s) => s.end > s.start), firstStored: bounds[0]!.first, endStored: bounds[0]!.end };
}

/** Every stored grain, finest first; each one's buckets nest in the next one's (UTC weeks start on a day). */
const LADDER: readonly StoredGrain[] = ["5min", "hour", "6h", "day", "week"];

const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;
const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;

/** The start (ms since the epoch) of the UTC week holding `ms`: Monday 00:00, as Postgres's `date_trunc('week')`. */
function weekStart(ms: number): number {
  return Math.floor((ms - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS;
}

/** The start (ms since the epoch, UTC) of the bucket of `grain` holding `ms`. */
function bucketStartOf(grain: StoredGrain, ms: number): number {
  return grain === "week" ? weekStart(ms) : floorTo(ms, GRAIN_MS[grain]);
}

const GRAIN_MS: Record<StoredGrain, number> = { "5min": FIVE_MINUTES_MS, hour: HOUR_MS, "6h": 6 * HOUR_MS, day: DAY_MS, week: WEEK_MS };

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

/**
 * The raw rows of `table` in `[from, to)` outside its stored rows ({@link rawEdges}), as a relation: one time range
 * per edge, joined by UNION ALL, so that each is its own index range scan (one condition OR-ing both could only be
 * a bitmap scan, which reads the table: CloudTrail's rows hold the whole record). An empty relation when nothing is left.
 */
export function rawEdgeRowsSql(table: string, time: string, from: Date, to: Date, spans: { firstStored: number; endStored: number }, params: SqlParams): string {
  const edges = rawEdges(from, to, spans).map(
    ([start, end]) => `SELECT * FROM ${table} WHERE ${time} >= ${params.add(new Date(start))}::timestamptz AND ${time} < ${params.add(new Date(end))}::timestamptz`,
  );
  return `(${edges.length > 0 ? edges.join("\n UNION ALL\n ") : `SELECT * FROM ${table} WHERE false`})`;
}
