import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy, newNonce, SECURITY_HEADERS } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)] as const));

test("production CSP: scripts only by nonce, no unsafe-inline or unsafe-eval, no framing, no plugins", () => {
  const d = directives(contentSecurityPolicy({ nonce: "abc123==" }));
  assert.deepEqual(d.get("script-src"), ["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
  assert.deepEqual(d.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(d.get("object-src"), ["'none'"]);
  assert.deepEqual(d.get("base-uri"), ["'self'"]);
  assert.deepEqual(d.get("form-action"), ["'self'"]);
  assert.ok(!d.get("style-src")?.includes("'unsafe-inline'"), "style elements need the nonce");
  assert.deepEqual(d.get("style-src-attr"), ["'unsafe-inline'"]);
});

test("development adds unsafe-eval to scripts only", () => {
  const d = directives(contentSecurityPolicy({ nonce: "n", development: true }));
  assert.ok(d.get("script-src")?.includes("'unsafe-eval'"));
  assert.ok(!d.get("script-src")?.includes("'unsafe-inline'"));
});

test("nonces are 128-bit base64 and differ per call", () => {
  const a = newNonce();
  assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
  assert.notEqual(a, newNonce());
});

test("the other headers: nosniff, referrer policy, frame denial", () => {
  assert.equal(SECURITY_HEADERS["X-Content-Type-Options"], "nosniff");
  assert.equal(SECURITY_HEADERS["Referrer-Policy"], "same-origin");
  assert.equal(SECURITY_HEADERS["X-Frame-Options"], "DENY");
});
