import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const BIN = path.resolve(import.meta.dirname, "../../bin/trailwatch.mjs");

/**
 * Every module `trailwatch worker` imports before it starts work: the command is run with a module
 * resolve hook that records each URL, and no queue configured, so it stops at its first setting check,
 * after its imports (workers/ingest.ts included) are loaded.
 */
async function workerModules(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tw-worker-imports-"));
  try {
    const log = path.join(dir, "modules.txt");
    writeFileSync(log, "");
    const hooks = path.join(dir, "hooks.mjs");
    writeFileSync(
      hooks,
      `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}
`,
    );
    const register = path.join(dir, "register.mjs");
    writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, TRAILWATCH_SQS_QUEUE_URL: "", AWS_REGION: "us-east-1", TRAILWATCH_DATA_DIR: dir };
    const exit = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, ["--import", pathToFileURL(register).href, BIN, "worker"], { env }, () => undefined);
      child.on("exit", (code) => resolve(code));
    });
    assert.equal(exit, 1, "the worker stops at its missing queue setting");
    return readFileSync(log, "utf8").split("\n").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("trailwatch worker loads none of the modules only other commands or notification channels use", async () => {
  const modules = await workerModules();
  assert.ok(modules.some((m) => m.endsWith("/workers/ingest.ts")), "the worker's own module was loaded (else this test proves nothing)");
  assert.ok(modules.some((m) => m.includes("/node_modules/@aws-sdk/client-sqs/")), "and the SQS client it needs");
  // What each of these belongs to: the demo (fauxqs, its generators), the web app (next, react, Better Auth),
  // the users command (argon2), `rules test`, and the email and SNS notification channels.
  const forbidden = [
    "/node_modules/fauxqs/",
    "/node_modules/next/",
    "/node_modules/react/",
    "/node_modules/better-auth/",
    "/node_modules/@node-rs/argon2/",
    "/node_modules/nodemailer/",
    "/node_modules/@aws-sdk/client-sns/",
    "/lib/cli/demo.ts",
    "/lib/demo/",
    "/lib/cli/web.ts",
    "/lib/detect/test-rule-examples.ts",
  ];
  const loaded = modules.filter((m) => forbidden.some((f) => m.includes(f)));
  assert.deepEqual([...new Set(loaded.map((m) => forbidden.find((f) => m.includes(f))))], [], `loaded by trailwatch worker:\n${[...new Set(loaded)].join("\n")}`);
});
