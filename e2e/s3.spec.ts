import { expect, test } from "@playwright/test";
import { apiReport, chartsDrawn, followDrillDown, linkFilters, saveScreenshot, sqlCount, stackState, valueOf, weekUrl } from "./report-support";

// The S3 report over the demo week: app buckets' data events, the public assets bucket opened on day 2
// and read anonymously, the vendor's nightly cross-account reads, refusals on locked prefixes.

test("the S3 report renders every panel with the demo week", async ({ page }, testInfo) => {
  await page.goto(weekUrl("/s3"));
  await expect(page.getByRole("heading", { name: "S3 data events" })).toBeVisible();
  await chartsDrawn(page);
  await expect(page.getByTestId("s3-top-buckets-table-row").first()).toBeVisible();
  await expect(page.getByTestId("s3-cross-account-table-row").filter({ hasText: "999900001111" }).first()).toBeVisible();
  await expect(page.getByTestId("s3-access-changes").getByText("PutBucketPolicy").first()).toBeVisible();
  await expect(page.getByTestId("s3-largest").getByRole("row").nth(1)).toBeVisible();
  await saveScreenshot(page, testInfo, "s3");
});

test("a region filter changes the URL and the numbers", async ({ page }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/s3"));
  const all = await valueOf(page.getByTestId("kpi-gets"));
  await page.getByTestId("filter-region").selectOption("eu-west-1");
  await expect(page).toHaveURL(/region=eu-west-1/);
  const eu = await sqlCount(
    "SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND aws_region = 'eu-west-1' AND event_source = 's3.amazonaws.com' AND event_name = 'GetObject'",
    [weekFrom, weekTo],
  );
  await expect(page.getByTestId("kpi-gets")).toHaveAttribute("data-value", String(eu));
  expect(eu).toBeLessThan(all);
});

test("anonymous calls open exactly those events", async ({ page, request }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/s3"));
  const kpi = page.getByTestId("kpi-anonymous");
  const independent = await sqlCount(
    "SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND user_identity_account_id = 'anonymous'",
    [weekFrom, weekTo],
  );
  expect(await valueOf(kpi)).toBe(independent);
  expect(independent).toBeGreaterThan(50);
  const api = await apiReport<{ kpis: { anonymous: number }; kpiHrefs: { anonymous: string } }>(request, "s3");
  expect(api.kpis.anonymous).toBe(independent);
  const href = await kpi.getAttribute("href");
  expect(href).toBe(api.kpiHrefs.anonymous);
  expect(linkFilters(href!)).toMatchObject({ path: "/events", include: ["eventSource=s3.amazonaws.com", "userIdentity.accountId=anonymous"], exclude: [] });
  await followDrillDown(page, kpi, independent);
});
