import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { hashPassword, passwordWeakness } from "./password";
import { roleSchema, type Role } from "./roles";

/** A user as lists show it (never the password hash). */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  /** Sessions not yet expired. */
  activeSessions: number;
  lastSignInAt: Date | null;
}

/** Refused input: a bad email or role, a weak password, an email already taken. The message is safe to show. */
export class UserInputError extends Error {
  override name = "UserInputError";
}

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "expected an email address" })),
  name: z.string().trim().max(200).optional(),
  role: roleSchema,
  password: z.string(),
});
export type NewUser = z.input<typeof newUserSchema>;

/**
 * Creates a user who signs in with email + password (Better Auth's `users` row and its `credential`
 * account holding the argon2id hash), in one transaction. Throws `UserInputError` for a bad email or
 * role, a weak password (lib/auth/password.ts) or an email already taken.
 */
export async function createUser(pool: pg.Pool, input: NewUser): Promise<{ id: string; email: string; role: Role }> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new UserInputError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
  const { email, role, password } = parsed.data;
  const weakness = passwordWeakness(password, email);
  if (weakness) throw new UserInputError(`password too weak: ${weakness}`);
  const passwordHash = await hashPassword(password);
  const id = randomUUID();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO users (id, name, email, role) VALUES ($1, $2, $3, $4)`, [id, parsed.data.name || email, email, role]);
    await client.query(`INSERT INTO accounts (id, account_id, provider_id, user_id, password) VALUES ($1, $2, 'credential', $2, $3)`, [randomUUID(), id, passwordHash]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    if ((error as { code?: string }).code === "23505") throw new UserInputError(`a user with email ${email} exists`);
    throw error;
  } finally {
    client.release();
  }
  return { id, email, role };
}

/** Every user, by email, with their live session count and last sign-in. */
export async function listUsers(db: Queryable): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>(
    `SELECT u.id, u.email, u.name, u.role, u.disabled, u.created_at AS "createdAt",
            (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now())::int AS "activeSessions",
            (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS "lastSignInAt"
       FROM users u ORDER BY u.email`,
  );
  return rows;
}

/** How many users exist (the one-time setup page shows only while there are none). */
export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
  return rows[0]!.n;
}

/** The user with this id or email, or null. */
export async function findUser(db: Queryable, idOrEmail: string): Promise<{ id: string; email: string; role: Role; disabled: boolean } | null> {
  const { rows } = await db.query<{ id: string; email: string; role: Role; disabled: boolean }>(
    `SELECT id, email, role, disabled FROM users WHERE id = $1 OR email = lower($1)`, [idOrEmail],
  );
  return rows[0] ?? null;
}

/** Changes a user's role. Throws `UserInputError` for an unknown user or role. */
export async function setUserRole(db: Queryable, userId: string, role: Role): Promise<void> {
  if (!roleSchema.safeParse(role).success) throw new UserInputError(`unknown role ${role}`);
  const { rowCount } = await db.query(`UPDATE users SET role = $2, updated_at = now() WHERE id = $1`, [userId, role]);
  if (!rowCount) throw new UserInputError("unknown user");
}

/** Disables (signing out everywhere) or re-enables a user. Throws `UserInputError` for an unknown user. */
export async function setUserDisabled(db: Queryable, userId: string, disabled: boolean): Promise<void> {
  const { rowCount } = await db.query(`UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1`, [userId, disabled]);
  if (!rowCount) throw new UserInputError("unknown user");
  if (disabled) await revokeUserSessions(db, userId);
}

/** Signs a user out everywhere: deletes every session of theirs. Returns how many there were. */
export async function revokeUserSessions(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
  return rowCount ?? 0;
}
