import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

/** Fills and submits the sign-in form on `page` (which must be at /login). */
export async function submitSignIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * A browser context with a session of its own (not the shared storage states), signed in through the
 * sign-in page as if from address `ip` (`X-Forwarded-For`), so a spec's sign-ins do not use up the rate
 * limit of 127.0.0.1 and ending this session leaves the other specs signed in.
 */
export async function signInAs(browser: Browser, baseURL: string, who: { email: string; password: string }, ip: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { "X-Forwarded-For": ip } });
  const page = await context.newPage();
  await page.goto("/login");
  await submitSignIn(page, who);
  await expect(page).toHaveURL(/\/overview/);
  await page.close();
  return context;
}

/** The sign-in form's error message (not Next's route announcer, which also has role=alert). */
export const signInError = (page: Page) => page.getByRole("form", { name: "Sign in" }).getByRole("alert");
