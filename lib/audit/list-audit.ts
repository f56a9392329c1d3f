import type { Queryable } from "../db/queryable";

/** One audit log entry as the admin page and API show it. */
export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditFilter {
  /** Exact actor (an email, `token:<name>`, `cli`). */
  actor?: string;
  /** An action or its prefix before a dot: `sign-in` matches `sign-in.success` and `sign-in.failure`. */
  action?: string;
  /** UTC instants; `to` exclusive. */
  from?: Date;
  to?: Date;
  /** Keyset paging: entries with a smaller id than this (the previous page's `nextBefore`). */
  before?: number;
  /** Page size, 1–200 (default 50). */
  limit?: number;
}

/** A page of the audit log, newest first, and the `before` of the next page (null on the last). */
export async function listAudit(db: Queryable, filter: AuditFilter): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replaceAll("$?", `$${values.length}`));
  };
  if (filter.actor) add("actor = $?", filter.actor.trim().toLowerCase().startsWith("token:") ? filter.actor.trim() : filter.actor.trim().toLowerCase());
  if (filter.action) add("(action = $? OR action LIKE $? || '.%')", filter.action.trim());
  if (filter.from) add("at >= $?", filter.from);
  if (filter.to) add("at < $?", filter.to);
  if (filter.before) add("id < $?", filter.before);
  values.push(limit + 1);
  const { rows } = await db.query<AuditRow>(
    `SELECT id, at, actor, action, target, details, ip, user_agent AS "userAgent" FROM audit_log
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT $${values.length}`,
    values,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  return { rows: page, nextBefore: more ? page.at(-1)!.id : null };
}
