import { headers } from "next/headers";
import { forbidden, unauthorized } from "next/navigation";
import { recordAudit, type AuditEntry } from "../audit/record-audit";
import { getPool } from "../db/pool";
import { actorName, requestOrigin, type Actor, type RequestOrigin } from "./actor";
import { ACTION_POLICY, type GuardedAction, type PublicAction } from "./access-policy";
import { currentCaller } from "./authenticate";
import { hasRole } from "./roles";

/** What a guarded server action gets besides its own arguments. */
export interface ActionContext {
  caller: Actor;
  /** The caller's name for histories (`actorName`). */
  actor: string;
  origin: RequestOrigin;
  /** Records a change in the audit log as made by the caller, from the caller's address. */
  audit(action: string, target?: string | null, details?: Record<string, unknown> | null): Promise<void>;
}

/**
 * The one wrapper of every server action: authenticates the caller, checks the action's minimum role
 * from lib/auth/access-policy.ts (anonymous → 401 via `unauthorized()`, a role too low → 403 via
 * `forbidden()`), and hands the action its context.
 */
export function guardAction<Args extends unknown[], Result>(
  key: GuardedAction,
  action: (context: ActionContext, ...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  const minimum = ACTION_POLICY[key];
  return async (...args) => {
    const caller = await currentCaller();
    if (!caller) unauthorized();
    if (!hasRole(caller.role, minimum)) forbidden();
    const origin = requestOrigin(await headers());
    const actor = actorName(caller);
    return action({ caller, actor, origin, audit: (what, target, details) => recordAudit(getPool(), { actor, action: what, target, details, ...origin }) }, ...args);
  };
}

/** The wrapper of the few public actions (sign-in, first-run setup): no caller, but the request's origin. */
export function publicAction<Args extends unknown[], Result>(
  key: PublicAction,
  action: (context: { origin: RequestOrigin; audit: (entry: Omit<AuditEntry, "ip" | "userAgent">) => Promise<void> }, ...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  void ACTION_POLICY[key];
  return async (...args) => {
    const origin = requestOrigin(await headers());
    return action({ origin, audit: (entry) => recordAudit(getPool(), { ...entry, ...origin }) }, ...args);
  };
}
