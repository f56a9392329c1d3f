import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";

const state = () => JSON.parse(readFileSync(STATE_FILE, "utf8")) as { deliveredObjects: number; brokenKey: string };

test("the Ingest page shows what was stored and every failure with its reason", async ({ page }) => {
  const { deliveredObjects, brokenKey } = state();
  await page.goto("/ingest");
  await expect(page.getByTestId("ingest-kpi-done")).toHaveAttribute("data-value", String(deliveredObjects));
  await expect(page.getByTestId("ingest-kpi-failed")).toHaveAttribute("data-value", "1");
  const attention = page.getByTestId("needs-attention");
  await expect(attention.getByText(brokenKey)).toBeVisible();
  await expect(attention.getByText(/unexpected end of file/)).toBeVisible();
  const messages = page.getByTestId("message-log");
  await expect(messages.getByText("not-json").first()).toBeVisible();
  await expect(messages.getByText("<not json>", { exact: true })).toBeVisible(); // the body, as text
  await expect(messages.getByText(/message body is not JSON/)).toBeVisible();
});
