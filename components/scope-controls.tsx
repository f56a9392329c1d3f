"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { reportHref, type ReportFilters } from "../lib/reports/report-filters";
import type { RangePreset } from "../lib/reports/time-range";

export interface ScopeControlsProps {
  basePath: string;
  /** The current filters, serialised: the preset ("custom" for an absolute range) and ISO instants. */
  preset: RangePreset | "custom";
  from: string;
  to: string;
  account?: string;
  region?: string;
  /** Accounts and regions seen in the range. */
  accounts: readonly string[];
  regions: readonly string[];
}

/** "2026-11-20T10:05:00.000Z" → "2026-11-20T10:05" for a datetime-local input that we label as UTC. */
const toInput = (iso: string) => iso.slice(0, 16);

/**
 * The account and region filters and an absolute from–to range (entered and shown in UTC). Every change
 * navigates to a new URL (router.push), so the filters are shareable and the back button undoes them.
 */
export function ScopeControls(props: ScopeControlsProps) {
  const router = useRouter();
  const filters: ReportFilters = {
    range: { from: new Date(props.from), to: new Date(props.to), preset: props.preset, bucket: "hour" },
    ...(props.account ? { account: props.account } : {}),
    ...(props.region ? { region: props.region } : {}),
  };
  const [from, setFrom] = useState(toInput(props.from));
  const [to, setTo] = useState(toInput(props.to));
  const [problem, setProblem] = useState<string | null>(null);
  const accounts = props.account && !props.accounts.includes(props.account) ? [props.account, ...props.accounts] : props.accounts;
  const regions = props.region && !props.regions.includes(props.region) ? [props.region, ...props.regions] : props.regions;

  function applyRange(event: FormEvent) {
    event.preventDefault();
    const start = new Date(`${from}:00Z`);
    const end = new Date(`${to}:00Z`);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return setProblem("Enter both times.");
    if (end <= start) return setProblem("“To” must be after “From”.");
    setProblem(null);
    router.push(reportHref(props.basePath, filters, { from: start, to: end }));
  }

  const select = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-800 shadow-sm";
  return (
    <div className="flex flex-wrap items-end gap-x-4 gap-y-2 text-sm">
      <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-500">
        Account
        <select
          className={select}
          value={props.account ?? ""}
          data-testid="filter-account"
          onChange={(e) => router.push(reportHref(props.basePath, filters, { account: e.target.value || null }))}
        >
          <option value="">All accounts</option>
          {accounts.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-500">
        Region
        <select
          className={select}
          value={props.region ?? ""}
          data-testid="filter-region"
          onChange={(e) => router.push(reportHref(props.basePath, filters, { region: e.target.value || null }))}
        >
          <option value="">All regions</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <form onSubmit={applyRange} className="flex flex-wrap items-end gap-2" aria-label="Absolute time range (UTC)">
        <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-500">
          From (UTC)
          <input type="datetime-local" step={60} value={from} onChange={(e) => setFrom(e.target.value)} className={select} data-testid="filter-from" required />
        </label>
        <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-500">
          To (UTC)
          <input type="datetime-local" step={60} value={to} onChange={(e) => setTo(e.target.value)} className={select} data-testid="filter-to" required />
        </label>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50" data-testid="filter-apply">
          Apply
        </button>
        {problem ? (
          <span role="alert" className="pb-1 text-xs text-red-700">
            {problem}
          </span>
        ) : null}
      </form>
    </div>
  );
}
