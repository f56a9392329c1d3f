import type { NextRequest } from "next/server";
import { alertEventRefs, alertFilterFromParams, listAlerts } from "../../../lib/detect/alerts";
import { getPool } from "../../../lib/db/pool";
import { createLogger } from "../../../lib/log";
import { json, jsonError } from "../../../lib/http/json-response";
import { guardRoute } from "../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/alerts?severity=&state=&rule=&account=&from=&to=&limit= (severity and state repeatable;
 * state=all for every state; default open + acknowledged) → `{ alerts: [...] }`, most recently
 * active first; each alert has ruleId, severity, techniques, groupKey, state, firstSeen / lastSeen
 * (ISO 8601 UTC), matchCount and eventIds (`<account>/<eventID>`; flow records `<account>/<object id>:<line>`).
 * 500 (details in the server log only) when the database fails.
 */
export const GET = guardRoute("GET /api/alerts", async function GET(request: NextRequest): Promise<Response> {
  const params = request.nextUrl.searchParams;
  try {
    const alerts = await listAlerts(getPool(), alertFilterFromParams((name) => params.getAll(name)));
    const refs = await alertEventRefs(getPool(), alerts.map((a) => a.id));
    return json({ alerts: alerts.map((a) => ({ ...a, eventIds: refs.get(a.id) ?? [] })) });
  } catch (error) {
    createLogger("web").error({ err: error, route: "/api/alerts" }, "alerts query failed");
    return jsonError(500, "the alerts could not be listed");
  }
});
