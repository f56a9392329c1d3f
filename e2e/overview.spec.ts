import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";

interface StackState {
  deliveredObjects: number;
  deliveredCloudTrailRecords: number;
  deletedMessages: number;
  hostileEventName: string;
}
const state = (): StackState => JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState;

test("the overview shows the events that were delivered through SQS", async ({ page }) => {
  const { deliveredObjects, deliveredCloudTrailRecords, deletedMessages } = state();
  expect(deletedMessages).toBe(deliveredObjects); // every notification was acknowledged after its data was stored
  await page.goto("/overview?range=24h");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("kpi-events")).toHaveAttribute("data-value", String(deliveredCloudTrailRecords));
  expect(Number(await page.getByTestId("kpi-principals").getAttribute("data-value"))).toBeGreaterThan(1);
  expect(Number(await page.getByTestId("kpi-bytes-accepted").getAttribute("data-value"))).toBeGreaterThan(0);
  expect(Number(await page.getByTestId("kpi-bytes-rejected").getAttribute("data-value"))).toBeGreaterThan(0);
  await expect(page.getByTestId("top-event-names").getByRole("row")).not.toHaveCount(0);
  await expect(page.getByRole("figure", { name: /CloudTrail events per hour/ }).locator("svg.recharts-surface").first()).toBeVisible();
});

test("the range picker keeps the range in the URL", async ({ page }) => {
  await page.goto("/overview?range=24h");
  await page.getByRole("link", { name: "7d" }).click();
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
