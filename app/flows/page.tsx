import type { Metadata } from "next";
import { SearchView } from "../../components/search/search-view";
import { parseTimeRange } from "../../lib/reports/time-range";
import { EXPORT_MAX_ROWS } from "../../lib/search/export-search";
import { PAGE_SIZES, parseSearch, readFilters, SearchQueryError, toSearchParams } from "../../lib/search/parse-search";
import { FLOW_FILTER_FIELDS, resultColumnSpecs } from "../../lib/search/search-fields";
import { searchHistogram, searchPage } from "../../lib/search/search-records";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Flows" };

export default async function FlowsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = toSearchParams(await searchParams);
  const query = params.toString();
  const common = {
    source: "vpcflow",
    basePath: "/flows",
    title: "Flows",
    subtitle: "VPC flow-log records, newest first: filter by address (CIDR), port, protocol, action, interface, VPC…",
    query,
    fields: FLOW_FILTER_FIELDS,
    columns: resultColumnSpecs("vpcflow"),
    pageSizes: PAGE_SIZES,
    exportCap: EXPORT_MAX_ROWS,
    noun: "flow records",
  } as const;
  try {
    const search = parseSearch("vpcflow", params, { maxLimit: Math.max(...PAGE_SIZES) });
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
