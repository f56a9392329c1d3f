import { jsonError } from "../http/json-response";
import type { Actor } from "./actor";
import { ROUTE_POLICY, type RouteKey } from "./access-policy";
import { authenticate } from "./authenticate";
import { hasRole } from "./roles";

/**
 * The one wrapper of every route handler: authenticates the request (API token or session cookie),
 * checks the route's minimum role from lib/auth/access-policy.ts and answers 401 `{ error }` for an
 * anonymous caller, 403 for a role too low. The handler gets the caller as its third argument (null
 * only on public routes).
 */
export function guardRoute<Req extends Request, Ctx>(
  key: RouteKey,
  handler: (request: Req, context: Ctx, caller: Actor | null) => Promise<Response>,
): (request: Req, context: Ctx) => Promise<Response> {
  const minimum = ROUTE_POLICY[key];
  return async (request, context) => {
    const caller = await authenticate(request.headers);
    if (minimum !== "public") {
      if (!caller) return jsonError(401, "sign in, or send an API token as Authorization: Bearer");
      if (!hasRole(caller.role, minimum)) return jsonError(403, `this needs the ${minimum} role`);
    }
    return handler(request, context, caller);
  };
}
