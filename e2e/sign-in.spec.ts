// Sign-in, wrong password, lockout, the per-address rate limit, sign-out and session expiry, against the
// running app and its Postgres. Each test signs in from an address of its own (X-Forwarded-For).
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createUser } from "../lib/auth/users";
import { E2E_USERS } from "./e2e-users";
import { sqlCount, stackState } from "./report-support";
import { signInAs, signInError, submitSignIn } from "./sign-in-as";

test.use({ storageState: { cookies: [], origins: [] } });

async function withPool<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: stackState().databaseUrl, max: 2 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

test("an anonymous visitor is sent to sign in; signing in opens the app as that user and is audited", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": "192.0.2.1" });
  await page.goto("/alerts");
  await expect(page).toHaveURL(/\/login$/);
  await submitSignIn(page, E2E_USERS.analyst);
  await expect(page).toHaveURL(/\/overview/);
  await expect(page.getByTestId("signed-in-as")).toContainText(E2E_USERS.analyst.email);
  await expect(page.getByTestId("signed-in-role")).toHaveText("analyst");
  expect(await sqlCount(`SELECT count(*) AS n FROM audit_log WHERE actor = $1 AND action = 'sign-in.success' AND ip = $2`, [E2E_USERS.analyst.email, "192.0.2.1"])).toBe(1);
});

test("a wrong password is refused with a message and recorded with its address", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": "192.0.2.2" });
  await page.goto("/login");
  await submitSignIn(page, { email: E2E_USERS.viewer.email, password: "not-the-password-1A" });
  await expect(signInError(page)).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login$/);
  expect(await sqlCount(`SELECT count(*) AS n FROM audit_log WHERE actor = $1 AND action = 'sign-in.failure' AND ip = $2`, [E2E_USERS.viewer.email, "192.0.2.2"])).toBe(1);
});

test("five failed sign-ins lock the account, even against the right password, with a clear message", async ({ page }) => {
  const user = { email: "lockout@e2e.test", password: "Door-Closed-2026", role: "viewer" as const };
  await withPool((pool) => createUser(pool, user));
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": "192.0.2.3" });
  await page.goto("/login");
  for (let i = 1; i <= 4; i++) {
    await submitSignIn(page, { email: user.email, password: `Wrong-Pass-${i}-xyz` });
    await expect(signInError(page)).toHaveText("Wrong email or password.");
    await page.goto("/login");
  }
  await submitSignIn(page, { email: user.email, password: "Wrong-Pass-5-xyz" });
  await expect(signInError(page)).toContainText("this account is locked until");
  await page.goto("/login");
  await submitSignIn(page, user);
  await expect(signInError(page)).toContainText("this account is locked until");
  expect(await sqlCount(`SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [user.email])).toBe(0);
  expect(await sqlCount(`SELECT count(*) AS n FROM audit_log WHERE actor = $1 AND action = 'sign-in.refused'`, [user.email])).toBe(1);
});

test("an address over its sign-in rate is refused whatever the account", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": "192.0.2.4" });
  for (let i = 1; i <= 10; i++) {
    await page.goto("/login");
    await submitSignIn(page, { email: `nobody-${i}@e2e.test`, password: "Whatever-Pass-2026" });
    await expect(signInError(page)).toHaveText("Wrong email or password.");
  }
  await page.goto("/login");
  await submitSignIn(page, E2E_USERS.analyst);
  await expect(signInError(page)).toContainText("Too many sign-in attempts from your address");
  await expect(page).toHaveURL(/\/login$/);
});

test("signing out ends the session: its cookie no longer opens anything", async ({ browser, baseURL }) => {
  const context = await signInAs(browser, baseURL!, E2E_USERS.analyst, "192.0.2.5");
  const page = await context.newPage();
  await page.goto("/overview");
  const cookies = await context.cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  // The old cookie, replayed, is refused: the session is gone from Postgres, not only from the browser.
  const replay = await browser.newContext({ baseURL, storageState: { cookies, origins: [] } });
  expect((await replay.request.get("/api/alerts")).status()).toBe(401);
  await replay.close();
  await context.close();
});

test("an expired session is refused (its expiry moved into the past in Postgres)", async ({ browser, baseURL }) => {
  const context = await signInAs(browser, baseURL!, E2E_USERS.viewer, "192.0.2.6");
  expect((await context.request.get("/api/alerts")).status()).toBe(200);
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("session_token"));
  expect(cookie).toBeTruthy();
  const token = decodeURIComponent(cookie!.value).split(".")[0]!;
  const moved = await withPool((pool) => pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token = $1`, [token]));
  expect(moved.rowCount).toBe(1);
  expect((await context.request.get("/api/alerts")).status()).toBe(401);
  const page = await context.newPage();
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/login$/);
  await context.close();
});
