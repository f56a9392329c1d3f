import { formatExact } from "./format";

/** "≥" before a value that is a lower bound (a leader board's row, lib/reports/leaders.ts), with the most it may lack in its title; nothing for an exact value. */
export function LowerBound({ margin, unit }: { margin: number | null | undefined; unit: "count" | "bytes" }) {
  if (margin === undefined || margin === 0) return null;
  const title = margin === null ? "at least this many: counted in the hours and days that listed this key" : `at least this; at most ${formatExact(margin, unit)} more`;
  return (
    <span className="mr-1 text-slate-400" title={title} data-margin={margin ?? ""}>
      ≥
    </span>
  );
}

/** What a table with lower bounds says under it (once per table). */
export const LOWER_BOUNDS_NOTE =
  "Ranked from the busiest keys of each hour, day or other time bucket: a value marked ≥ may lack the buckets that did not list its key (hover the mark for how much at most). Its link lists every record.";

/** Whether any of `margins` makes its value a lower bound. */
export function hasLowerBounds(margins: readonly (number | null | undefined)[]): boolean {
  return margins.some((m) => m !== undefined && m !== 0);
}
