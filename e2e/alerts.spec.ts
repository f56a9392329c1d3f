import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";

const state = () => JSON.parse(readFileSync(STATE_FILE, "utf8")) as { stopLogging: { eventId: string; principalArn: string } };

test("the Alerts page lists what the rules raised, and an alert leads to its events and through its lifecycle", async ({ page, request }) => {
  const { stopLogging } = state();
  const api = (await (await request.get("/api/alerts")).json()) as { alerts: { id: number; ruleId: string; severity: string; groupKey: string; eventIds: string[] }[] };
  const stopped = api.alerts.find((a) => a.ruleId === "cloudtrail-logging-stopped" && a.groupKey.includes(stopLogging.principalArn));
  expect(stopped, "the StopLogging fixture raised an alert").toBeTruthy();
  expect(stopped!.eventIds).toEqual([`111122223333/${stopLogging.eventId}`]);

  await page.goto("/alerts");
  const rows = page.getByTestId("alerts-table").locator("tbody tr");
  await expect(rows).toHaveCount(api.alerts.length);
  const high = api.alerts.filter((a) => a.severity === "high").length;
  await expect(page.getByTestId("severity-counts").locator('[data-severity="high"]')).toHaveAttribute("data-value", String(high));

  // The attacker-written principal shows as text in the list and on the alert page.
  const row = page.locator(`tr[data-rule-id="cloudtrail-logging-stopped"]`).filter({ hasText: stopLogging.principalArn });
  await expect(row).toHaveCount(1);
  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${stopped!.id}$`));
  await expect(page.getByTestId("group-values").getByText(stopLogging.principalArn)).toBeVisible();
  await expect(page.getByText("1 event matched the rule's conditions.")).toBeVisible();
  const eventLink = page.getByTestId("alert-events").getByRole("link", { name: "StopLogging" });
  await expect(eventLink).toHaveAttribute("href", `/events/111122223333/${stopLogging.eventId}`);

  // Lifecycle: acknowledge with a comment, then resolve; each step is in the history.
  await page.getByLabel("Comment (optional)").fill("looking into it <b>now</b>");
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByText("State: acknowledged")).toBeVisible();
  const history = page.getByTestId("alert-history");
  await expect(history).toContainText("acknowledged by admin@e2e.test");
  await expect(history.getByText("looking into it <b>now</b>")).toBeVisible();
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText("State: resolved")).toBeVisible();
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator("img[src=x]").count()).toBe(0);
});

test("alert filters live in the URL", async ({ page }) => {
  await page.goto("/alerts?rule=no-such-rule&state=all");
  await expect(page.getByTestId("alerts-empty")).toBeVisible();
  await page.goto("/alerts?severity=high&state=all");
  await expect(page.locator('tr[data-rule-id="cloudtrail-logging-stopped"]').first()).toBeVisible();
});
