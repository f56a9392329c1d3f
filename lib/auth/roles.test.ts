import assert from "node:assert/strict";
import { test } from "node:test";
import { canAct, canOpen } from "./access-policy";
import { actorName, requestOrigin } from "./actor";
import { hasRole } from "./roles";

test("roles are ordered viewer < analyst < admin", () => {
  assert.equal(hasRole("admin", "viewer"), true);
  assert.equal(hasRole("analyst", "analyst"), true);
  assert.equal(hasRole("analyst", "admin"), false);
  assert.equal(hasRole("viewer", "analyst"), false);
});

test("the UI's questions read the one policy", () => {
  assert.equal(canAct("analyst", "changeAlertStateAction"), true);
  assert.equal(canAct("viewer", "changeAlertStateAction"), false);
  assert.equal(canAct("analyst", "createTokenAction"), false);
  assert.equal(canOpen("viewer", "/overview"), true);
  assert.equal(canOpen("analyst", "/admin/audit"), false);
});

test("the caller's address is the last X-Forwarded-For entry; names for histories", () => {
  assert.deepEqual(requestOrigin(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "user-agent": "curl/8" })), { ip: "10.0.0.1", userAgent: "curl/8" });
  assert.deepEqual(requestOrigin(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" })), { ip: "127.0.0.1", userAgent: null });
  assert.deepEqual(requestOrigin(new Headers()), { ip: null, userAgent: null });
  assert.equal(actorName({ kind: "user", id: "u", email: "a@b.c", role: "viewer", sessionId: "s" }), "a@b.c");
  assert.equal(actorName({ kind: "token", id: "1", name: "ci", role: "viewer" }), "token:ci");
});
