import { randomBytes, hkdfSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "./config";

/** What a derived key is for; each purpose gets its own key, so one leaking says nothing of the others. */
export type SecretPurpose = "auth-session" | "channel-secrets" | "api-tokens" | "csrf";

/**
 * The installation's secret: `TRAILWATCH_SECRET`, else the one generated on first use into
 * `<TRAILWATCH_DATA_DIR>/secret` (mode 0600, 64 hex characters) and read back on every later start.
 * Throws when the data dir cannot be written (the message names the file).
 */
export function appSecret(cfg: Pick<Config, "TRAILWATCH_SECRET" | "TRAILWATCH_DATA_DIR">): string {
  if (cfg.TRAILWATCH_SECRET) return cfg.TRAILWATCH_SECRET;
  const file = path.resolve(cfg.TRAILWATCH_DATA_DIR, "secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  try {
    // `wx`: two processes starting at once must not overwrite each other's secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw new Error(`cannot create the installation secret ${file}: ${(error as Error).message}; set TRAILWATCH_SECRET instead`);
  }
}

/** A 32-byte key for one purpose, derived from the installation secret with HKDF-SHA256 (RFC 5869). */
export function deriveKey(secret: string, purpose: SecretPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "trailwatch", purpose, 32));
}
