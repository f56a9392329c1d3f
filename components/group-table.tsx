import Link from "next/link";
import type { ReactNode } from "react";
import { CountLink } from "./count-link";
import { formatInteger } from "./format";
import { hasLowerBounds, LOWER_BOUNDS_NOTE, LowerBound } from "./lower-bound";
import { Td, Th, UtcTime } from "./panel";
import { safeHref } from "../lib/http/safe-href";

/** A grouped row as lib/reports returns it (GroupRow, Burst, FirstSighting): key values, numbers and their links. */
export interface GroupTableRow {
  key: Readonly<Record<string, string | null>>;
  values?: Readonly<Record<string, number>>;
  hrefs?: Readonly<Record<string, string | null>>;
  href?: string | null;
  first?: Date;
  last?: Date;
  /** Per measure, how much the value may lack when it is a lower bound (a leader board's row); null: unknown. */
  margin?: Readonly<Record<string, number | null>>;
}

export type GroupColumn<R extends GroupTableRow = GroupTableRow> =
  /** A key value (attacker-controlled text; `(none)` when absent). `link`: the value opens the row's records. */
  | { kind: "key"; key: string; header: string; mono?: boolean; link?: boolean; wide?: boolean }
  /** A number with the link to its records. */
  | { kind: "measure"; measure: string; header: string; unit?: "count" | "bytes"; what?: string }
  /** A number no link can list (a distinct count: its records are those having the field). */
  | { kind: "number"; measure: string; header: string }
  /** The row's first or last record (UTC). */
  | { kind: "time"; which: "first" | "last"; header: string }
  /** Anything else, from the row. */
  | { kind: "custom"; header: string; render: (row: R) => ReactNode; align?: "right" };

export interface GroupTableProps<R extends GroupTableRow> {
  rows: readonly R[];
  columns: readonly GroupColumn<R>[];
  testId?: string;
}

function KeyValue({ value, mono }: { value: string | null; mono: boolean }) {
  if (value === null) return <span className="text-slate-400">(none)</span>;
  if (value === "") return <em className="text-slate-400">(empty)</em>;
  return <span className={mono ? "font-mono text-xs" : ""}>{value}</span>;
}

/** A table of grouped rows: key columns, linked numbers, times. The first measure is the ranking one. */
export function GroupTable<R extends GroupTableRow>({ rows, columns, testId }: GroupTableProps<R>) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      {hasLowerBounds(rows.flatMap((row) => Object.values(row.margin ?? {}))) ? (
        <caption className="caption-bottom px-3 py-2 text-left text-xs text-slate-500" data-testid={testId ? `${testId}-bounds` : undefined}>
          {LOWER_BOUNDS_NOTE}
        </caption>
      ) : null}
      <thead className="bg-slate-50">
        <tr>
          {columns.map((c, i) => (
            <Th key={i} className={c.kind === "measure" || c.kind === "number" || (c.kind === "custom" && c.align === "right") ? "text-right" : ""}>
              {c.header}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r} className="border-t border-slate-100 hover:bg-slate-50" data-testid={testId ? `${testId}-row` : undefined}>
            {columns.map((c, i) => {
              switch (c.kind) {
                case "key": {
                  const value = row.key[c.key] ?? null;
                  const content = <KeyValue value={value} mono={c.mono ?? true} />;
                  return (
                    <Td key={i}>
                      <div className={`text-slate-800 ${c.wide ? "min-w-[14rem] max-w-[32rem] break-all" : "whitespace-nowrap"}`}>
                        {c.link && row.href ? (
                          <Link href={safeHref(row.href)} prefetch={false} className="hover:text-sky-800 hover:underline">
                            {content}
                          </Link>
                        ) : (
                          content
                        )}
                      </div>
                    </Td>
                  );
                }
                case "measure":
                  return (
                    <Td key={i} className="text-right">
                      <LowerBound margin={row.margin?.[c.measure]} unit={c.unit ?? "count"} />
                      <CountLink
                        value={row.values?.[c.measure] ?? 0}
                        href={row.hrefs?.[c.measure] ?? null}
                        unit={c.unit}
                        what={c.what ?? c.header.toLowerCase()}
                        testId={testId ? `${testId}-${c.measure}` : undefined}
                      />
                    </Td>
                  );
                case "number":
                  return (
                    <Td key={i} className="text-right tabular-nums">
                      <LowerBound margin={row.margin?.[c.measure]} unit="count" />
                      {formatInteger(row.values?.[c.measure] ?? 0)}
                    </Td>
                  );
                case "time":
                  return (
                    <Td key={i}>
                      <UtcTime value={(c.which === "first" ? row.first : row.last) ?? null} />
                    </Td>
                  );
                case "custom":
                  return (
                    <Td key={i} className={c.align === "right" ? "text-right" : ""}>
                      {c.render(row)}
                    </Td>
                  );
              }
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
