import { expect, test } from "@playwright/test";
import { apiReport, chartsDrawn, followDrillDown, linkFilters, saveScreenshot, sqlCount, stackState, valueOf, weekUrl } from "./report-support";

// The Login audit over the demo week (lib/demo/README.md): m.okafor's brute force on day 2, the root
// sign-in of day 5, sign-ins without MFA, IAM Identity Center and broker federation every weekday.

test("the login audit renders every panel with the demo week", async ({ page }, testInfo) => {
  await page.goto(weekUrl("/logins"));
  await expect(page.getByRole("heading", { name: "Login audit" })).toBeVisible();
  await chartsDrawn(page, 2);
  expect(await valueOf(page.getByTestId("kpi-root-logins"))).toBe(1);
  expect(await valueOf(page.getByTestId("kpi-sso"))).toBeGreaterThan(0);
  expect(await valueOf(page.getByTestId("kpi-federation-tokens"))).toBeGreaterThan(0);
  await expect(page.getByTestId("bursts-by-user-table-row").filter({ hasText: "m.okafor" })).toBeVisible();
  await expect(page.getByTestId("sso-federated").getByText(/AWSReservedSSO_/).first()).toBeVisible();
  await saveScreenshot(page, testInfo, "logins");
});

test("a preset puts the range in the URL and recounts", async ({ page }) => {
  await page.goto(weekUrl("/logins"));
  await page.getByTestId("range-24h").click();
  await expect(page).toHaveURL(/[?&]range=24h/);
  await expect(page).not.toHaveURL(/from=/);
  const from = await page.getByTestId("range-from").getAttribute("datetime");
  const to = await page.getByTestId("range-to").getAttribute("datetime");
  const day = await sqlCount("SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin'", [from, to]);
  await expect(page.getByTestId("kpi-console-logins")).toHaveAttribute("data-value", String(day));
});

test("a user's failed sign-ins open exactly those events", async ({ page, request }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/logins"));
  const row = page.getByTestId("logins-by-user-table-row").filter({ hasText: "111122223333" }).filter({ hasText: /^.*m\.okafor/ }).first();
  const link = row.getByTestId("logins-by-user-table-failures");
  const shown = await valueOf(link);
  const independent = await sqlCount(
    `SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND recipient_account_id = '111122223333'
        AND event_name = 'ConsoleLogin' AND user_identity_user_name = 'm.okafor' AND raw #>> '{responseElements,ConsoleLogin}' = 'Failure'`,
    [weekFrom, weekTo],
  );
  expect(shown).toBe(independent);
  expect(independent).toBeGreaterThanOrEqual(24);
  const api = await apiReport<{ byUser: { key: { account: string; user: string }; values: { failures: number }; hrefs: { failures: string } }[] }>(request, "logins");
  const apiRow = api.byUser.find((r) => r.key.account === "111122223333" && r.key.user === "m.okafor")!;
  expect(apiRow.values.failures).toBe(independent);
  const href = await link.getAttribute("href");
  expect(href).toBe(apiRow.hrefs.failures);
  const filters = linkFilters(href!);
  expect(filters.include.sort()).toEqual(
    ["eventSource=signin.amazonaws.com", "eventName=ConsoleLogin", "recipientAccountId=111122223333", "userIdentity.userName=m.okafor", "responseElements.ConsoleLogin=Failure"].sort(),
  );
  expect([filters.from, filters.to, filters.exclude]).toEqual([new Date(weekFrom).toISOString(), new Date(weekTo).toISOString(), []]);
  await followDrillDown(page, link, independent);
});
