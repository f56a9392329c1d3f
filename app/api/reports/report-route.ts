import type { NextRequest } from "next/server";
import { createLogger } from "../../../lib/log";
import { parseReportFilters, ReportFilterError, scopeOf, type ReportScope } from "../../../lib/reports/report-filters";
import { json, jsonError } from "../../../lib/http/json-response";

/**
 * The one handler shape of every report API: GET /api/reports/<report>?range=<preset> or
 * ?from=<ISO 8601>&to=<ISO 8601> (UTC instants, `to` exclusive, at most 400 days), optionally
 * &account=<12 digits>&region=<AWS region>. Answers
 * `{ range: { from, to, preset, bucket }, account, region, ...report }` — the data the report page renders,
 * times as ISO 8601 UTC strings, byte counts in bytes, and every number's search link (`href`, `hrefs`).
 * 400 names a malformed parameter; 500 (details in the server log only) when the database fails.
 */
export function reportRoute<T extends object>(report: string, build: (scope: ReportScope) => Promise<T>): (request: NextRequest) => Promise<Response> {
  return async function GET(request: NextRequest): Promise<Response> {
    let filters;
    try {
      filters = parseReportFilters(request.nextUrl.searchParams);
    } catch (error) {
      if (error instanceof ReportFilterError) return jsonError(400, error.message);
      throw error;
    }
    try {
      const data = await build(scopeOf(filters));
      return json({ range: filters.range, account: filters.account ?? null, region: filters.region ?? null, ...data });
    } catch (error) {
      createLogger("web").error({ err: error, route: `/api/reports/${report}` }, `${report} report failed`);
      return jsonError(500, "the report could not be computed");
    }
  };
}
