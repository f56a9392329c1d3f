import { expect, test, type Page } from "@playwright/test";
import { XSS_CORPUS as C } from "./xss-corpus";

// The XSS corpus (e2e/xss-corpus.ts), ingested through S3 + SQS by e2e/stack.ts, on every page that can
// show it. A page fails when a payload ran (`__xss` called, a dialog opened, the CSP reported a blocked
// script or style), when any element or attribute from a payload is in the DOM, or when any link points at
// a `javascript:` / `data:` URL — and each page must show the payload text, so it cannot pass by not
// rendering the data.

interface Probe {
  __xssHits: string[];
  __cspViolations: string[];
  __xss: (id: string) => void;
}

/** Selectors no page of ours renders and every payload would create, had it become markup. */
const INJECTED = [
  "[data-xss]", "xss-marker", "iframe", "object", "embed", "base", "math", "mglyph", "details[ontoggle]", "img[src='x']",
  "[onerror]", "[onload]", "[onfocus]", "[onmouseover]", "[ontoggle]", "form[action^='javascript' i]",
].join(", ");

const dialogs: string[] = [];
test.beforeEach(async ({ page }) => {
  dialogs.length = 0;
  page.on("dialog", async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as Probe;
    w.__xssHits = [];
    w.__cspViolations = [];
    w.__xss = (id) => void w.__xssHits.push(String(id));
    document.addEventListener("securitypolicyviolation", (e) => void w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}: ${e.sample}`));
  });
});

/** Fails on any sign that a payload ran or became markup on the current page. */
async function expectNothingInjected(page: Page): Promise<void> {
  // Pages that poll never go network-idle; every payload that could run on its own would have run by `load`.
  await page.waitForLoadState("load");
  const found = await page.evaluate((injected) => {
    const w = window as unknown as Probe;
    const elements = [...document.querySelectorAll(injected)].map((e) => e.outerHTML.slice(0, 160));
    const urls = [...document.querySelectorAll("[href], [src], [action], [formaction]")].flatMap((e) =>
      ["href", "src", "action", "formaction"]
        .map((a) => e.getAttribute(a))
        .filter((v): v is string => v !== null && /^[\s\u0000-\u001f]*(javascript|vbscript|data):/i.test(v))
        .map((v) => `<${e.tagName.toLowerCase()}> ${v.slice(0, 80)}`),
    );
    return { ran: w.__xssHits, cspViolations: w.__cspViolations, elements, urls };
  }, INJECTED);
  expect(found, `on ${page.url()}`).toEqual({ ran: [], cspViolations: [], elements: [], urls: [] });
  expect(dialogs, `on ${page.url()}`).toEqual([]);
}

/** Visits `path`, expects each text somewhere in the page's main content, then that nothing was injected. */
async function visit(page: Page, path: string, texts: string[]): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  for (const text of texts) await expect(page.locator("main"), `${path} shows ${JSON.stringify(text)}`).toContainText(text);
  await expectNothingInjected(page);
}

test("reports show the corpus as text and run none of it", async ({ page }) => {
  test.setTimeout(120_000);
  await visit(page, "/overview?range=24h", [C.eventName, C.userArn]);
  await visit(page, "/logins?range=24h", [C.userName]);
  await visit(page, "/iam?range=24h", [C.keyTarget, C.roleName]);
  await visit(page, "/network?range=24h", [C.interfaceId, C.vpcId]);
  await visit(page, "/s3?range=24h", [C.bucket]);
});

test("event and flow searches, and every corpus event's page, show the corpus as text", async ({ page }) => {
  test.setTimeout(120_000);
  const cols = "eventTime,eventName,eventSource,userIdentity.arn,userIdentity.userName,sourceIPAddress,userAgent,errorCode,errorMessage";
  await visit(page, `/events?range=24h&f.eventID=${C.eventIdPrefix}*&cols=${cols}&limit=200`, [C.eventName, C.userAgent, C.userArn, C.errorMessage]);
  await visit(page, `/events?range=24h&f.userAgent=${encodeURIComponent(`=${C.userAgent}`)}`, [C.userArn]);
  await visit(page, `/flows?range=24h&f.srcaddr=${C.flowSrcaddr}&cols=start,srcaddr,interface-id,vpc-id,subnet-id,instance-id,flow-direction,type,log-status`, [C.interfaceId, C.vpcId]);
  for (const id of C.eventIds) {
    await visit(page, `/events/${C.account}/${id}`, [C.userAgent]);
    await expect(page.getByTestId("raw-record")).toContainText(`"eventID": "${id}"`);
  }
  await visit(page, `/events/${C.account}/xss-corpus-session`, [C.sessionName, C.roleName]);
  await visit(page, `/events/${C.account}/xss-corpus-key`, [C.keyTarget]);
});

test("alerts raised on corpus events show the hostile principal as text", async ({ page }) => {
  test.setTimeout(120_000);
  type AlertRow = { id: string; ruleId: string; eventIds: unknown[] };
  const { alerts } = (await (await page.request.get("/api/alerts?state=all&limit=500")).json()) as { alerts: AlertRow[] };
  const ofCorpus = (a: AlertRow) => JSON.stringify(a.eventIds).includes(C.eventIdPrefix);
  const corpus = alerts.filter(ofCorpus);
  expect(corpus.map((a) => a.ruleId)).toEqual(expect.arrayContaining(["cis-03-console-login-without-mfa", "iam-access-key-created-for-another-user"]));
  await visit(page, "/alerts?state=all", [C.userArn]);
  for (const alert of corpus) await visit(page, `/alerts/${alert.id}`, [C.userName]);
  // Alerts on the stack's other hostile events (a trail stopped by a principal named as markup): nothing runs there either.
  for (const alert of alerts.filter((a) => !ofCorpus(a) && JSON.stringify(a).includes("__xss"))) await visit(page, `/alerts/${alert.id}`, []);
});

test("the rule editor's value suggestions hold the corpus as values, not markup", async ({ page }) => {
  await visit(page, "/rules", []);
  await visit(page, "/rules/new", []);
  await page.getByLabel("Condition 1 field").fill("userAgent");
  await page.getByLabel("Condition 1 field").blur();
  const values = await page.getByLabel("Condition 1 value", { exact: true }).getAttribute("list");
  await expect.poll(() => page.locator(`datalist[id="${values}"] option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toContain(C.userAgent);
  await expectNothingInjected(page);
});

test("ingest, ledger and health pages show hostile S3 keys and refused records as text", async ({ page }) => {
  const ledgerKey = (key: string) => key.split("/").at(-1)!;
  await visit(page, "/ingest", [ledgerKey(C.cloudTrailKey)]);
  await expect(page.locator("main")).toContainText("no eventID");
  await expect(page.locator("main")).toContainText("names 29 fields");
  await visit(page, "/ledger", [ledgerKey(C.cloudTrailKey), ledgerKey(C.flowKey)]);
  await visit(page, "/health", []);
});

test("exports and raw downloads are served as data, never as a page", async ({ request }) => {
  const exported = [
    [`/api/events/export?format=csv&range=24h&f.eventID=${C.eventIdPrefix}*`, /^text\/csv/],
    [`/api/events/export?format=json&range=24h&f.eventID=${C.eventIdPrefix}*`, /^application\/json/],
    [`/api/flows/export?format=csv&range=24h&f.srcaddr=${C.flowSrcaddr}`, /^text\/csv/],
    [`/api/events/${C.account}/xss-corpus-api?download=1`, /^application\/json/],
  ] as const;
  for (const [path, type] of exported) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toMatch(type);
    expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
    expect(res.headers()["content-disposition"] ?? "", path).toMatch(/^attachment/);
    expect(await res.text(), path).toContain("__xss");
  }
  const api = await request.get(`/api/events?range=24h&f.eventID=${C.eventIdPrefix}*`);
  expect(api.headers()["content-type"]).toMatch(/^application\/json/);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});
