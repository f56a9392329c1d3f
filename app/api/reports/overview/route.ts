import type { NextRequest } from "next/server";
import { createLogger } from "../../../../lib/log";
import { overviewReport } from "../../../../lib/reports/overview";
import { customTimeRange, parseTimeRange, TimeRangeError, type TimeRange } from "../../../../lib/reports/time-range";
import { json, jsonError } from "../../responses";

export const dynamic = "force-dynamic";

/**
 * GET /api/reports/overview?range=1h|24h|7d|30d, or ?from=<ISO 8601>&to=<ISO 8601> (UTC instants, at most 400 days)
 * → `{ range: { from, to, preset, bucket }, kpis, eventsOverTime, topEventNames, topPrincipals, topSourceIps }`,
 * the same data the Overview page renders. Times are ISO 8601 UTC strings; byte counts are bytes.
 * 400 for a malformed from/to; 500 (details in the server log only) when the database fails.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const params = request.nextUrl.searchParams;
  const from = params.get("from");
  const to = params.get("to");
  let range: TimeRange;
  if (from !== null || to !== null) {
    if (from === null || to === null) return jsonError(400, "`from` and `to` must be given together");
    try {
      range = customTimeRange(from, to);
    } catch (error) {
      if (error instanceof TimeRangeError) return jsonError(400, error.message);
      throw error;
    }
  } else {
    range = parseTimeRange(params.get("range"));
  }

  try {
    return json({ range, ...(await overviewReport(range)) });
  } catch (error) {
    createLogger("web").error({ err: error, route: "/api/reports/overview" }, "overview report failed");
    return jsonError(500, "the report could not be computed");
  }
}
