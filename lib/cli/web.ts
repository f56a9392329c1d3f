import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { childEnv } from "../config";
import type { Logger } from "../log";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

/** Builds the Next.js app unless a production build is already there (`.next/BUILD_ID`). */
export async function ensureWebBuild(log: Logger): Promise<void> {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  log.info("no production build yet: running `next build` (about a minute on 2 cores)");
  await waitForExit(spawn(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: "inherit", env: childEnv({}) }), "next build");
}

/**
 * Starts `next start` on 127.0.0.1 (or all interfaces with `host`) as a child process
 * pointed at `databaseUrl` (with `env`'s extra variables), and resolves once it answers HTTP.
 */
export async function startWeb(options: { databaseUrl: string; port: number; host?: string; log: Logger; env?: Record<string, string> }): Promise<{ url: string; child: ChildProcess }> {
  const host = options.host ?? "127.0.0.1";
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(options.port), "-H", host], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: childEnv({ ...options.env, DATABASE_URL: options.databaseUrl, PORT: String(options.port) }),
  });
  const url = `http://${host === "0.0.0.0" ? "localhost" : host}:${options.port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status < 500) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`next start did not answer on ${url} within 60 s`);
}

function waitForExit(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with code ${code}`))));
  });
}
