import { readFileSync } from "node:fs";
import { expect, type APIRequestContext, type Locator, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { STATE_FILE } from "./global-setup";

/** What e2e/stack.ts delivered: the demo week ending at `weekTo` (the hour the run started), plus a few extras. */
export interface StackState {
  databaseUrl: string;
  deliveredObjects: number;
  deliveredCloudTrailRecords: number;
  weekFrom: string;
  weekTo: string;
}

export const stackState = (): StackState => JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState;

/** The report at `path` over the whole demo week, as an absolute range (so page, API and SQL see the same instants). */
export function weekUrl(path: string, extra: Record<string, string> = {}): string {
  const { weekFrom, weekTo } = stackState();
  return `${path}?${new URLSearchParams({ from: weekFrom, to: weekTo, ...extra }).toString()}`;
}

/** One count straight from Postgres, written for the test independently of lib/reports. */
export async function sqlCount(text: string, values: unknown[]): Promise<number> {
  const client = new pg.Client({ connectionString: stackState().databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(text, values);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** GET /api/reports/<report> for the same week; throws unless it answers 200. */
export async function apiReport<T>(request: APIRequestContext, report: string, extra: Record<string, string> = {}): Promise<T> {
  const res = await request.get(weekUrl(`/api/reports/${report}`, extra));
  expect(res.status()).toBe(200);
  return (await res.json()) as T;
}

/** The `f.` / `x.` filters, range and global filters of a search link, for comparing with what a panel counts. */
export function linkFilters(href: string): { path: string; from: string | null; to: string | null; account: string | null; region: string | null; include: string[]; exclude: string[] } {
  const url = new URL(href, "http://x");
  const pick = (prefix: string) => [...url.searchParams].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => `${k.slice(2)}=${v}`);
  return {
    path: url.pathname,
    from: url.searchParams.get("from"),
    to: url.searchParams.get("to"),
    account: url.searchParams.get("account"),
    region: url.searchParams.get("region"),
    include: pick("f."),
    exclude: pick("x."),
  };
}

/** The exact number behind a linked count (`data-value`). */
export async function valueOf(locator: Locator): Promise<number> {
  const raw = await locator.getAttribute("data-value");
  expect(raw, "the number carries its exact value").not.toBeNull();
  return Number(raw);
}

/**
 * Clicks a drill-down link and checks where it lands: the search page (/events or /flows) must
 * list exactly `expected` records (its match count, `data-testid="match-count"`).
 */
export async function followDrillDown(page: Page, link: Locator, expected: number): Promise<void> {
  const href = await link.getAttribute("href");
  expect(href).toBeTruthy();
  await link.click();
  await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === href);
  await expect(page.getByTestId("match-count")).toHaveAttribute("data-value", String(expected));
}

/** A full-page screenshot of the report, kept with the test's results (test-results/). */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** Waits until the report's charts are drawn (Recharts renders on the client). */
export async function chartsDrawn(page: Page, atLeast = 1): Promise<void> {
  await expect(page.locator("svg.recharts-surface").nth(atLeast - 1)).toBeVisible();
}
