import type { NextRequest } from "next/server";
import { getPool } from "../../../../lib/db/pool";
import { SOURCES, type RuleSource } from "../../../../lib/detect/rule-schema";
import { fieldValueSuggestions } from "../../../../lib/detect/rule-stats";
import { json, jsonError } from "../../../../lib/http/json-response";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/rules/field-values?source=cloudtrail&field=eventName&prefix=Stop → `{ values: [{ value, count }] }`: the field's most frequent stored values of the last 7 days. */
export const GET = guardRoute("GET /api/rules/field-values", async function GET(request: NextRequest): Promise<Response> {
  const p = request.nextUrl.searchParams;
  const source = p.get("source") as RuleSource;
  const field = p.get("field") ?? "";
  if (!SOURCES.includes(source) || !field) return jsonError(400, "source and field are required");
  return json({ values: await fieldValueSuggestions(getPool(), source, field, { prefix: p.get("prefix") ?? undefined }) });
});
