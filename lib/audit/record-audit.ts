import type { Queryable } from "../db/queryable";

/** One entry of the audit log (`audit_log`). */
export interface AuditEntry {
  /** The user's email, `token:<name>`, `cli`, or for a failed sign-in the email that was tried. */
  actor: string;
  /** Dotted verb, e.g. `sign-in.success`, `sign-in.failure`, `user.create`, `token.revoke`, `rule.save`, `alert.acknowledge`. */
  action: string;
  /** What was changed: a user's email, a rule id, an alert id… */
  target?: string | null;
  /** Any further facts (JSON); never secrets. */
  details?: Record<string, unknown> | null;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Appends one entry to the audit log: the one function every change made in Trailwatch, and every
 * sign-in attempt, is recorded through. Pass the transaction's client to record the change atomically.
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, action, target, details, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.actor, entry.action, entry.target ?? null, entry.details ? JSON.stringify(entry.details) : null, entry.ip ?? null, entry.userAgent ?? null],
  );
}
