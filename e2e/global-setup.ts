import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

export const STATE_FILE = path.join(import.meta.dirname, ".stack-state.json");

/** Starts e2e/stack.ts (database, local SQS/S3, ingest through SQS, `next start`) and stops it after the run. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  rmSync(STATE_FILE, { force: true });
  const stack = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "stack.ts")], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, E2E_STATE_FILE: STATE_FILE, PORT: process.env.E2E_PORT ?? "3111" },
  });
  // The whole demo week goes through SQS and the worker: about a minute on 2 idle cores.
  const deadline = Date.now() + 420_000;
  while (!existsSync(STATE_FILE)) {
    if (stack.exitCode !== null) throw new Error(`e2e stack exited with code ${stack.exitCode}`);
    if (Date.now() > deadline) throw new Error("e2e stack did not come up within 420 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  JSON.parse(readFileSync(STATE_FILE, "utf8"));
  return async () => {
    const exited = new Promise((r) => stack.once("exit", r));
    stack.kill("SIGTERM");
    await exited;
    rmSync(STATE_FILE, { force: true });
  };
}
