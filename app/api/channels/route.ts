import { getPool } from "../../../lib/db/pool";
import { listChannels } from "../../../lib/notify/channels";
import { createLogger } from "../../../lib/log";
import { json, jsonError } from "../../../lib/http/json-response";
import { guardRoute } from "../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/channels → `{ channels: [{ id, name, kind, config, secretsSet, routing, updatedAt, updatedBy }] }`; secrets never appear, only the names of those set. */
export const GET = guardRoute("GET /api/channels", async function GET(): Promise<Response> {
  try {
    return json({ channels: await listChannels(getPool()) });
  } catch (error) {
    createLogger("web").error({ err: error, route: "/api/channels" }, "channels query failed");
    return jsonError(500, "the channels could not be listed");
  }
});
