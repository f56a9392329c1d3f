import { expect, test } from "@playwright/test";
import { apiReport, chartsDrawn, followDrillDown, linkFilters, saveScreenshot, sqlCount, stackState, valueOf, weekUrl } from "./report-support";

// The IAM audit over the demo week: ci-preview and svc-reporting with their keys, AdministratorAccess
// attached on day 4, the incident response's role chain, the read-only role's refusals.

test("the IAM audit renders every panel with the demo week", async ({ page }, testInfo) => {
  await page.goto(weekUrl("/iam"));
  await expect(page.getByRole("heading", { name: "IAM audit" })).toBeVisible();
  await chartsDrawn(page);
  await expect(page.getByTestId("iam-full-access").getByText("AdministratorAccess attached")).toBeVisible();
  await expect(page.getByTestId("iam-assume-role").getByText("chained").first()).toBeVisible();
  await expect(page.getByTestId("iam-access-denied-table-row").first()).toBeVisible();
  await saveScreenshot(page, testInfo, "iam");
});

test("an account filter changes the URL and the numbers", async ({ page }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/iam"));
  await page.getByTestId("filter-account").selectOption("444455556666");
  await expect(page).toHaveURL(/account=444455556666/);
  const keys = await sqlCount(
    "SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND recipient_account_id = '444455556666' AND event_name = 'CreateAccessKey' AND event_source = 'iam.amazonaws.com' AND error_code IS NULL",
    [weekFrom, weekTo],
  );
  await expect(page.getByTestId("kpi-access-keys")).toHaveAttribute("data-value", String(keys));
});

test("access keys created open exactly the CreateAccessKey events", async ({ page, request }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/iam"));
  const kpi = page.getByTestId("kpi-access-keys");
  const independent = await sqlCount(
    "SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 'iam.amazonaws.com' AND event_name = 'CreateAccessKey' AND error_code IS NULL",
    [weekFrom, weekTo],
  );
  expect(await valueOf(kpi)).toBe(independent);
  expect(independent).toBeGreaterThanOrEqual(3); // ci-preview, bogdan's rotation, svc-reporting
  const api = await apiReport<{ kpis: { accessKeysCreated: number }; kpiHrefs: { accessKeysCreated: string } }>(request, "iam");
  expect(api.kpis.accessKeysCreated).toBe(independent);
  const href = await kpi.getAttribute("href");
  expect(href).toBe(api.kpiHrefs.accessKeysCreated);
  expect(linkFilters(href!)).toMatchObject({ path: "/events", include: ["eventSource=iam.amazonaws.com", "eventName=CreateAccessKey"], exclude: ["errorCode=*"] });
  await followDrillDown(page, kpi, independent);
});
