import { expect, test, type Page } from "@playwright/test";
import { SEARCH_FIXTURE as F } from "./search-fixtures";

// The event search, the event page and the flow search, over the demo day and the records of
// e2e/search-fixtures.ts, delivered through S3 + SQS by e2e/stack.ts.

async function matchCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("match-count").getAttribute("data-value"));
}

test("search by principal, open an event, read its summary and policy diff, follow the same access key", async ({ page }) => {
  await page.goto("/events?range=24h");
  await page.getByLabel("Field", { exact: true }).selectOption({ label: "Principal ARN" });
  await page.getByLabel("Value", { exact: true }).fill(F.aliceArn);
  await page.getByRole("button", { name: "Add filter" }).click();
  await expect(page).toHaveURL(/f\.userIdentity\.arn=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Fe2e-alice/);
  await expect(page.getByTestId("filter-chips")).toContainText(F.aliceArn);
  await expect(page.getByTestId("match-count")).toHaveAttribute("data-value", "5");
  await expect(page.getByTestId("result-row")).toHaveCount(5);

  // Newest first: the second PutUserPolicy is the first of the two.
  await page.getByTestId("result-row").filter({ hasText: "PutUserPolicy" }).first().getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/events/111122223333/${F.putPolicyV2}$`));
  await expect(page.getByTestId("event-summary")).toHaveText(
    "e2e-alice (IAMUser, 111122223333) put inline policy e2e-reports on user e2e-bob from 198.51.100.77 using aws-cli",
  );
  await expect(page.getByTestId("change-subject")).toHaveText("inline policy e2e-reports of IAM user e2e-bob");
  await expect(page.getByTestId("change-added")).toHaveText(/Allow iam:PassRole on every resource \(\*\)/);
  await expect(page.getByTestId("change-added").getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("change-removed")).toHaveText(/Deny s3:DeleteObject on every resource \(\*\)/);
  await expect(page.getByTestId("change-baseline").getByRole("link")).toHaveText(/PutUserPolicy at/);
  await expect(page.getByTestId("raw-record")).toContainText('"policyName": "e2e-reports"');
  await expect(page.getByTestId("source-object")).toContainText("search-fixtures.json.gz");

  const keyCount = Number(await page.getByTestId("related-accessKey-count").getAttribute("data-value"));
  expect(keyCount).toBeGreaterThanOrEqual(5);
  await page.getByTestId("related-accessKey").click();
  await expect(page).toHaveURL(new RegExp(`f\\.userIdentity\\.accessKeyId=${F.aliceKey}`));
  await expect(page.getByTestId("match-count")).toHaveAttribute("data-value", String(keyCount));
});

test("assumed-role sessions show the AssumeRole that began them; Identity Center roles show the person", async ({ page }) => {
  await page.goto(`/events/111122223333/${F.sessionEvent}`);
  await expect(page.getByTestId("event-summary")).toHaveText(/^alice-deploy \(AssumedRole e2e-deployer, 111122223333\) described instances/);
  await expect(page.getByTestId("actor")).toContainText("alice@example.com");
  await expect(page.getByTestId("session-start")).toContainText("matched by access key");
  await expect(page.getByTestId("session-start")).toContainText("arn:aws:iam::111122223333:mfa/e2e-alice");
  await expect(page.getByTestId("related-session")).toBeVisible();
  await page.getByTestId("session-start").getByRole("link", { name: "AssumeRole" }).click();
  await expect(page).toHaveURL(/\/events\/111122223333\/e2e-assume-role$/);
  await expect(page.getByTestId("event-summary")).toHaveText(/assumed role arn:aws:iam::111122223333:role\/e2e-deployer as session alice-deploy/);

  await page.goto(`/events/111122223333/${F.ssoEvent}`);
  await expect(page.getByTestId("event-summary")).toHaveText(/^jane@example\.com \(IAM Identity Center DevAdmin, 111122223333\) listed the S3 buckets/);
  await expect(page.getByTestId("actor")).toContainText("Identity Center user");
  await expect(page.getByTestId("actor")).toContainText("DevAdmin");
});

test("attacker-written fields render as text on the event page and in the results, and run nothing", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(`/events/111122223333/${F.xssEvent}`);
  await expect(page.getByTestId("event-facts").getByText(F.xssUserAgent, { exact: true })).toBeVisible();
  await expect(page.getByTestId("event-summary")).toContainText(`s3://${F.xssBucket}`);
  await expect(page.getByTestId("raw-record")).toContainText(`"bucketName": "${F.xssBucket}"`);
  await expect(page.getByTestId("change-added")).toContainText("<script>window.__xss=1</script>");
  await page.goto(`/events?range=24h&f.eventID=${F.xssEvent}&cols=eventTime,userAgent,errorCode,errorMessage`);
  await expect(page.getByTestId("results").getByText(F.xssUserAgent, { exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator("img[src='x'], img[src='y']").count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test("an overview row leads to exactly the events it counts", async ({ page }) => {
  await page.goto("/overview?range=24h");
  const row = page.getByTestId("top-event-names").getByRole("row").nth(1);
  const counted = Number((await row.getByRole("cell").nth(2).getAttribute("title"))?.replace(/,/g, ""));
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/events\?from=.*&f\.eventName=/);
  await expect(page.getByTestId("match-count")).toHaveAttribute("data-value", String(counted));
});

test("pages by cursor, chooses columns, zooms in from the histogram", async ({ page }) => {
  await page.goto("/events?range=24h&limit=25");
  // Rows are told apart by the event they open (two events can read alike).
  const eventLinks = () => page.getByTestId("result-row").evaluateAll((rows) => rows.map((r) => r.querySelector('a[href^="/events/"]')?.getAttribute("href") ?? ""));
  const firstPage = await eventLinks();
  expect(firstPage).toHaveLength(25);
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/cursor=/);
  const secondPage = await eventLinks();
  expect(secondPage).toHaveLength(25);
  expect(secondPage.some((r) => firstPage.includes(r))).toBe(false);

  await page.getByTestId("column-chooser").locator("summary").click();
  await page.getByTestId("column-chooser").getByLabel("User agent").click();
  await expect(page).toHaveURL(/cols=[^&]*userAgent/);
  await expect(page.getByRole("columnheader", { name: "User agent" })).toBeVisible();

  await page.goto(`/events?range=24h&f.userIdentity.arn=${encodeURIComponent(F.aliceArn)}`);
  await page.locator(".recharts-bar-rectangle path").filter({ visible: true }).first().click();
  await expect(page).toHaveURL(/from=.*&to=/);
  const zoomed = await matchCount(page);
  expect(zoomed).toBeGreaterThan(0);
  expect(zoomed).toBeLessThan(5);
});

test("flow search filters by port and protocol and exports what it shows", async ({ page }) => {
  await page.goto("/flows?range=24h");
  await page.getByLabel("Field", { exact: true }).selectOption({ label: "Destination port" });
  await page.getByLabel("Value", { exact: true }).fill("22");
  await page.getByRole("button", { name: "Add filter" }).click();
  await expect(page).toHaveURL(/f\.dstport=22/);
  const total = await matchCount(page);
  expect(total).toBeGreaterThan(0);
  await expect(page.getByTestId("result-row").first()).toContainText("tcp (6)");

  const csv = await page.request.get((await page.getByTestId("export-csv").getAttribute("href"))!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("start,srcaddr,srcport,dstaddr,dstport,protocol,action,bytes,packets,interface-id");
  expect(lines).toHaveLength(total + 1);
  expect(lines.slice(1).every((l) => l.split(",")[4] === "22")).toBe(true);

  const api = await page.request.get("/api/flows?range=24h&f.dstport=22&f.protocol=tcp&limit=5");
  const body = (await api.json()) as { records: { fields: Record<string, unknown> }[]; nextCursor: string | null };
  expect(body.records).toHaveLength(Math.min(5, total));
  expect(body.records.every((r) => r.fields.dstport === 22 && r.fields.protocol === 6)).toBe(true);
  expect((await page.request.get("/api/flows?f.dstport=ssh")).status()).toBe(400);
});
