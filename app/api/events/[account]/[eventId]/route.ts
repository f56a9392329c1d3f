import type { NextRequest } from "next/server";
import { createLogger } from "../../../../../lib/log";
import { eventDetail } from "../../../../../lib/search/event-detail";
import { json, jsonError } from "../../../../../lib/http/json-response";
import { guardRoute } from "../../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/events/<recipientAccountId>/<eventID> (`-` for an event stored without an account)
 * → `{ event: { recipientAccountId, eventId, eventTime, fields, raw, ingestedAt, source }, summary, actor,
 * sessionStart, change, related }` (lib/search/event-detail.ts); times ISO 8601 UTC, sizes bytes.
 * With `?download=1`: the raw record alone, pretty-printed, as a `.json` attachment.
 * 404 when no such event is stored; 500 (details in the server log only) when the database fails.
 */
export const GET = guardRoute("GET /api/events/[account]/[eventId]", async function GET(request: NextRequest, { params }: { params: Promise<{ account: string; eventId: string }> }): Promise<Response> {
  const { account, eventId } = await params;
  try {
    const detail = await eventDetail(account, eventId);
    if (!detail) return jsonError(404, "no such event is stored");
    if (request.nextUrl.searchParams.get("download") === "1") {
      const name = `cloudtrail-${detail.event.recipientAccountId || "no-account"}-${detail.event.eventId}`.replace(/[^A-Za-z0-9._-]/g, "_");
      return new Response(`${JSON.stringify(detail.event.raw, null, 2)}\n`, {
        headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.json"`, "Cache-Control": "no-store" },
      });
    }
    return json(detail);
  } catch (error) {
    createLogger("web").error({ err: error, route: "/api/events/[account]/[eventId]" }, "event detail failed");
    return jsonError(500, "the event could not be read");
  }
});
