import type { Role } from "./roles";

/** Who is calling: a signed-in user (session cookie) or an API token (`Authorization: Bearer`). */
export type Actor =
  | { kind: "user"; id: string; email: string; role: Role; sessionId: string }
  | { kind: "token"; id: string; name: string; role: Role };

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** The name histories and the audit log record: the user's email, or `token:<name>`. */
export function actorName(actor: Actor): string {
  return actor.kind === "user" ? actor.email : `token:${actor.name}`;
}

/**
 * The caller's address: the last entry of `X-Forwarded-For` — the one the nearest proxy added, or the
 * socket address `next start` fills in when the request has none. A client talking to Next directly can
 * set the header itself, so the address serves the audit log and the per-address rate limit, never
 * the account lockout (which counts per email).
 */
export function requestOrigin(headers: Headers): RequestOrigin {
  const forwarded = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
  return { ip: forwarded?.at(-1)?.replace(/^::ffff:/, "") ?? null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
