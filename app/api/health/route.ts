import { getPool } from "../../../lib/db/pool";
import { databaseHealth } from "../../../lib/reports/database-health";
import { json } from "../responses";

export const dynamic = "force-dynamic";

/** GET /api/health → 200 `{ ok: true, database: "up" }`, or 503 `{ ok: false, database: "down", reason }`. */
export async function GET(): Promise<Response> {
  const health = await databaseHealth(getPool);
  return health.up
    ? json({ ok: true, database: "up", latencyMs: health.latencyMs })
    : json({ ok: false, database: "down", reason: health.reason }, 503);
}
