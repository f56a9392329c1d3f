import { expect, request as playwrightRequest, test } from "@playwright/test";

// The headers proxy.ts sets (lib/http/security-headers.ts) on pages and API responses, that the app
// still works under its nonce-based CSP, and the CSRF check (lib/http/cross-site-request.ts) over HTTP.

const PAGES = ["/overview", "/logins", "/iam", "/network", "/s3", "/events", "/flows", "/alerts", "/rules", "/rules/new", "/channels", "/ingest", "/ledger", "/health"];

const directive = (csp: string, name: string) => csp.split(/;\s*/).find((d) => d.startsWith(`${name} `))?.slice(name.length + 1).split(" ") ?? [];

test("every page is served with a nonce CSP and the other security headers, and breaks none of it", async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => void w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  const consoleErrors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text()) && consoleErrors.push(m.text())));
  const nonces = new Set<string>();
  for (const path of PAGES) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const headers = response!.headers();
    const csp = headers["content-security-policy"] ?? "";
    const scripts = directive(csp, "script-src");
    expect(scripts, path).toEqual(expect.arrayContaining(["'self'", "'strict-dynamic'"]));
    expect(scripts.filter((s) => s === "'unsafe-inline'" || s === "'unsafe-eval'"), path).toEqual([]);
    const nonce = scripts.find((s) => s.startsWith("'nonce-"));
    expect(nonce, path).toBeDefined();
    nonces.add(nonce!);
    for (const [name, value] of [["frame-ancestors", "'none'"], ["object-src", "'none'"], ["base-uri", "'self'"], ["form-action", "'self'"]] as const) {
      expect(directive(csp, name), `${path} ${name}`).toEqual([value]);
    }
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("same-origin");
    expect(headers["x-frame-options"], path).toBe("DENY");
    // Next.js put this response's nonce on every script of the HTML (scripts those load need none: 'strict-dynamic').
    const tags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length, path).toBeGreaterThan(0);
    expect(tags.filter((tag) => !tag.includes(` nonce="${nonce!.slice(7, -1)}"`)), path).toEqual([]);
    await page.waitForLoadState("load");
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), path).toEqual([]);
  }
  expect(nonces.size, "a fresh nonce per response").toBe(PAGES.length);
  expect(consoleErrors).toEqual([]);

  // Client-side code runs under the policy: a filter added in the search form lands in the URL.
  await page.goto("/events?range=24h");
  // Done again until hydrated: input before React attached its handlers does nothing.
  await expect(async () => {
    await page.getByLabel("Field", { exact: true }).selectOption({ label: "Event name" });
    await page.getByLabel("Value", { exact: true }).fill("ConsoleLogin");
    await page.getByRole("button", { name: "Add filter" }).click();
    await expect(page).toHaveURL(/f\.eventName=ConsoleLogin/, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
});

test("API responses carry the same headers", async ({ request }) => {
  for (const path of ["/api/health", "/api/reports/overview?range=24h", "/api/events?range=1h", "/api/alerts"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBeLessThan(500);
    expect(res.headers()["content-type"], path).toMatch(/^application\/json/);
    expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
    expect(res.headers()["x-frame-options"], path).toBe("DENY");
    expect(directive(res.headers()["content-security-policy"] ?? "", "frame-ancestors"), path).toEqual(["'none'"]);
  }
});

test("CSRF: a state-changing request another site started is refused; same-origin, API tokens and non-browser clients pass", async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const preview = (headers: Record<string, string>) => request.post("/api/rules/preview", { headers, data: { range: "24h", rule: {} } });
  // Forged: another site's Origin, or the browser saying so, with or without cookies.
  for (const headers of [
    { Origin: "https://evil.example" },
    { Origin: "https://evil.example", Cookie: "trailwatch_session=stolen" },
    { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
    { "Sec-Fetch-Site": "same-site", Origin: "https://sub.evil.example" },
    { Origin: "null" },
    { Origin: "https://evil.example", Cookie: "trailwatch_session=x", Authorization: "Bearer tw_token" },
  ] as Record<string, string>[]) {
    const res = await preview(headers);
    expect(res.status(), JSON.stringify(headers)).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/refused/);
  }
  // Allowed: the app's own origin and a same-origin fetch (signed in: the handler refuses the empty rule) …
  for (const headers of [{ Origin: origin }, { "Sec-Fetch-Site": "same-origin", Origin: origin }] as Record<string, string>[]) {
    const res = await preview(headers);
    expect(res.status(), JSON.stringify(headers)).toBe(400);
  }
  // … and, without cookies, a bearer token from anywhere and a client that is no browser: past the CSRF
  // check, sign-in decides (these tokens are made up: 401, not the 403 of a refused request).
  const cookieless = await playwrightRequest.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  for (const headers of [{ Origin: "https://evil.example", Authorization: "Bearer tw_token" }, {}] as Record<string, string>[]) {
    const res = await cookieless.post("/api/rules/preview", { headers, data: { range: "24h", rule: {} } });
    expect(res.status(), JSON.stringify(headers)).toBe(401);
  }
  await cookieless.dispose();
  // Server actions are POSTs to pages: the same check runs before Next's own Origin/Host check.
  const action = await request.post("/alerts/1", { headers: { Origin: "https://evil.example", "Next-Action": "0".repeat(42) }, data: "[]" });
  expect(action.status()).toBe(403);
  // Safe methods are never refused.
  expect((await request.get("/api/health", { headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } })).status()).toBeLessThan(500);
});

test("CSRF from a real browser: the app's own pages can post, a page on another origin cannot", async ({ page, baseURL }) => {
  await page.goto("/rules/new");
  const own = await page.evaluate(async () => (await fetch("/api/rules/preview", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ range: "24h", rule: {} }) })).status);
  expect(own).toBe(400);
  // An attacker's page (served by the browser's router: no network) that posts a form to the app.
  const target = new URL("/api/rules/preview", baseURL).href;
  await page.route("http://evil.example/**", (route) =>
    route.fulfill({ contentType: "text/html", body: `<form method="POST" action="${target}" enctype="text/plain"><input name='{"range":"24h","rule":' value='{}}'></form>` }),
  );
  await page.goto("http://evil.example/attack");
  const [response] = await Promise.all([page.waitForResponse((r) => r.url() === target), page.evaluate(() => document.forms[0]!.submit())]);
  expect(response.request().headers()["origin"]).toBe("http://evil.example");
  expect(response.status()).toBe(403);
});
