import { hasRole, type Role } from "./roles";

/**
 * Who may reach what: the one access policy of Trailwatch. Every page (its app-router path), every
 * route handler ("METHOD path") and every server action (its export name) has its minimum role here,
 * or `public`. The wrappers (lib/auth/require-page.ts, guard-route.ts, guard-action.ts) read it; the
 * route-enumeration test (e2e/access-policy.spec.ts) lists every page, route and action from the code,
 * fails for one missing here, and calls each as anonymous, viewer, analyst and admin.
 * Public: the sign-in page, the one-time setup page and the health endpoint (redacted when anonymous).
 */
export type Access = "public" | Role;

export const PAGE_POLICY = {
  "/login": "public",
  "/setup": "public",
  "/": "viewer",
  "/overview": "viewer",
  "/logins": "viewer",
  "/iam": "viewer",
  "/network": "viewer",
  "/s3": "viewer",
  "/alerts": "viewer",
  "/alerts/[id]": "viewer",
  "/events": "viewer",
  "/events/[account]/[eventId]": "viewer",
  "/flows": "viewer",
  "/health": "viewer",
  "/ingest": "viewer",
  "/ledger": "viewer",
  "/rules": "viewer",
  "/rules/[id]": "viewer",
  "/rules/new": "analyst",
  "/rules/[id]/edit": "analyst",
  "/channels": "admin",
  "/channels/[id]": "admin",
  "/admin/users": "admin",
  "/admin/tokens": "admin",
  "/admin/audit": "admin",
} as const satisfies Record<string, Access>;

export const ROUTE_POLICY = {
  "GET /api/health": "public",
  "GET /api/alerts": "viewer",
  "GET /api/events": "viewer",
  "GET /api/events/export": "viewer",
  "GET /api/events/[account]/[eventId]": "viewer",
  "GET /api/flows": "viewer",
  "GET /api/flows/export": "viewer",
  "GET /api/ingest": "viewer",
  "GET /api/reports/overview": "viewer",
  "GET /api/reports/logins": "viewer",
  "GET /api/reports/iam": "viewer",
  "GET /api/reports/network": "viewer",
  "GET /api/reports/s3": "viewer",
  "GET /api/rules": "viewer",
  "GET /api/rules/field-values": "analyst",
  "POST /api/rules/preview": "analyst",
  "GET /api/channels": "admin",
} as const satisfies Record<string, Access>;

export const ACTION_POLICY = {
  signInAction: "public",
  setupAction: "public",
  signOutAction: "viewer",
  changeAlertStateAction: "analyst",
  saveRuleAction: "analyst",
  setRuleEnabledAction: "analyst",
  muteAction: "analyst",
  unmuteAction: "analyst",
  deleteRuleAction: "admin",
  resetRuleAction: "admin",
  saveChannelAction: "admin",
  setChannelEnabledAction: "admin",
  deleteChannelAction: "admin",
  testChannelAction: "admin",
  reprocessObjectAction: "admin",
  replayDlqAction: "admin",
  createUserAction: "admin",
  setUserRoleAction: "admin",
  setUserDisabledAction: "admin",
  signOutEverywhereAction: "admin",
  unlockUserAction: "admin",
  createTokenAction: "admin",
  revokeTokenAction: "admin",
} as const satisfies Record<string, Access>;

export type PagePath = keyof typeof PAGE_POLICY;
export type RouteKey = keyof typeof ROUTE_POLICY;
export type ActionKey = keyof typeof ACTION_POLICY;
/** Keys whose access is a role (the wrappers for `public` ones are separate, so no caller forgets to check). */
export type GuardedAction = { [K in ActionKey]: (typeof ACTION_POLICY)[K] extends "public" ? never : K }[ActionKey];
export type PublicAction = Exclude<ActionKey, GuardedAction>;

/** Whether a role may use a server action: what the UI asks before showing its button (the action checks again). */
export function canAct(role: Role, action: ActionKey): boolean {
  const access: Access = ACTION_POLICY[action];
  return access === "public" || hasRole(role, access);
}

/** Whether a role may open a page: what the UI asks before showing a link to it. */
export function canOpen(role: Role, page: PagePath): boolean {
  const access: Access = PAGE_POLICY[page];
  return access === "public" || hasRole(role, access);
}
