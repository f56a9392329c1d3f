import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";
import { apiReport, chartsDrawn, followDrillDown, linkFilters, saveScreenshot, sqlCount, stackState, valueOf, weekUrl } from "./report-support";

interface StackState {
  deliveredObjects: number;
  deliveredCloudTrailRecords: number;
  deletedMessages: number;
  hostileEventName: string;
  weekFrom: string;
  weekTo: string;
}
const state = (): StackState => JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState;

test("the overview shows the events that were delivered through SQS", async ({ page }) => {
  const { deliveredObjects, deliveredCloudTrailRecords, deletedMessages, weekFrom, weekTo } = state();
  expect(deletedMessages).toBe(deliveredObjects); // every notification was acknowledged after its data was stored
  await page.goto(`/overview?from=${weekFrom}&to=${weekTo}`);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("kpi-events")).toHaveAttribute("data-value", String(deliveredCloudTrailRecords));
  expect(Number(await page.getByTestId("kpi-principals").getAttribute("data-value"))).toBeGreaterThan(1);
  expect(Number(await page.getByTestId("kpi-bytes-accepted").getAttribute("data-value"))).toBeGreaterThan(0);
  expect(Number(await page.getByTestId("kpi-bytes-rejected").getAttribute("data-value"))).toBeGreaterThan(0);
  await expect(page.getByTestId("top-event-names").getByRole("row")).not.toHaveCount(0);
  await expect(page.getByRole("figure", { name: /CloudTrail events per day/ }).locator("svg.recharts-surface").first()).toBeVisible();
});

test("the range picker keeps the range in the URL", async ({ page }) => {
  await page.goto("/overview?range=24h");
  await page.getByTestId("range-7d").click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByText(/per day, UTC/)).toBeVisible();
  const weekEvents = Number(await page.getByTestId("kpi-events").getAttribute("data-value"));
  expect(weekEvents).toBeGreaterThanOrEqual(state().deliveredCloudTrailRecords);
});

test("attacker-controlled fields render as text, never as HTML", async ({ page }) => {
  const { hostileEventName } = state();
  await page.goto("/overview?range=24h");
  await expect(page.getByTestId("top-event-names").getByText(hostileEventName, { exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator("img[src='x']").count()).toBe(0);
});

test.describe("overview report", () => {
  test("renders every panel with the demo week", async ({ page }, testInfo) => {
    await page.goto(weekUrl("/overview"));
    await chartsDrawn(page, 2);
    for (const id of ["top-event-sources", "top-principals", "top-source-ips", "events-by-account-region", "sensitive-changes"]) {
      await expect(page.getByTestId(id).getByRole("link").first()).toBeVisible();
    }
    expect(await valueOf(page.getByTestId("kpi-failed-logins"))).toBeGreaterThan(20); // the brute force of day 2
    expect(await valueOf(page.getByTestId("changes-cloudtrail"))).toBeGreaterThanOrEqual(3); // UpdateTrail, StopLogging, StartLogging
    await saveScreenshot(page, testInfo, "overview");
  });

  test("an account filter changes the URL and the numbers; back returns", async ({ page }) => {
    const { weekFrom, weekTo } = stackState();
    await page.goto(weekUrl("/overview"));
    const all = await valueOf(page.getByTestId("kpi-events"));
    await page.getByTestId("filter-account").selectOption("444455556666");
    await expect(page).toHaveURL(/account=444455556666/);
    const staging = await sqlCount("SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND recipient_account_id = $3", [weekFrom, weekTo, "444455556666"]);
    await expect(page.getByTestId("kpi-events")).toHaveAttribute("data-value", String(staging));
    expect(staging).toBeLessThan(all);
    await page.goBack();
    await expect(page).not.toHaveURL(/account=/);
    await expect(page.getByTestId("kpi-events")).toHaveAttribute("data-value", String(all));
  });

  test("failed sign-ins open exactly the events they count", async ({ page, request }) => {
    const { weekFrom, weekTo } = stackState();
    await page.goto(weekUrl("/overview"));
    const kpi = page.getByTestId("kpi-failed-logins");
    const shown = await valueOf(kpi);
    const api = await apiReport<{ kpis: { failedLogins: number }; kpiHrefs: { failedLogins: string } }>(request, "overview");
    const independent = await sqlCount(
      `SELECT count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2
          AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin' AND raw->'responseElements'->>'ConsoleLogin' = 'Failure'`,
      [weekFrom, weekTo],
    );
    expect([shown, api.kpis.failedLogins]).toEqual([independent, independent]);
    const href = await kpi.getAttribute("href");
    expect(href).toBe(api.kpiHrefs.failedLogins);
    expect(linkFilters(href!)).toEqual({
      path: "/events",
      from: new Date(weekFrom).toISOString(),
      to: new Date(weekTo).toISOString(),
      account: null,
      region: null,
      include: ["eventSource=signin.amazonaws.com", "eventName=ConsoleLogin", "responseElements.ConsoleLogin=Failure"],
      exclude: [],
    });
    await followDrillDown(page, kpi, independent);
  });
});
