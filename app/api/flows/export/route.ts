import type { NextRequest } from "next/server";
import { createLogger } from "../../../../lib/log";
import { SearchQueryError } from "../../../../lib/search/parse-search";
import { exportApi, exportResponse } from "../../../../lib/search/search-api";
import { jsonError } from "../../../../lib/http/json-response";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/flows/export?format=csv|json&cols=…&<search parameters>: every VPC flow record of the
 * search (all pages), newest first, streamed as a download and capped; lib/search/export-search.ts
 * describes both formats and how a capped file says so. 400 `{ error }` for a bad parameter.
 * A database failure mid-stream cuts the download short (logged).
 */
export const GET = guardRoute("GET /api/flows/export", async function GET(request: NextRequest): Promise<Response> {
  try {
    const exp = exportApi("vpcflow", request.nextUrl.searchParams);
    return exportResponse(exp, (err) => createLogger("web").error({ err, route: "/api/flows/export" }, "export failed mid-stream"));
  } catch (error) {
    if (error instanceof SearchQueryError) return jsonError(400, error.message);
    throw error;
  }
});
