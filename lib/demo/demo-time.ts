export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * The demo week: [start, end) in epoch milliseconds (UTC), cut into hour slots that each become
 * at most one CloudTrail file and one flow-log file per account and region.
 */
export interface DemoWeek {
  /** First instant of the week: `end - 7 days`, rounded up to a whole second (events carry whole seconds). */
  start: number;
  /** The caller's `end`, exclusive. */
  end: number;
  /** Start of the UTC hour containing `start`: slot 0. */
  firstHour: number;
  /** Number of hour slots (168, or 169 when `end` is not on the hour). */
  hours: number;
  /** Midnight UTC of the day containing `start`; scenario day `d` (1–6) begins at `day0 + d days`, always inside the week. */
  day0: number;
}

/** Throws a RangeError when `end` is not a valid date. */
export function demoWeek(end: Date): DemoWeek {
  const endMs = end.getTime();
  if (!Number.isFinite(endMs)) throw new RangeError("generateDemoWeek: options.end is not a valid date");
  const start = Math.ceil((endMs - 7 * DAY_MS) / SECOND_MS) * SECOND_MS;
  const firstHour = Math.floor(start / HOUR_MS) * HOUR_MS;
  return {
    start,
    end: endMs,
    firstHour,
    hours: Math.ceil((endMs - firstHour) / HOUR_MS),
    day0: Math.floor(start / DAY_MS) * DAY_MS,
  };
}

/** The part of hour slot `index` that lies inside the week, in ms: [from, to). Empty when to <= from. */
export function slotRange(week: DemoWeek, index: number): { from: number; to: number } {
  const hourStart = week.firstHour + index * HOUR_MS;
  return { from: Math.max(hourStart, week.start), to: Math.min(hourStart + HOUR_MS, week.end) };
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form of CloudTrail's eventTime. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Jun 2, 2024, 10:37:12 PM`: how IAM, STS and KMS write dates inside responseElements. */
export function awsResponseDate(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const ss = String(d.getUTCSeconds()).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${hours < 12 ? "AM" : "PM"}`;
}

/**
 * How busy people are at `ms`, 0–1: a UTC working day (the team is mostly in Europe, two people
 * in the Americas stretch it into the evening), quiet nights, near-silent weekends.
 */
export function businessFactor(ms: number): number {
  const d = new Date(ms);
  const day = d.getUTCDay();
  if (day === 0 || day === 6) return 0.06;
  return WEEKDAY_CURVE[d.getUTCHours()] ?? 0.06;
}

const WEEKDAY_CURVE = [
  0.05, 0.05, 0.05, 0.05, 0.05, 0.12, 0.4, 0.75, 1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.8, 0.55, 0.4, 0.3, 0.18, 0.1, 0.07,
];

/** True on Saturday and Sunday (UTC). */
export function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}
