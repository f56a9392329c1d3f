import type { ReactNode } from "react";
import type { ReportFilters } from "../lib/reports/report-filters";
import type { ScopeOptions } from "../lib/reports/scope-options";
import { presetLabel } from "../lib/reports/time-range";
import { ScopeControls } from "./scope-controls";
import { TimeRangePicker } from "./time-range-picker";

export interface ReportHeaderProps {
  title: string;
  /** One line under the title: what the report is about. */
  description: ReactNode;
  /** The report's path, e.g. "/logins": the filters link back to it. */
  basePath: string;
  filters: ReportFilters;
  options: ScopeOptions;
  /** URL parameters that were ignored, and why. */
  problems?: readonly string[];
}

/** The top of every report: title, the global filters (time range, account, region — all in the URL) and any ignored parameter. */
export function ReportHeader({ title, description, basePath, filters, options, problems = [] }: ReportHeaderProps) {
  const { range } = filters;
  const scope = [presetLabel(range.preset), filters.account ? `account ${filters.account}` : "all accounts", filters.region ?? "all regions"].join(" · ");
  return (
    <header className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
          <p className="mt-0.5 text-sm text-slate-500">{description}</p>
          <p className="mt-0.5 text-xs text-slate-400" data-testid="report-scope">
            {scope}
          </p>
        </div>
        <TimeRangePicker basePath={basePath} filters={filters} />
      </div>
      <ScopeControls
        basePath={basePath}
        preset={range.preset}
        from={range.from.toISOString()}
        to={range.to.toISOString()}
        account={filters.account}
        region={filters.region}
        accounts={options.accounts}
        regions={options.regions}
      />
      {problems.length > 0 ? (
        <ul role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </header>
  );
}
