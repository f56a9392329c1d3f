import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium, type FullConfig } from "@playwright/test";
import { E2E_USERS, storageStateFor } from "./e2e-users";

export const STATE_FILE = path.join(import.meta.dirname, ".stack-state.json");

/**
 * Starts e2e/stack.ts (database, local SQS/S3, ingest through SQS, `next start`), signs in one user per
 * role through the sign-in page and keeps each one's browser state (e2e-users.ts), and stops the stack
 * after the run.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  rmSync(STATE_FILE, { force: true });
  const stack = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "stack.ts")], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, E2E_STATE_FILE: STATE_FILE, PORT: process.env.E2E_PORT ?? "3111" },
  });
  const stop = async () => {
    if (stack.exitCode === null) {
      const exited = new Promise((r) => stack.once("exit", r));
      stack.kill("SIGTERM");
      await exited;
    }
    rmSync(STATE_FILE, { force: true });
  };
  // A failed set-up stops the stack too: its server would hold the port for the next run.
  try {
    // The whole demo week goes through SQS and the worker: about a minute on 2 idle cores.
    const deadline = Date.now() + 420_000;
    while (!existsSync(STATE_FILE)) {
      if (stack.exitCode !== null) throw new Error(`e2e stack exited with code ${stack.exitCode}`);
      if (Date.now() > deadline) throw new Error("e2e stack did not come up within 420 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    const state = JSON.parse(readFileSync(STATE_FILE, "utf8")) as { url: string };
    mkdirSync(path.dirname(storageStateFor("admin")), { recursive: true });
    const browser = await chromium.launch(config.projects[0]!.use.launchOptions);
    try {
      for (const user of Object.values(E2E_USERS)) {
        const page = await browser.newPage({ baseURL: state.url });
        await page.goto("/login");
        await page.getByLabel("Email").fill(user.email);
        await page.getByLabel("Password").fill(user.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL("**/overview", { timeout: 60_000 });
        await page.context().storageState({ path: storageStateFor(user.role) });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
