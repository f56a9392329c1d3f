import { cache } from "react";
import { headers } from "next/headers";
import { getPool } from "../db/pool";
import type { Actor } from "./actor";
import { findApiToken } from "./api-tokens";
import { auth } from "./auth";
import type { Role } from "./roles";

/**
 * Who sends a request: `Authorization: Bearer tw_…` (a live API token), else the session cookie (a
 * session in Postgres, not expired, of a user who is not disabled), else null (anonymous).
 */
export async function authenticate(requestHeaders: Headers): Promise<Actor | null> {
  const authorization = requestHeaders.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const token = await findApiToken(getPool(), authorization.slice(7).trim());
    return token ? { kind: "token", id: String(token.id), name: token.name, role: token.role } : null;
  }
  const found = await auth().api.getSession({ headers: requestHeaders });
  if (!found) return null;
  const user = found.user as typeof found.user & { role: Role; disabled: boolean };
  if (user.disabled) return null;
  return { kind: "user", id: user.id, email: user.email, role: user.role, sessionId: found.session.id };
}

/** The caller of the current page render or server action, looked up once per request. */
export const currentCaller = cache(async (): Promise<Actor | null> => authenticate(await headers()));
