"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { editedHref } from "./search-href";
import { safeHref } from "../../lib/http/safe-href";

export interface ColumnChooserProps {
  basePath: string;
  query: string;
  /** Every column that can be shown: AWS field name and label. */
  columns: readonly { name: string; label: string }[];
  /** Shown columns, in order. */
  visible: readonly string[];
}

/** Checkboxes choosing the result columns; the choice lives in the URL (`cols=`), so it is shared with the link. */
export function ColumnChooser({ basePath, query, columns, visible }: ColumnChooserProps) {
  const router = useRouter();
  // Ticked at once; the URL (and so the table) follows when the navigation lands.
  const [shown, setShown] = useState(visible);
  useEffect(() => setShown(visible), [visible]);
  function toggle(name: string, on: boolean) {
    const next = on ? [...shown, name] : shown.filter((c) => c !== name);
    if (next.length === 0) return;
    setShown(next);
    // Not a new search: keep the cursor, so the reader stays on this page.
    const params = new URLSearchParams(query);
    params.set("cols", next.join(","));
    router.replace(`${basePath}?${params.toString()}`, { scroll: false });
  }
  return (
    <details className="relative" data-testid="column-chooser">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
        Columns ({shown.length})
      </summary>
      <fieldset className="absolute right-0 z-20 mt-1 max-h-96 w-72 overflow-y-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg">
        <legend className="sr-only">Columns shown</legend>
        {columns.map((c) => (
          <label key={c.name} className="flex items-center gap-2 rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-50">
            <input type="checkbox" checked={shown.includes(c.name)} onChange={(e) => toggle(c.name, e.target.checked)} />
            <span>{c.label}</span>
            {c.label !== c.name ? <span className="ml-auto truncate font-mono text-[10px] text-slate-400">{c.name}</span> : null}
          </label>
        ))}
        <a href={safeHref(editedHref(basePath, query, (p) => p.delete("cols")))} className="mt-1 block px-2 text-xs text-sky-700 hover:underline">
          Default columns
        </a>
      </fieldset>
    </details>
  );
}
