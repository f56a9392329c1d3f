import { forbidden, redirect } from "next/navigation";
import type { Actor } from "./actor";
import { PAGE_POLICY, type PagePath } from "./access-policy";
import { currentCaller } from "./authenticate";
import { hasRole } from "./roles";

/**
 * The check at the top of every page (and of the layout of a segment with `loading.tsx`, so refusals
 * get their HTTP status before streaming starts): anonymous → redirect to /login, a role below the
 * page's minimum (lib/auth/access-policy.ts) → 403 (app/forbidden.tsx). Returns the caller.
 */
export async function requirePage(path: Exclude<PagePath, "/login" | "/setup">): Promise<Actor> {
  const caller = await currentCaller();
  if (!caller) redirect("/login");
  if (!hasRole(caller.role, PAGE_POLICY[path])) forbidden();
  return caller;
}
