import Link from "next/link";
import type { TimeRange } from "../../lib/reports/time-range";
import type { ResultColumnSpec, SearchField, SearchSource } from "../../lib/search/search-fields";
import type { SearchHistogram, SearchRow } from "../../lib/search/search-records";
import { formatInteger } from "../format";
import { TimeRangePicker } from "../time-range-picker";
import { ColumnChooser } from "./column-chooser";
import { FilterBar } from "./filter-bar";
import { HistogramChart, type HistogramPoint } from "./histogram-chart";
import { ResultsTable } from "./results-table";
import { editedHref, setRange } from "./search-href";
import { safeHref } from "../../lib/http/safe-href";

export interface SearchViewProps {
  source: SearchSource;
  basePath: "/events" | "/flows";
  title: string;
  subtitle: string;
  /** The page's query string as requested (without `?`). */
  query: string;
  range: TimeRange;
  fields: readonly SearchField[];
  columns: readonly ResultColumnSpec[];
  filters: readonly { field: string; exclude: boolean; values: string[] }[];
  account: string | null;
  region: string | null;
  /** Why the URL cannot be searched (then `result` is null). */
  problems: readonly string[] | null;
  result: {
    rows: SearchRow[];
    nextCursor: string | null;
    histogram: SearchHistogram;
    limit: number;
    visible: string[];
    /** The URL had a cursor: this is not the first page. */
    paged: boolean;
  } | null;
  pageSizes: readonly number[];
  exportCap: number;
  /** Word for the records, plural ("events", "flow records"). */
  noun: string;
}

const SERIES_COLORS: Record<string, string> = {
  succeeded: "oklch(0.62 0.13 240)",
  failed: "oklch(0.63 0.2 25)",
  accept: "oklch(0.65 0.13 160)",
  reject: "oklch(0.63 0.2 25)",
  other: "oklch(0.75 0.02 250)",
};

/** The search page layout shared by /events and /flows: filters, histogram, toolbar, results, pager. Data comes in as props. */
export function SearchView(props: SearchViewProps) {
  const { basePath, query, range, result, noun } = props;
  const href = (edit: (p: URLSearchParams) => void) => editedHref(basePath, query, edit);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{props.title}</h1>
          <p className="mt-0.5 text-sm text-slate-500">{props.subtitle}</p>
        </div>
        <TimeRangePicker basePath={basePath} filters={{ range, account: props.account ?? undefined, region: props.region ?? undefined }} keep={query} />
      </div>

      <FilterBar
        basePath={basePath}
        query={query}
        fields={props.fields}
        filters={props.filters}
        account={props.account}
        region={props.region}
        jsonPaths={props.source === "cloudtrail"}
      />

      {props.problems ? (
        <section role="alert" data-testid="search-problems" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <h2 className="font-semibold">This search cannot run</h2>
          <ul className="mt-1 list-disc pl-5">
            {props.problems.map((p) => (
              <li key={p} className="break-words">
                {p}
              </li>
            ))}
          </ul>
          <p className="mt-2">Remove or fix the filter above.</p>
        </section>
      ) : null}

      {result ? (
        <>
          <section className="rounded-lg border border-slate-200 bg-white px-4 pt-3 pb-2 shadow-sm">
            <h2 className="mb-1 text-sm font-semibold text-slate-900">
              <span data-testid="match-count" data-value={result.histogram.total}>
                {formatInteger(result.histogram.total)}
              </span>{" "}
              matching {noun}{" "}
              <span className="font-normal text-slate-500">· per {widthWords(result.histogram.bucketSeconds)}, UTC</span>
            </h2>
            <HistogramChart
              data={histogramPoints(result.histogram, range, href)}
              series={result.histogram.series.map((s) => ({ ...s, color: SERIES_COLORS[s.key] ?? "#94a3b8" }))}
              bucketSeconds={result.histogram.bucketSeconds}
              label={`Matching ${noun} per ${widthWords(result.histogram.bucketSeconds)}`}
            />
          </section>

          <div className="flex flex-wrap items-center justify-between gap-3">
            <nav aria-label="Rows per page" className="flex items-center gap-1 text-sm text-slate-600">
              Rows per page
              {props.pageSizes.map((n) => (
                <Link
                  key={n}
                  href={safeHref(href((p) => p.set("limit", String(n))))}
                  aria-current={n === result.limit ? "true" : undefined}
                  className={n === result.limit ? "rounded bg-slate-900 px-2 py-0.5 font-medium text-white" : "rounded px-2 py-0.5 hover:bg-slate-200"}
                >
                  {n}
                </Link>
              ))}
            </nav>
            <div className="flex flex-wrap items-center gap-2">
              <ColumnChooser basePath={basePath} query={query} columns={props.columns} visible={result.visible} />
              <a
                href={safeHref(exportHref(basePath, query, range, "csv"))}
                download
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
                data-testid="export-csv"
              >
                Export CSV
              </a>
              <a
                href={safeHref(exportHref(basePath, query, range, "json"))}
                download
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
                data-testid="export-json"
              >
                Export JSON
              </a>
            </div>
          </div>
          {result.histogram.total > props.exportCap ? (
            <p className="text-xs text-amber-800" data-testid="export-cap">
              An export holds the newest {formatInteger(props.exportCap)} of these {formatInteger(result.histogram.total)} {noun}; narrow the
              filters or the time range to export the rest.
            </p>
          ) : null}

          {result.rows.length === 0 ? (
            <section data-testid="search-empty" className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-600">
              <strong className="font-semibold text-slate-900">No {noun} match</strong> in this range. Widen the time range or remove a filter.
            </section>
          ) : (
            <ResultsTable basePath={basePath} query={query} columns={props.columns} visible={result.visible} rows={result.rows} label={`Matching ${noun}`} />
          )}

          <nav aria-label="Pages" className="flex items-center justify-between text-sm">
            {result.paged ? (
              <Link href={safeHref(href(() => undefined))} className="font-medium text-sky-700 hover:underline">
                ← Newest
              </Link>
            ) : (
              <span />
            )}
            {result.nextCursor ? (
              <Link href={safeHref(href((p) => p.set("cursor", result.nextCursor!)))} className="font-medium text-sky-700 hover:underline" data-testid="next-page">
                Older →
              </Link>
            ) : (
              <span className="text-slate-400">End of results</span>
            )}
          </nav>
        </>
      ) : null}
    </div>
  );
}

function widthWords(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? "day" : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : `${seconds / 3600} hours`;
  return seconds === 60 ? "minute" : `${seconds / 60} minutes`;
}

function histogramPoints(h: SearchHistogram, range: TimeRange, href: (edit: (p: URLSearchParams) => void) => string): HistogramPoint[] {
  return h.buckets.map((b) => {
    const from = new Date(Math.max(b.start.getTime(), range.from.getTime()));
    const to = new Date(Math.min(b.start.getTime() + h.bucketSeconds * 1000, range.to.getTime()));
    return { t: b.start.getTime(), href: href((p) => setRange(p, from, to)), ...b.counts };
  });
}

/** The export of the whole search shown (its filters, columns and exact time window), without page state. */
function exportHref(basePath: string, query: string, range: TimeRange, format: "csv" | "json"): string {
  const params = new URLSearchParams(query);
  params.delete("cursor");
  params.delete("limit");
  setRange(params, range.from, range.to);
  params.set("format", format);
  return `/api${basePath}/export?${params.toString()}`;
}
