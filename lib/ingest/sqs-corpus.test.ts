import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { decodeMessage } from "./decode-message";
import { sampleBodies } from "./testdata/sample-bodies";
import type { DecodedMessage } from "./types";

/**
 * Census of every SQS sample in ../shared/samples/sqs: each file, or each body extracted from a
 * Lambda wrapper or LocalStack snapshot (testdata/sample-bodies.ts), must decode to objects, test
 * or ignored, or be rejected with a stated reason. Prints one table row per body.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SQS_SAMPLES = path.resolve(repoRoot, "../shared/samples/sqs");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

function summary(decoded: DecodedMessage): string {
  switch (decoded.type) {
    case "objects":
      return `${decoded.objects.length} object(s): ${decoded.objects.map((o) => `s3://${o.bucket}/${o.key}`).join(", ")}`;
    case "test":
      return `bucket ${decoded.bucket ?? "(none)"}`;
    default:
      return decoded.reason;
  }
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

test("every SQS sample decodes to objects, test or ignored, or is rejected with a reason", (t) => {
  assert.ok(existsSync(SQS_SAMPLES), `SQS samples folder not found at ${SQS_SAMPLES}: this test reads ../shared/samples/sqs beside the repository`);
  const files = filesUnder(SQS_SAMPLES);
  assert.ok(files.length > 0, `no files in ${SQS_SAMPLES}`);

  const counts: Record<DecodedMessage["type"], number> = { objects: 0, test: 0, ignored: 0, rejected: 0 };
  const problems: string[] = [];
  t.diagnostic(`${cut("file", 62)} | ${cut("body", 72)} | ${cut("result", 8)} | ${cut("shape", 19)} | detail`);

  for (const file of files) {
    const name = path.relative(SQS_SAMPLES, file);
    const bodies = sampleBodies(readFileSync(file, "utf8"));
    if (bodies.length === 0) problems.push(`${name}: no message body found`);

    for (const { source, body, rebuilt } of bodies) {
      const decoded = decodeMessage(body);
      counts[decoded.type] += 1;
      const where = `${name} ${source}`;
      t.diagnostic(`${cut(name, 62)} | ${cut(source + (rebuilt ? " *" : ""), 72)} | ${cut(decoded.type, 8)} | ${cut(decoded.shape, 19)} | ${summary(decoded)}`);

      if (decoded.type === "rejected" || decoded.type === "ignored") {
        if (decoded.reason.trim().length < 10) problems.push(`${where}: ${decoded.type} without a usable reason`);
      }
      if (decoded.type === "objects") {
        if (decoded.objects.length === 0) problems.push(`${where}: objects result with no object`);
        for (const o of decoded.objects) {
          if (o.bucket === "" || o.key === "") problems.push(`${where}: object without bucket or key`);
          if (o.size !== null && !(Number.isInteger(o.size) && o.size >= 0)) problems.push(`${where}: size ${o.size} is not a byte count`);
        }
      }
      // LocalStack recorded these messages from AWS itself: each must be understood.
      if (name.startsWith("localstack-snapshots/") && decoded.type === "rejected") problems.push(`${where}: AWS-recorded message rejected: ${decoded.reason}`);
      // A Lambda event-source wrapper is never an SQS body; the decoder must say so.
      if (source === "(file)" && /"(messageId|Sns)"/.test(body) && !(decoded.type === "rejected" && /Lambda/.test(decoded.reason))) {
        problems.push(`${where}: Lambda wrapper not rejected as such`);
      }
    }
  }

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  t.diagnostic(`${files.length} files, ${total} bodies (* = rebuilt from a parsed snapshot value): ${counts.objects} objects, ${counts.test} test, ${counts.ignored} ignored, ${counts.rejected} rejected`);
  assert.deepEqual(problems, [], `problems:\n${problems.join("\n")}`);
});
