import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveKey } from "../app-secret";
import { isSealed, openSecret, openSecrets, sealSecret, sealSecrets } from "./channel-secrets";

const key = deriveKey("unit-test-installation-secret-0123456789", "channel-secrets");
const otherKey = deriveKey("another-installation-secret-0123456789", "channel-secrets");

test("a sealed secret opens with its key and name, and holds no plaintext", () => {
  const sealed = sealSecret(key, "signingSecret", "a-signing-secret-of-some-length");
  assert.ok(isSealed(sealed));
  assert.ok(!sealed.includes("a-signing-secret"));
  assert.equal(openSecret(key, "signingSecret", sealed), "a-signing-secret-of-some-length");
  assert.notEqual(sealSecret(key, "signingSecret", "same"), sealSecret(key, "signingSecret", "same"), "a fresh IV each time");
});

test("another key, another name or an altered value does not open", () => {
  const sealed = sealSecret(key, "password", "smtp-password");
  assert.throws(() => openSecret(otherKey, "password", sealed), /another installation secret, or altered/);
  assert.throws(() => openSecret(key, "webhookUrl", sealed), /cannot be opened/);
  const [prefix, v, iv, tag, data] = sealed.split(":");
  const flipped = `${prefix}:${v}:${iv}:${tag}:${data!.startsWith("A") ? `B${data!.slice(1)}` : `A${data!.slice(1)}`}`;
  assert.throws(() => openSecret(key, "password", flipped), /cannot be opened/);
});

test("plaintext values from before encryption are read as they are, and sealing leaves sealed values alone", () => {
  assert.deepEqual(openSecrets(key, { webhookUrl: "https://hooks.slack.com/services/T0/B0/x" }), { webhookUrl: "https://hooks.slack.com/services/T0/B0/x" });
  const once = sealSecrets(key, { webhookUrl: "https://hooks.slack.com/services/T0/B0/x" });
  assert.deepEqual(sealSecrets(key, once), once);
  assert.deepEqual(sealSecrets(key, { password: undefined }), {}, "a secret not set is not stored");
  assert.deepEqual(openSecrets(key, once), { webhookUrl: "https://hooks.slack.com/services/T0/B0/x" });
});
