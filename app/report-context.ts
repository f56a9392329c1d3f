import { readReportFilters, scopeOf, type ReportFilters, type ReportScope } from "../lib/reports/report-filters";
import { scopeOptions, type ScopeOptions } from "../lib/reports/scope-options";

/** What every report page starts from: its filters (from the URL), the scope its panels query, and the filter choices. */
export interface ReportContext {
  filters: ReportFilters;
  scope: ReportScope;
  options: ScopeOptions;
  /** URL parameters ignored, and why (shown by the header). */
  problems: string[];
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Reads a report page's URL (lenient: a bad parameter is ignored and reported) and the accounts and regions to offer. */
export async function reportContext(searchParams: SearchParams): Promise<ReportContext> {
  const { filters, problems } = readReportFilters(await searchParams);
  const options = await scopeOptions(filters.range);
  return { filters, scope: scopeOf(filters), options, problems };
}
