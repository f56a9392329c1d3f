import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { appSecret, deriveKey } from "../app-secret";
import type { Config } from "../config";
import type { Queryable } from "../db/queryable";

/**
 * Channel secrets at rest: each secret value is sealed on its own with
 * AES-256-GCM (NIST SP 800-38D) under the installation's "channel-secrets" key,
 * as `enc:v1:<iv>:<tag>:<ciphertext>` (base64url; 12-byte random IV, 16-byte
 * tag). The secret's name is the additional authenticated data, so a sealed
 * value copied under another name does not open. The names stay readable: the
 * UI shows which secrets are set.
 */

const PREFIX = "enc:v1:";

/** The 32-byte key channel secrets are sealed with (HKDF of the installation secret, lib/app-secret.ts). */
export function channelSecretsKey(cfg: Pick<Config, "TRAILWATCH_SECRET" | "TRAILWATCH_DATA_DIR">): Buffer {
  return deriveKey(appSecret(cfg), "channel-secrets");
}

/** Whether a stored value is sealed (anything else is a plaintext value from before encryption). */
export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

/** Seals one secret value (a string; other JSON values are sealed as their JSON text). */
export function sealSecret(key: Buffer, name: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(name, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return `${PREFIX}${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${ciphertext.toString("base64url")}`;
}

/** Opens one stored value; a plaintext (legacy) value is returned as is. Throws when a sealed value was altered or sealed under another key. */
export function openSecret(key: Buffer, name: string, stored: unknown): unknown {
  if (!isSealed(stored)) return stored;
  const [iv, tag, data] = stored.slice(PREFIX.length).split(":");
  if (!iv || !tag || data === undefined) throw new Error(`channel secret "${name}" is malformed`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(name, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8"));
  } catch {
    throw new Error(`channel secret "${name}" cannot be opened: it was sealed with another installation secret, or altered`);
  }
}

/** Seals every value of a secrets object (already-sealed values are kept; undefined and null ones, secrets not set, are left out). */
export function sealSecrets(key: Buffer, secrets: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined && v !== null).map(([name, v]) => [name, isSealed(v) ? v : sealSecret(key, name, v)]));
}

/** Opens every value of a stored secrets object. */
export function openSecrets(key: Buffer, stored: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stored).map(([name, v]) => [name, openSecret(key, name, v)]));
}

/**
 * Seals every plaintext secret still stored (channels saved before encryption
 * at rest), each channel in one statement. Run by the notifier when it starts;
 * safe to run concurrently and again. Returns how many channels were rewritten.
 */
export async function sealLegacySecrets(db: Queryable, key: Buffer): Promise<number> {
  const { rows } = await db.query<{ id: string; secrets: Record<string, unknown> }>(
    `SELECT id, secrets FROM notification_channels WHERE EXISTS (SELECT 1 FROM jsonb_each(secrets) e WHERE jsonb_typeof(e.value) <> 'string' OR e.value #>> '{}' NOT LIKE 'enc:v1:%')`,
  );
  for (const row of rows) {
    await db.query(`UPDATE notification_channels SET secrets = $2 WHERE id = $1 AND secrets = $3`, [row.id, sealSecrets(key, row.secrets), row.secrets]);
  }
  return rows.length;
}
