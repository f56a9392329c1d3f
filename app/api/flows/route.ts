import type { NextRequest } from "next/server";
import { createLogger } from "../../../lib/log";
import { SearchQueryError } from "../../../lib/search/parse-search";
import { searchApi } from "../../../lib/search/search-api";
import { json, jsonError } from "../../../lib/http/json-response";
import { guardRoute } from "../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/flows?range=24h|from=…&to=…&account=…&region=…&f.<field>=…&x.<field>=…&limit=1..1000&cursor=…
 * → `{ range, filters, account, region, limit, records: [{ id, href: null, fields }], nextCursor }`:
 * VPC flow records matching the search (the URL contract of lib/search/search-url.ts), newest first,
 * keyset-paged. 400 `{ error }` for an unknown field, a value that does not suit its field, a bad
 * range, limit or cursor; 500 (details in the server log only) when the database fails.
 */
export const GET = guardRoute("GET /api/flows", async function GET(request: NextRequest): Promise<Response> {
  try {
    return json(await searchApi("vpcflow", request.nextUrl.searchParams));
  } catch (error) {
    if (error instanceof SearchQueryError) return jsonError(400, error.message);
    createLogger("web").error({ err: error, route: "/api/flows" }, "flow search failed");
    return jsonError(500, "the search could not be run");
  }
});
