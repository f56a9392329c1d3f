import { expect, test } from "@playwright/test";
import { apiReport, chartsDrawn, followDrillDown, linkFilters, saveScreenshot, sqlCount, stackState, valueOf, weekUrl } from "./report-support";

// The Network report over the demo week: the port scan of web-1 from 67.43.156.14 (day 2), the SSH
// probe of staging's bastion (day 1), flow-direction in staging's custom format, the security group change.

const SCANNER = "67.43.156.14";

test("the network report renders every panel with the demo week", async ({ page }, testInfo) => {
  await page.goto(weekUrl("/network"));
  await expect(page.getByRole("heading", { name: "Network", exact: true })).toBeVisible();
  await chartsDrawn(page, 3);
  await expect(page.getByTestId("port-scans-table-row").filter({ hasText: SCANNER })).toBeVisible();
  await expect(page.getByTestId("remote-admin-table-row").filter({ hasText: "175.16.199.201" }).first()).toBeVisible();
  await expect(page.getByTestId("direction").getByText("ingress").first()).toBeVisible();
  // Rejected sources come from the leader boards: distinct ports and hosts are lower bounds, and the table says so.
  await expect(page.getByTestId("rejected-sources-table-bounds")).toBeVisible();
  await expect(page.getByTestId("network-changes").getByText("AuthorizeSecurityGroupIngress").first()).toBeVisible();
  await saveScreenshot(page, testInfo, "network");
});

test("a region filter changes the URL and the numbers, and says what it leaves out", async ({ page }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/network"));
  await page.getByTestId("filter-region").selectOption("eu-west-1");
  await expect(page).toHaveURL(/region=eu-west-1/);
  const flows = await sqlCount("SELECT count(*) AS n FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK' AND region = 'eu-west-1'", [weekFrom, weekTo]);
  await expect(page.getByTestId("kpi-flows")).toHaveAttribute("data-value", String(flows));
  await expect(page.getByTestId("flows-without-region")).toBeVisible(); // prod's default-format records have no region
});

test("the scanner's rejected flows open exactly those records", async ({ page, request }) => {
  const { weekFrom, weekTo } = stackState();
  await page.goto(weekUrl("/network"));
  const link = page.getByTestId("rejected-sources-table-row").filter({ hasText: SCANNER }).getByTestId("rejected-sources-table-flows");
  const independent = await sqlCount(
    "SELECT count(*) AS n FROM flow_records WHERE start >= $1 AND start < $2 AND srcaddr = $3::inet AND action = 'REJECT' AND log_status = 'OK'",
    [weekFrom, weekTo, SCANNER],
  );
  expect(await valueOf(link)).toBe(independent);
  expect(independent).toBeGreaterThan(400);
  const api = await apiReport<{ topRejectedSources: { key: { src: string }; values: { flows: number }; hrefs: { flows: string } }[] }>(request, "network");
  const row = api.topRejectedSources.find((r) => r.key.src === SCANNER)!;
  expect(row.values.flows).toBe(independent);
  const href = await link.getAttribute("href");
  expect(href).toBe(row.hrefs.flows);
  expect(linkFilters(href!)).toMatchObject({ path: "/flows", include: ["log-status=OK", "action=REJECT", `srcaddr=${SCANNER}`], exclude: [] });
  await followDrillDown(page, link, independent);
});

test("the report APIs refuse malformed filters with a reason", async ({ request }) => {
  for (const report of ["overview", "logins", "iam", "network", "s3"]) {
    const bad = await request.get(`/api/reports/${report}?account=12345`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toMatch(/12-digit/);
  }
  const reversed = await request.get("/api/reports/network?from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z");
  expect(reversed.status()).toBe(400);
});
