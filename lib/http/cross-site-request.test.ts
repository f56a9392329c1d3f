import assert from "node:assert/strict";
import { test } from "node:test";
import { crossSiteRefusal, ownOrigins } from "./cross-site-request";

const OWN = ownOrigins({ host: "127.0.0.1:3000", protocol: "http:", publicUrl: "https://trailwatch.example.com/app" });
const check = (method: string, headers: Record<string, string>) =>
  crossSiteRefusal({ method, header: (name) => headers[name] ?? null, ownOrigins: OWN });

test("own origins: the Host the request reached and the public URL's origin", () => {
  assert.deepEqual(OWN, ["https://trailwatch.example.com", "http://127.0.0.1:3000"]);
  assert.deepEqual(ownOrigins({ host: "bad host/x", protocol: "http", publicUrl: "http://localhost:3000" }), ["http://localhost:3000"]);
});

test("safe methods always pass, even cross-site", () => {
  for (const method of ["GET", "HEAD", "OPTIONS"]) assert.equal(check(method, { "sec-fetch-site": "cross-site", origin: "https://evil.example" }), null);
});

test("a state-changing request from another site is refused, by Sec-Fetch-Site or by Origin", () => {
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    assert.match(check(method, { "sec-fetch-site": "cross-site", origin: "https://evil.example", cookie: "s=1" }) ?? "", /Sec-Fetch-Site: cross-site/);
    assert.match(check(method, { origin: "https://evil.example" }) ?? "", /Origin: https:\/\/evil\.example/);
  }
  assert.match(check("POST", { "sec-fetch-site": "same-site", origin: "https://other.example.com" }) ?? "", /same-site/);
  assert.match(check("POST", { origin: "null" }) ?? "", /Origin: null/);
  // Same host, other scheme or port: another origin.
  assert.notEqual(check("POST", { origin: "http://127.0.0.1:3001" }), null);
  assert.notEqual(check("POST", { origin: "http://trailwatch.example.com" }), null);
});

test("same-origin requests, the public origin and requests from no browser pass", () => {
  assert.equal(check("POST", { "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:3000", cookie: "s=1" }), null);
  assert.equal(check("POST", { "sec-fetch-site": "none" }), null);
  assert.equal(check("POST", { origin: "http://127.0.0.1:3000" }), null);
  assert.equal(check("POST", { "sec-fetch-site": "same-site", origin: "https://trailwatch.example.com" }), null);
  assert.equal(check("DELETE", {}), null);
});

test("a bearer token without cookies cannot be forged and passes; with a cookie the origin still counts", () => {
  assert.equal(check("POST", { authorization: "Bearer tw_abc", origin: "https://evil.example", "sec-fetch-site": "cross-site" }), null);
  assert.notEqual(check("POST", { authorization: "Bearer tw_abc", cookie: "s=1", origin: "https://evil.example" }), null);
  assert.notEqual(check("POST", { authorization: "Basic eDp5", origin: "https://evil.example" }), null);
});
