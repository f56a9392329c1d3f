import { config } from "../../../lib/config";
import { getPool } from "../../../lib/db/pool";
import { retentionPolicy } from "../../../lib/ops/enforce-retention";
import { databaseHealth } from "../../../lib/reports/database-health";
import { healthReport } from "../../../lib/reports/health";
import { json } from "../responses";

export const dynamic = "force-dynamic";

/**
 * GET /api/health → 200 `{ ok: true, database: "up", latencyMs, status: "ok" | "attention", problems: string[],
 * workers, queue, perHour, last, freshness, at }` (lib/reports/health.ts; times ISO 8601 UTC), or
 * 503 `{ ok: false, database: "down", reason }`. `ok` says the app and its database answer; whether
 * ingest is healthy is `status`, with `problems` saying why not (a probe can check either).
 */
export async function GET(): Promise<Response> {
  const health = await databaseHealth(getPool);
  if (!health.up) return json({ ok: false, database: "down", reason: health.reason }, 503);
  // The app answers even when the report cannot be built (e.g. a database not migrated yet):
  // liveness stays `ok`, and `problems` says what is wrong.
  const report = await healthReport(getPool(), { quietAfterMs: config().TRAILWATCH_FRESHNESS_QUIET_MINUTES * 60_000, retention: retentionPolicy(config()) }).catch(
    (error: unknown) => ({ status: "attention" as const, problems: [`the health report failed: ${error instanceof Error ? error.message : String(error)}`] }),
  );
  return json({ ok: true, database: "up", latencyMs: health.latencyMs, ...report });
}
