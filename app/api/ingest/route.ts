import type { NextRequest } from "next/server";
import { createLogger } from "../../../lib/log";
import { ingestStatusReport, isMessageOutcome, MAX_LIMIT, MESSAGE_OUTCOMES, type IngestStatusOptions } from "../../../lib/reports/ingest-status";
import { json, jsonError } from "../../../lib/http/json-response";
import { guardRoute } from "../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/ingest?limit=1..500&outcome=rejected|test|ignored
 * → `{ summary, needsAttention, refusedRecords, messageLog, recentObjects }`, the same data the Ingest page
 * renders (lib/reports/ingest-status.ts). `limit` (default 50) caps each list; `outcome` filters the message log.
 * Times are ISO 8601 UTC strings, ids decimal strings, sizes bytes. Every text field (keys, reasons, excerpts,
 * message bodies) is attacker-controlled. 400 for a malformed parameter; 500 (details in the server log only)
 * when the database fails.
 */
export const GET = guardRoute("GET /api/ingest", async function GET(request: NextRequest): Promise<Response> {
  const params = request.nextUrl.searchParams;
  const options: IngestStatusOptions = {};

  const limit = params.get("limit");
  if (limit !== null) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) {
      return jsonError(400, `\`limit\` must be an integer from 1 to ${MAX_LIMIT}`);
    }
    options.limit = Number(limit);
  }

  const outcome = params.get("outcome");
  if (outcome !== null) {
    if (!isMessageOutcome(outcome)) return jsonError(400, `\`outcome\` must be one of ${MESSAGE_OUTCOMES.join(", ")}`);
    options.outcome = outcome;
  }

  try {
    return json(await ingestStatusReport(options));
  } catch (error) {
    createLogger("web").error({ err: error, route: "/api/ingest" }, "ingest status report failed");
    return jsonError(500, "the report could not be computed");
  }
});
