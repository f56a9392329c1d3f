import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { appSecret, deriveKey } from "./app-secret";
import { loadConfig } from "./config";

test("a configured TRAILWATCH_SECRET is used as it is; a short one is refused", () => {
  const secret = "x".repeat(40);
  assert.equal(appSecret(loadConfig({ TRAILWATCH_SECRET: secret })), secret);
  assert.throws(() => loadConfig({ TRAILWATCH_SECRET: "short" }), /TRAILWATCH_SECRET="short": expected at least 32 characters/);
});

test("without one, a secret is generated once into the data dir (0600) and read back", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tw-secret-"));
  const cfg = loadConfig({ TRAILWATCH_DATA_DIR: dir });
  const first = appSecret(cfg);
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(appSecret(cfg), first);
  assert.equal(readFileSync(path.join(dir, "secret"), "utf8").trim(), first);
  assert.equal(statSync(path.join(dir, "secret")).mode & 0o777, 0o600);
});

test("each purpose gets its own 32-byte key, stable for one secret", () => {
  const secret = "s".repeat(64);
  const a = deriveKey(secret, "auth-session");
  assert.equal(a.length, 32);
  assert.deepEqual(deriveKey(secret, "auth-session"), a);
  assert.notDeepEqual(deriveKey(secret, "channel-secrets"), a);
  assert.notDeepEqual(deriveKey("t".repeat(64), "auth-session"), a);
});
