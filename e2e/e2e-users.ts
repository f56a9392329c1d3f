import path from "node:path";
import type { Role } from "../lib/auth/roles";

/** The users e2e/stack.ts creates, one per role. */
export const E2E_USERS: Record<Role, { email: string; password: string; role: Role }> = {
  admin: { email: "admin@e2e.test", password: "Trail-Watch-A1-2026", role: "admin" },
  analyst: { email: "analyst@e2e.test", password: "Trail-Watch-B2-2026", role: "analyst" },
  viewer: { email: "viewer@e2e.test", password: "Trail-Watch-C3-2026", role: "viewer" },
};

/** Playwright storage state (the session cookie) of each role's user, written by global-setup.ts. The admin's is every spec's default. */
export function storageStateFor(role: Role): string {
  return path.join(import.meta.dirname, ".auth", `${role}.json`);
}
