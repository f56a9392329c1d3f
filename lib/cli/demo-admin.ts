import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import { createUser, findUser } from "../auth/users";
import type { Config } from "../config";

/** The demo's admin account. */
export const DEMO_ADMIN_EMAIL = "admin@demo.trailwatch.local";

/**
 * Makes sure the demo admin exists and returns its credentials: a random password (24 base64url
 * characters) made for each fresh data dir and kept in `<TRAILWATCH_DATA_DIR>/demo-admin-password`
 * (mode 0600), so later runs print the same one. When the user exists but the file is gone, the
 * password is replaced by a new one.
 */
export async function ensureDemoAdmin(pool: pg.Pool, cfg: Pick<Config, "TRAILWATCH_DATA_DIR">): Promise<{ email: string; password: string }> {
  const file = path.resolve(cfg.TRAILWATCH_DATA_DIR, "demo-admin-password");
  let stored: string | undefined;
  try {
    stored = readFileSync(file, "utf8").trim();
  } catch {
    stored = undefined;
  }
  const existing = await findUser(pool, DEMO_ADMIN_EMAIL);
  if (existing && stored) return { email: DEMO_ADMIN_EMAIL, password: stored };
  const password = randomBytes(18).toString("base64url");
  if (existing) {
    await pool.query(`UPDATE accounts SET password = $2, updated_at = now() WHERE user_id = $1 AND provider_id = 'credential'`, [existing.id, await hashPassword(password)]);
    await recordAudit(pool, { actor: "cli", action: "user.reset-password", target: DEMO_ADMIN_EMAIL, details: { via: "demo" } });
  } else {
    await createUser(pool, { email: DEMO_ADMIN_EMAIL, name: "Demo admin", role: "admin", password });
    await recordAudit(pool, { actor: "cli", action: "user.create", target: DEMO_ADMIN_EMAIL, details: { role: "admin", via: "demo" } });
  }
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { email: DEMO_ADMIN_EMAIL, password };
}
