import { parseTimeRange } from "../../lib/reports/time-range";
import { EXPORT_MAX_ROWS } from "../../lib/search/export-search";
import { PAGE_SIZES, parseSearch, readFilters, SearchQueryError, toSearchParams } from "../../lib/search/parse-search";
import { EVENT_FILTER_FIELDS, FLOW_FILTER_FIELDS, resultColumnSpecs } from "../../lib/search/search-fields";
import { searchHistogram, searchPage } from "../../lib/search/search-records";
import { SearchView } from "./search-view";

const PAGES = {
  cloudtrail: {
    basePath: "/events",
    title: "Events",
    subtitle: "CloudTrail events, newest first: filter on any field, zoom in on the histogram, open an event",
    fields: EVENT_FILTER_FIELDS,
    noun: "events",
  },
  vpcflow: {
    basePath: "/flows",
    title: "Flows",
    subtitle: "VPC flow-log records, newest first: filter by address (CIDR), port, protocol, action, interface, VPC…",
    fields: FLOW_FILTER_FIELDS,
    noun: "flow records",
  },
} as const;

/** The search page of one source (`/events` or `/flows`): filters from the URL, one page of results and the histogram; a malformed filter shows its problems. */
export async function SearchPage({ source, searchParams }: { source: keyof typeof PAGES; searchParams: Record<string, string | string[] | undefined> }) {
  const params = toSearchParams(searchParams);
  const common = { ...PAGES[source], source, query: params.toString(), columns: resultColumnSpecs(source), pageSizes: PAGE_SIZES, exportCap: EXPORT_MAX_ROWS };
  try {
    const search = parseSearch(source, params, { maxLimit: Math.max(...PAGE_SIZES) });
    const [page, histogram] = await Promise.all([searchPage(search), searchHistogram(search)]);
    return (
      <SearchView
        {...common}
        range={search.range}
        filters={search.filters}
        account={search.account}
        region={search.region}
        problems={null}
        result={{ ...page, histogram, limit: search.limit, visible: search.columns, paged: search.cursor !== null }}
      />
    );
  } catch (error) {
    if (!(error instanceof SearchQueryError)) throw error;
    return (
      <SearchView
        {...common}
        range={parseTimeRange(params.get("range"))}
        filters={readFilters(params)}
        account={params.get("account")}
        region={params.get("region")}
        problems={error.problems}
        result={null}
      />
    );
  }
}
