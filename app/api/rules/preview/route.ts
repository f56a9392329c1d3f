import { ZodError } from "zod";
import { getPool } from "../../../../lib/db/pool";
import { PREVIEW_RANGES, previewRule, PreviewCancelledError, type PreviewRange } from "../../../../lib/detect/preview-rule";
import { createLogger } from "../../../../lib/log";
import { json, jsonError } from "../../../../lib/http/json-response";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/**
 * POST /api/rules/preview `{ rule, range: "24h" | "7d" | "30d" }` → what the rule would have raised over
 * stored history: `{ from, to, alerts, matches, overTime: [{ start, alerts, matches }], topGroups, topPrincipals, durationMs }`
 * (times ISO 8601 UTC). 400 `{ error, issues: [{ path, message }] }` for an invalid rule; 499 when the caller
 * went away (the query is cancelled); 504 when it ran past the preview's statement timeout.
 */
export const POST = guardRoute("POST /api/rules/preview", async function POST(request: Request): Promise<Response> {
  let body: { rule?: unknown; range?: string };
  try {
    body = (await request.json()) as typeof body;
  } catch {
    return jsonError(400, "the body is not JSON");
  }
  const range = (body.range ?? "7d") as PreviewRange;
  if (!(range in PREVIEW_RANGES)) return jsonError(400, "range must be 24h, 7d or 30d");
  try {
    return json(await previewRule(getPool(), body.rule, range, { signal: request.signal }));
  } catch (error) {
    if (error instanceof ZodError) return json({ error: "the rule is not valid", issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, 400);
    if (error instanceof PreviewCancelledError) return jsonError(499, "preview cancelled");
    if ((error as { code?: string }).code === "57014") return jsonError(504, "the preview took too long: narrow the rule or the range");
    createLogger("web").error({ err: error, route: "/api/rules/preview" }, "rule preview failed");
    return jsonError(500, "the preview failed");
  }
});
