import { z } from "zod";

/**
 * The three roles, least to most: a viewer reads everything; an analyst also edits rules and moves
 * alerts through their lifecycle; an admin also manages users, API tokens, channels, built-in rule
 * resets, deletions and the ledger's admin actions.
 */
export const ROLES = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** True when `role` includes everything `minimum` may do. */
export function hasRole(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
