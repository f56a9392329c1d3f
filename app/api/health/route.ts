import type { Actor } from "../../../lib/auth/actor";
import { config } from "../../../lib/config";
import { getPool } from "../../../lib/db/pool";
import { retentionPolicy } from "../../../lib/ops/enforce-retention";
import { databaseHealth } from "../../../lib/reports/database-health";
import { healthReport } from "../../../lib/reports/health";
import { json } from "../../../lib/http/json-response";
import { guardRoute } from "../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/health → 200 `{ ok: true, database: "up", latencyMs, status: "ok" | "attention", problems: string[],
 * workers, queue, perHour, last, freshness, at }` (lib/reports/health.ts; times ISO 8601 UTC), or
 * 503 `{ ok: false, database: "down", reason }`. `ok` says the app and its database answer; whether
 * ingest is healthy is `status`, with `problems` saying why not (a probe can check either).
 * Public; without a session or token only `{ ok, database, status }` (no internals).
 */
export const GET = guardRoute("GET /api/health", async function GET(_request: Request, _context: unknown, caller: Actor | null): Promise<Response> {
  const health = await databaseHealth(getPool);
  if (!health.up) return json({ ok: false, database: "down", reason: health.reason }, 503);
  // The app answers even when the report cannot be built (e.g. a database not migrated yet):
  // liveness stays `ok`, and `problems` says what is wrong.
  const report = await healthReport(getPool(), { quietAfterMs: config().TRAILWATCH_FRESHNESS_QUIET_MINUTES * 60_000, retention: retentionPolicy(config()) }).catch(
    (error: unknown) => ({ status: "attention" as const, problems: [`the health report failed: ${error instanceof Error ? error.message : String(error)}`] }),
  );
  // Anonymous callers (load balancers, uptime probes) learn whether ingest needs attention, not why.
  if (!caller) return json({ ok: true, database: "up", status: report.status });
  return json({ ok: true, database: "up", latencyMs: health.latencyMs, ...report });
});
