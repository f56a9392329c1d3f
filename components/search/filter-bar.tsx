"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { editedHref, removeParam } from "./search-href";
import { safeHref } from "../../lib/http/safe-href";

export interface FilterBarField {
  name: string;
  label: string;
  hint?: string;
}

export interface FilterBarProps {
  basePath: string;
  /** The current query string (without `?`). */
  query: string;
  fields: readonly FilterBarField[];
  /** The filters of the URL, as parsed: field, include/exclude, values as written. */
  filters: readonly { field: string; exclude: boolean; values: string[] }[];
  account: string | null;
  region: string | null;
  /** Whether any field name may be a JSON path into the raw record (CloudTrail). */
  jsonPaths: boolean;
}

const JSON_PATH = "__json_path__";

/**
 * The filters in the URL as removable chips, and a form adding one: a field of the picker (or,
 * for CloudTrail, any JSON path of the raw record), is / is not, and a value (`Foo*` prefix, `*`
 * present, a CIDR on IP fields, `=` for the literal text). Everything stays in the URL.
 */
export function FilterBar({ basePath, query, fields, filters, account, region, jsonPaths }: FilterBarProps) {
  const router = useRouter();
  const [field, setField] = useState(fields[0]?.name ?? "");
  const [path, setPath] = useState("");
  const [mode, setMode] = useState<"f" | "x">("f");
  const [value, setValue] = useState("");
  const label = (name: string) => fields.find((f) => f.name === name)?.label ?? name;
  const hint = field === JSON_PATH ? "value (e.g. my-bucket)" : (fields.find((f) => f.name === field)?.hint ?? "value");

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = field === JSON_PATH ? path.trim() : field;
    if (!name || value === "") return;
    router.push(editedHref(basePath, query, (p) => p.append(`${mode}.${name}`, value)));
    setValue("");
  }

  const chips = [
    ...(account ? [{ key: "account", text: "Account", value: account, exclude: false, href: editedHref(basePath, query, (p) => removeParam(p, "account")) }] : []),
    ...(region ? [{ key: "region", text: "Region", value: region, exclude: false, href: editedHref(basePath, query, (p) => removeParam(p, "region")) }] : []),
    ...filters.flatMap((f) =>
      f.values.map((v) => ({
        key: `${f.exclude ? "x" : "f"}.${f.field}=${v}`,
        text: label(f.field),
        value: v,
        exclude: f.exclude,
        href: editedHref(basePath, query, (p) => removeParam(p, `${f.exclude ? "x" : "f"}.${f.field}`, v)),
      })),
    ),
  ];

  return (
    <section aria-label="Filters" className="space-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      {chips.length > 0 ? (
        <ul className="flex flex-wrap gap-2" data-testid="filter-chips">
          {chips.map((c) => (
            <li
              key={c.key}
              className={`inline-flex max-w-full items-center gap-1.5 rounded-full border px-3 py-1 text-xs ${c.exclude ? "border-rose-200 bg-rose-50 text-rose-900" : "border-sky-200 bg-sky-50 text-sky-900"}`}
            >
              <span className="font-medium">{c.text}</span>
              <span className="text-slate-500">{c.exclude ? "is not" : "is"}</span>
              <span className="min-w-0 break-all font-mono">{c.value}</span>
              <Link href={safeHref(c.href)} aria-label={`Remove filter ${c.text} ${c.exclude ? "is not" : "is"} ${c.value}`} className="ml-1 text-slate-500 hover:text-slate-900">
                ×
              </Link>
            </li>
          ))}
          <li>
            <Link href={safeHref(editedHref(basePath, query, (p) => {
              for (const key of [...p.keys()]) if (/^[fx]\./.test(key) || key === "account" || key === "region") p.delete(key);
            }))} className="text-xs font-medium text-slate-500 hover:text-slate-900 hover:underline">
              Clear all
            </Link>
          </li>
        </ul>
      ) : null}
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Add a filter">
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Field
          <select aria-label="Field" value={field} onChange={(e) => setField(e.target.value)} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900" name="field">
            {fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.label}
              </option>
            ))}
            {jsonPaths ? <option value={JSON_PATH}>Any JSON path…</option> : null}
          </select>
        </label>
        {field === JSON_PATH ? (
          <label className="flex flex-col text-xs font-medium text-slate-600">
            JSON path
            <input
              aria-label="JSON path"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="requestParameters.bucketName"
              className="mt-1 w-64 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm text-slate-900"
              name="path"
            />
          </label>
        ) : null}
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Match
          <select aria-label="Match" value={mode} onChange={(e) => setMode(e.target.value as "f" | "x")} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900" name="mode">
            <option value="f">is</option>
            <option value="x">is not</option>
          </select>
        </label>
        <label className="flex min-w-64 flex-1 flex-col text-xs font-medium text-slate-600">
          Value
          <input
            aria-label="Value"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={hint}
            className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm text-slate-900"
            name="value"
          />
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Add filter
        </button>
      </form>
      <p className="text-xs text-slate-500">
        <code className="font-mono">Create*</code> matches by prefix, <code className="font-mono">*</code> means present, an address with{" "}
        <code className="font-mono">/</code> is a CIDR, <code className="font-mono">=text</code> is the exact text. Several values of one field match any of them.
      </p>
    </section>
  );
}
