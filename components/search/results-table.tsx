"use client";

import { columnVisibilityFeature, createColumnHelper, tableFeatures, useTable, type ColumnVisibilityState } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { exactValue } from "../../lib/search/search-url";
import { editedHref } from "./search-href";
import { safeHref } from "../../lib/http/safe-href";

export type ResultValue = string | number | boolean | null;

export interface ResultRow {
  id: string;
  href: string | null;
  fields: Record<string, ResultValue>;
}

export interface ResultColumn {
  /** AWS field name. */
  name: string;
  label: string;
  kind: "text" | "ip" | "number" | "boolean" | "time";
  /** Shown as text next to a number (e.g. protocol 6 → "tcp"). */
  names?: Record<string, string>;
}

export interface ResultsTableProps {
  basePath: string;
  query: string;
  columns: readonly ResultColumn[];
  /** Shown columns, in order. */
  visible: readonly string[];
  rows: readonly ResultRow[];
  /** Accessible name of the table. */
  label: string;
}

const features = tableFeatures({ columnVisibilityFeature });
const helper = createColumnHelper<typeof features, ResultRow>();

/**
 * The result rows (TanStack Table; visibility from the URL's `cols`). Every value is attacker-controlled
 * and rendered as React text only; long values wrap inside their cell. Hovering a value offers
 * "only this" and "not this" filters; a row's time links to the record's own page when it has one.
 */
export function ResultsTable({ basePath, query, columns, visible, rows, label }: ResultsTableProps) {
  const ordered = useMemo(
    () => [...visible.map((n) => columns.find((c) => c.name === n)).filter((c): c is ResultColumn => c !== undefined), ...columns.filter((c) => !visible.includes(c.name))],
    [columns, visible],
  );
  const defs = useMemo(
    () =>
      helper.columns(
        ordered.map((c) =>
          helper.accessor((row) => row.fields[c.name] ?? null, {
            id: c.name,
            header: c.label,
            cell: (info) => <Cell column={c} value={info.getValue()} row={info.row.original} basePath={basePath} query={query} />,
          }),
        ),
      ),
    [ordered, basePath, query],
  );
  const columnVisibility = useMemo<ColumnVisibilityState>(() => Object.fromEntries(columns.map((c) => [c.name, visible.includes(c.name)])), [columns, visible]);
  const data = useMemo(() => [...rows], [rows]);
  const table = useTable({ features, columns: defs, data, getRowId: (row) => row.id, state: { columnVisibility } });

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-sm" aria-label={label} data-testid="results">
        <thead className="bg-slate-50">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="text-left text-xs uppercase tracking-wide text-slate-500">
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-t border-slate-100 align-top hover:bg-slate-50" data-testid="result-row">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="max-w-md px-3 py-1.5">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ column, value, row, basePath, query }: { column: ResultColumn; value: ResultValue; row: ResultRow; basePath: string; query: string }) {
  if (value === null) return <span className="text-slate-300">—</span>;
  if (column.kind === "time") {
    const text = String(value).replace("T", " ").replace(/\.000Z$|Z$/, "");
    return row.href ? (
      <Link href={safeHref(row.href)} className="whitespace-nowrap font-mono text-xs text-sky-700 hover:underline" title={`${String(value)} — open this event`}>
        {text}
      </Link>
    ) : (
      <span className="whitespace-nowrap font-mono text-xs text-slate-700" title={String(value)}>
        {text}
      </span>
    );
  }
  const text = String(value);
  const shown = column.names?.[text] ? `${column.names[text]} (${text})` : text;
  const literal = exactValue(text);
  return (
    <span className="group inline-flex max-w-full items-start gap-1">
      {/* Short values stay on one line; long ones (ARNs, user agents) wrap anywhere so the table keeps its width. */}
      <span className={`min-w-0 ${shown.length > 24 ? "break-all" : "whitespace-nowrap"} font-mono text-xs text-slate-800`}>{shown}</span>
      <span className="invisible flex shrink-0 gap-0.5 group-hover:visible group-focus-within:visible">
        <Link
          href={safeHref(editedHref(basePath, query, (p) => p.append(`f.${column.name}`, literal)))}
          aria-label={`Only ${column.label} ${text}`}
          title="Only this value"
          className="rounded px-1 text-xs text-slate-500 hover:bg-sky-100 hover:text-sky-900"
        >
          +
        </Link>
        <Link
          href={safeHref(editedHref(basePath, query, (p) => p.append(`x.${column.name}`, literal)))}
          aria-label={`Exclude ${column.label} ${text}`}
          title="Exclude this value"
          className="rounded px-1 text-xs text-slate-500 hover:bg-rose-100 hover:text-rose-900"
        >
          −
        </Link>
      </span>
    </span>
  );
}
