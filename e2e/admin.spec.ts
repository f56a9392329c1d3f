// The admin pages (users, API tokens, audit log) and the UI each role sees. Runs as the e2e admin
// (the default storage state) unless a test says otherwise.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { E2E_USERS, storageStateFor } from "./e2e-users";
import { sqlCount } from "./report-support";
import { signInAs, signInError, submitSignIn } from "./sign-in-as";

test("an API token is shown once, works for its role only, and stops working once revoked", async ({ page, baseURL }) => {
  await page.goto("/admin/tokens");
  const form = page.getByRole("form", { name: "Create API token" });
  await form.getByLabel("Name").fill("e2e-script");
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^tw_[A-Za-z0-9_-]{43}$/);
  // Stored hashed: the token itself is nowhere in Postgres.
  expect(await sqlCount(`SELECT count(*) AS n FROM api_tokens WHERE token_hash = $1 OR prefix = $1`, [token])).toBe(0);
  const api = await playwrightRequest.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  expect((await api.get("/api/alerts")).status()).toBe(200);
  expect((await api.get("/api/channels")).status()).toBe(403);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  const row = page.getByTestId("token-e2e-script");
  await expect(row).toContainText(token.slice(0, 10));
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await api.get("/api/alerts")).status()).toBe(401);
  await api.dispose();
  await page.goto("/admin/audit?action=token");
  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ hasText: "token.revoke" })).toContainText(E2E_USERS.admin.email);
  await expect(rows.filter({ hasText: "token.create" })).toContainText("e2e-script");
});

test("an admin creates a user, changes their role, signs them out everywhere and disables them", async ({ page, browser, baseURL }) => {
  const user = { email: "new-analyst@e2e.test", password: "Fresh-Hire-Pass-2026" };
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Role").selectOption("analyst");
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("alert")).toContainText("password too weak");
  // React resets a form after its action: fill it again.
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Role").selectOption("analyst");
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(`Created ${user.email} (analyst)`);

  const theirs = await signInAs(browser, baseURL!, user, "192.0.2.20");
  const theirPage = await theirs.newPage();
  await theirPage.goto("/overview");
  await expect(theirPage.getByTestId("signed-in-role")).toHaveText("analyst");

  const row = page.getByTestId(`user-${user.email}`);
  await row.getByLabel(`Role of ${user.email}`).selectOption("viewer");
  await row.getByRole("button", { name: "Set" }).click();
  // The select shows "viewer" before the server has it: wait for Postgres.
  await expect.poll(() => sqlCount(`SELECT count(*) AS n FROM users WHERE email = $1 AND role = 'viewer'`, [user.email])).toBe(1);
  await theirPage.reload();
  await expect(theirPage.getByTestId("signed-in-role")).toHaveText("viewer");

  await row.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect.poll(() => sqlCount(`SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`, [user.email])).toBe(0);
  await theirPage.goto("/overview");
  await expect(theirPage).toHaveURL(/\/login$/);

  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  await submitSignIn(theirPage, user);
  await expect(signInError(theirPage)).toHaveText("Wrong email or password.");
  await theirs.close();

  await page.goto(`/admin/audit?actor=${encodeURIComponent(E2E_USERS.admin.email)}&action=user`);
  const actions = await page.getByTestId("audit-row").locator("td:nth-child(3)").allTextContents();
  for (const a of ["user.create", "user.set-role", "user.sign-out-everywhere", "user.disable"]) expect(actions).toContain(a);
});

test.describe("a viewer sees no controls it cannot use, and is refused where it goes anyway", () => {
  test.use({ storageState: storageStateFor("viewer") });
  test("viewer", async ({ page }) => {
    await page.goto("/rules");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Rules" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Channels" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New rule" })).toHaveCount(0);
    await page.goto("/rules/cloudtrail-logging-stopped");
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^(Disable|Enable|Mute)$/ })).toHaveCount(0);
    const alertId = await sqlCount(`SELECT min(id) AS n FROM alerts`, []);
    await page.goto(`/alerts/${alertId}`);
    await expect(page.getByRole("button", { name: /Acknowledge|Resolve|Reopen/ })).toHaveCount(0);
    const refused = await page.goto("/admin/users");
    expect(refused?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
  });
});

test.describe("an analyst edits rules and alerts but sees no admin controls", () => {
  test.use({ storageState: storageStateFor("analyst") });
  test("analyst", async ({ page }) => {
    await page.goto("/rules/cloudtrail-logging-stopped");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Channels" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit" })).toBeVisible();
    await expect(page.getByRole("button", { name: /Reset to shipped|Delete/ })).toHaveCount(0);
    const alertId = await sqlCount(`SELECT min(id) AS n FROM alerts`, []);
    await page.goto(`/alerts/${alertId}`);
    await expect(page.getByRole("form", { name: "Change alert state" })).toBeVisible();
    await page.goto("/ledger");
    await expect(page.getByTestId("replay-dlq")).toHaveCount(0);
  });
});
