import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";

const state = () => JSON.parse(readFileSync(STATE_FILE, "utf8")) as { brokenKey: string; replay: { key: string; lines: number } };

test("the Ledger page filters by status and shows each object's reason", async ({ page }) => {
  const { brokenKey } = state();
  await page.goto("/ledger?status=failed");
  const rows = page.getByTestId("ledger-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-key", brokenKey);
  await expect(rows.first()).toContainText("unexpected end of file");
  await page.getByTestId("ledger-status-done").click();
  await expect(page).toHaveURL(/status=done/);
  await expect(page.locator('[data-testid="ledger-row"]:not([data-status="done"])')).toHaveCount(0);
});

test("a DLQ replay from the UI ingests the fixed object exactly once, and replaying again changes nothing", async ({ page }) => {
  const { replay } = state();
  const row = page.locator(`[data-testid="ledger-row"][data-key="${replay.key}"]`);
  await page.goto("/ledger");
  await expect(row).toHaveCount(0);
  await page.getByTestId("replay-dlq").click();
  await expect(page.getByTestId("replay-dlq-status")).toContainText("DLQ replay requested");
  await expect(async () => {
    await page.goto("/ledger");
    await expect(row).toHaveAttribute("data-status", "done", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").nth(4)).toHaveText(String(replay.lines));

  await page.getByTestId("replay-dlq").click();
  await expect(page.getByTestId("replay-dlq-status")).toContainText("DLQ replay requested");
  await expect(async () => {
    await page.goto("/ledger");
    await expect(page.getByTestId("ops-request-row").first()).toContainText("0 message(s) moved", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").nth(4)).toHaveText(String(replay.lines));
});
