import { getPool } from "../../../lib/db/pool";
import { BUILT_IN_IDS, loadRules } from "../../../lib/detect/load-rules";
import { ruleAlertStats } from "../../../lib/detect/rule-stats";
import { createLogger } from "../../../lib/log";
import { json, jsonError } from "../../../lib/http/json-response";
import { guardRoute } from "../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/rules → `{ rules: [{ ...rule, origin: "built-in" | "custom", alerts7d, lastFired }] }`: every rule as
 * detection runs it (overrides applied), with alerts first seen in the last 7 days and the last match (ISO 8601 UTC, or null).
 */
export const GET = guardRoute("GET /api/rules", async function GET(): Promise<Response> {
  try {
    const db = getPool();
    const [rules, stats] = await Promise.all([loadRules(db), ruleAlertStats(db, new Date(Date.now() - 7 * 86_400_000))]);
    return json({ rules: rules.map((r) => ({ ...r, origin: BUILT_IN_IDS.has(r.id) ? "built-in" : "custom", alerts7d: stats.get(r.id)?.alertsSince ?? 0, lastFired: stats.get(r.id)?.lastFired ?? null })) });
  } catch (error) {
    createLogger("web").error({ err: error, route: "/api/rules" }, "rules query failed");
    return jsonError(500, "the rules could not be listed");
  }
});
