import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";

const state = () => JSON.parse(readFileSync(STATE_FILE, "utf8")) as { deliveredObjects: number };

test("the Health page shows the running worker, the queue, throughput and fresh sources", async ({ page }) => {
  const { deliveredObjects } = state();
  await page.goto("/health");
  await expect(page.getByRole("link", { name: "Health", exact: true })).toBeVisible();
  await expect(page.getByTestId("health-kpi-workers")).toHaveAttribute("data-value", "1");
  await expect(page.getByTestId("worker-row").first()).toHaveAttribute("data-state", "running");
  await expect(page.getByTestId("health-kpi-objects")).toHaveAttribute("data-value", String(deliveredObjects));
  await expect(page.getByTestId("health-kpi-backlog")).toHaveAttribute("data-value", "0");
  // The demo's sources delivered moments ago: every one is OK.
  const rows = page.getByTestId("freshness-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect(page.locator('[data-testid="freshness-row"][data-state="INSUFFICIENT_DATA"]')).toHaveCount(0);
  await expect(page.getByTestId("health-last-error")).toContainText("broken.json.gz");
});

test("GET /api/health returns the same report as JSON", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.ok).toBe(true);
  expect(body.database).toBe("up");
  expect(body.workers.filter((w: { state: string }) => w.state === "running")).toHaveLength(1);
  expect(body.freshness.length).toBeGreaterThanOrEqual(2);
  expect(body.perHour).toHaveLength(24);
});
