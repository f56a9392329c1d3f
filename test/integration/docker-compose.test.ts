import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "../support/samples";

const run = promisify(execFile);
const SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef";

// No Docker engine runs here; Debian's docker-compose (installed by .ci/run) still
// validates and normalises the file, so it cannot rot unnoticed.
test("docker-compose.yml is valid and has the production shape plus a demo profile", async () => {
  const { stdout } = await run("docker-compose", ["config"], { cwd: REPO_ROOT, env: { ...process.env, TRAILWATCH_SQS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/111122223333/q", TRAILWATCH_SECRET: SECRET } }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new Error("docker-compose is not installed: `apt-get install -y docker-compose` (.ci/run does it)");
    throw error;
  });
  for (const service of ["postgres:", "migrate:", "worker:", "web:", "demo:"]) assert.match(stdout, new RegExp(`^  ${service}`, "m"), service);
  assert.match(stdout, /condition: service_completed_successfully/, "worker and web wait for the migration");
  assert.match(stdout, /TRAILWATCH_SQS_QUEUE_URL: https:\/\/sqs\.us-east-1\.amazonaws\.com\/111122223333\/q/);
  // Sessions and API tokens are keyed by the installation secret: web, worker and migrate must share one.
  assert.equal(stdout.split(`TRAILWATCH_SECRET: ${SECRET}`).length - 1, 4, "the same TRAILWATCH_SECRET in migrate, worker, web and demo");
  assert.match(stdout, /^  demo:\n(?:    .*\n|    - .*\n|      .*\n)*?    profiles:\n    - demo$/m, "the demo runs only with --profile demo");
});
