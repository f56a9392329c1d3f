import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { recordAudit } from "../audit/record-audit";
import { loadConfig } from "../config";
import { createApiToken, findApiToken, revokeApiToken } from "./api-tokens";
import { loginRefusal } from "./login-throttle";
import { passwordWeakness, verifyPassword } from "./password";
import { createUser, UserInputError } from "./users";

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("auth");
});
after(async () => {
  await db.drop();
});
const limits = loadConfig({});

test("a user's password is stored as argon2id and verifies; weak passwords and taken emails are refused", async () => {
  const user = await createUser(db.pool, { email: " Alice@Example.COM ", role: "analyst", password: "Correct-Horse-42" });
  assert.equal(user.email, "alice@example.com");
  const { rows } = await db.pool.query<{ password: string }>(`SELECT password FROM accounts WHERE user_id = $1 AND provider_id = 'credential'`, [user.id]);
  assert.match(rows[0]!.password, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword({ hash: rows[0]!.password, password: "Correct-Horse-42" }), true);
  assert.equal(await verifyPassword({ hash: rows[0]!.password, password: "correct-horse-42" }), false);
  await assert.rejects(createUser(db.pool, { email: "alice@example.com", role: "viewer", password: "Another-Pass-42" }), /exists/);
  await assert.rejects(createUser(db.pool, { email: "bob@example.com", role: "viewer", password: "short1A!" }), UserInputError);
  await assert.rejects(createUser(db.pool, { email: "bob@example.com", role: "root" as never, password: "Correct-Horse-42" }), UserInputError);
  assert.equal(passwordWeakness("alllowercaseletters"), null); // 16+ characters
  assert.match(passwordWeakness("onlylowercase1") ?? "", /mix/);
  assert.match(passwordWeakness("Bobby-Secret-99", "bobby@example.com") ?? "", /email/);
});

test("five failures in a row lock the account until 15 minutes after the last; an unlock or a success clears it", async () => {
  const email = "locked@example.com";
  for (let i = 0; i < 4; i++) await recordAudit(db.pool, { actor: email, action: "sign-in.failure", ip: "192.0.2.50" });
  assert.equal(await loginRefusal(db.pool, { email, ip: null }, limits), null);
  await recordAudit(db.pool, { actor: email, action: "sign-in.failure", ip: "192.0.2.51" });
  const refusal = await loginRefusal(db.pool, { email, ip: null }, limits);
  assert.equal(refusal?.reason, "locked");
  const last = await db.pool.query<{ at: Date }>(`SELECT max(at) AS at FROM audit_log WHERE actor = $1`, [email]);
  assert.equal(refusal.reason === "locked" && refusal.until.getTime(), last.rows[0]!.at.getTime() + 15 * 60_000);
  // Failures older than the lockout window no longer count.
  await db.pool.query(`UPDATE audit_log SET at = at - interval '16 minutes' WHERE actor = $1`, [email]);
  assert.equal(await loginRefusal(db.pool, { email, ip: null }, limits), null);
  for (let i = 0; i < 5; i++) await recordAudit(db.pool, { actor: email, action: "sign-in.failure" });
  assert.equal((await loginRefusal(db.pool, { email, ip: null }, limits))?.reason, "locked");
  await recordAudit(db.pool, { actor: "admin@example.com", action: "user.unlock", target: email });
  assert.equal(await loginRefusal(db.pool, { email, ip: null }, limits), null);
});

test("one address may try 10 times a minute, whatever the accounts", async () => {
  for (let i = 0; i < 9; i++) await recordAudit(db.pool, { actor: `u${i}@example.com`, action: "sign-in.failure", ip: "198.51.100.99" });
  assert.equal(await loginRefusal(db.pool, { email: "next@example.com", ip: "198.51.100.99" }, limits), null);
  await recordAudit(db.pool, { actor: "u9@example.com", action: "sign-in.success", ip: "198.51.100.99" });
  assert.deepEqual(await loginRefusal(db.pool, { email: "next@example.com", ip: "198.51.100.99" }, limits), { reason: "rate-limited" });
  assert.equal(await loginRefusal(db.pool, { email: "next@example.com", ip: "198.51.100.98" }, limits), null);
});

test("an API token is stored only as its HMAC, finds its role while live, and nothing once revoked", async () => {
  const { id, token } = await createApiToken(db.pool, { name: "ci", role: "viewer", createdBy: "admin@example.com" });
  assert.match(token, /^tw_[A-Za-z0-9_-]{43}$/);
  const stored = await db.pool.query<{ token_hash: string }>(`SELECT token_hash FROM api_tokens WHERE id = $1`, [id]);
  assert.notEqual(stored.rows[0]!.token_hash, token);
  assert.match(stored.rows[0]!.token_hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(await findApiToken(db.pool, token), { id, name: "ci", role: "viewer" });
  assert.equal(await findApiToken(db.pool, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A")), null);
  assert.equal(await revokeApiToken(db.pool, id, "admin@example.com"), "ci");
  assert.equal(await findApiToken(db.pool, token), null);
  await assert.rejects(createApiToken(db.pool, { name: " ", role: "viewer", createdBy: "x" }), RangeError);
});
