import type { Config } from "../config";
import type { Queryable } from "../db/queryable";

/** Why a sign-in attempt is refused before the password is even checked. */
export type LoginRefusal = { reason: "locked"; until: Date } | { reason: "rate-limited" };

/**
 * Decides whether a sign-in attempt may proceed, from the audit log's sign-in entries (so the record
 * of attempts and the lockout are one thing, shared by every instance of the web app):
 * - the account is **locked** after `TRAILWATCH_LOGIN_MAX_FAILURES` failures in a row (since its last
 *   success or an admin's unlock) within `TRAILWATCH_LOGIN_LOCKOUT_MINUTES`, until that long after the last failure;
 * - an **address** may try `TRAILWATCH_LOGIN_RATE_PER_MINUTE` times per minute, whatever the accounts.
 * Better Auth's own rate limiter guards only its HTTP handler, which Trailwatch does not mount (sign-in is
 * a server action calling `auth.api.signInEmail`).
 */
export async function loginRefusal(
  db: Queryable,
  attempt: { email: string; ip: string | null },
  cfg: Pick<Config, "TRAILWATCH_LOGIN_MAX_FAILURES" | "TRAILWATCH_LOGIN_LOCKOUT_MINUTES" | "TRAILWATCH_LOGIN_RATE_PER_MINUTE">,
): Promise<LoginRefusal | null> {
  const failures = await db.query<{ n: number; last: Date | null }>(
    `SELECT count(*)::int AS n, max(at) AS last FROM audit_log
      WHERE actor = $1 AND action = 'sign-in.failure' AND at > now() - make_interval(mins => $2)
        AND at > coalesce((SELECT max(at) FROM audit_log
                           WHERE (actor = $1 AND action = 'sign-in.success') OR (target = $1 AND action = 'user.unlock')), '-infinity')`,
    [attempt.email, cfg.TRAILWATCH_LOGIN_LOCKOUT_MINUTES],
  );
  const { n, last } = failures.rows[0]!;
  if (n >= cfg.TRAILWATCH_LOGIN_MAX_FAILURES && last) {
    return { reason: "locked", until: new Date(last.getTime() + cfg.TRAILWATCH_LOGIN_LOCKOUT_MINUTES * 60_000) };
  }
  if (attempt.ip) {
    const recent = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE at > now() - interval '1 minute' AND action LIKE 'sign-in.%' AND ip = $1`,
      [attempt.ip],
    );
    if (recent.rows[0]!.n >= cfg.TRAILWATCH_LOGIN_RATE_PER_MINUTE) return { reason: "rate-limited" };
  }
  return null;
}
