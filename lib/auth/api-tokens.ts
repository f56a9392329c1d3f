import { createHmac, randomBytes } from "node:crypto";
import { appSecret, deriveKey } from "../app-secret";
import { config } from "../config";
import type { Queryable } from "../db/queryable";
import { roleSchema, type Role } from "./roles";

/** An API token as lists show it: never the token, only its first characters. */
export interface ApiTokenRow {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const TOKEN_PREFIX = "tw_";

/** HMAC-SHA256 (hex) of a token under the installation's "api-tokens" key: what `api_tokens.token_hash` holds. */
export function hashApiToken(token: string): string {
  return createHmac("sha256", deriveKey(appSecret(config()), "api-tokens")).update(token).digest("hex");
}

/**
 * Creates an API token scoped to `role`: `tw_` + 43 base64url characters (256 random bits). The token is
 * returned once and stored only as its HMAC. Throws `RangeError` for an empty name or an unknown role.
 */
export async function createApiToken(db: Queryable, input: { name: string; role: Role; createdBy: string }): Promise<{ id: number; token: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new RangeError("a token needs a name of at most 100 characters");
  if (!roleSchema.safeParse(input.role).success) throw new RangeError(`unknown role ${input.role}`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO api_tokens (name, role, token_hash, prefix, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [name, input.role, hashApiToken(token), token.slice(0, 10), input.createdBy],
  );
  return { id: rows[0]!.id, token };
}

/** Revokes a token (idempotent). Returns its name, or null when no such token exists. */
export async function revokeApiToken(db: Queryable, id: number, revokedBy: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, $2) WHERE id = $1 RETURNING name`,
    [id, revokedBy],
  );
  return rows[0]?.name ?? null;
}

/** The live (not revoked) token with this value, or null; records its use. */
export async function findApiToken(db: Queryable, token: string): Promise<{ id: number; name: string; role: Role } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const { rows } = await db.query<{ id: number; name: string; role: Role }>(
    `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, name, role`,
    [hashApiToken(token)],
  );
  return rows[0] ?? null;
}

/** Every token, newest first. */
export async function listApiTokens(db: Queryable): Promise<ApiTokenRow[]> {
  const { rows } = await db.query<ApiTokenRow>(
    `SELECT id, name, role, prefix, created_at AS "createdAt", created_by AS "createdBy", last_used_at AS "lastUsedAt",
            revoked_at AS "revokedAt", revoked_by AS "revokedBy"
       FROM api_tokens ORDER BY id DESC`,
  );
  return rows;
}
