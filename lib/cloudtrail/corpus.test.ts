/**
 * Runs the parser over every file of ../shared/samples/cloudtrail (real files
 * from AWS's library, Elastic, Panther, Wazuh, openregister) and checks that
 * each one is either parsed (at least one row) or rejected with a stated reason:
 * a CloudTrailFormatError message, or per-record rejections. Some files there are
 * not CloudTrail log files at all (a digest, an SNS message body, a Wazuh .ini,
 * a Panther .tsv index): being rejected with a reason is the right outcome.
 * Prints one line per file; fails listing every offender at once.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { CloudTrailFormatError } from "./cloudtrail-format-error";
import { parseAll, requireSharedSamples } from "./testdata/samples";

/** Outcomes pinned for files whose content we know; everything else only has to be explained. */
const EXPECTED: Record<string, string> = {
  "aws-cloudtrail-processing-library/SerializerTestFile.json": "0 rows, 6 rejected",
  "aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json": "0 rows, 2 rejected",
  "aws-cloudtrail-processing-library/SerializerTestFileCompact.json.gz": "0 rows, 6 rejected",
  "aws-cloudtrail-processing-library/SQSMessageBody": "format error",
  "elastic-beats/insight-json.log": "1 rows, 0 rejected",
  "elastic-integrations/test-cloudtrail-digest-json.log": "format error",
  "elastic-integrations/test-console-login-json.log": "3 rows, 0 rejected",
  "elastic-integrations/test-create-group-json.log": "4 rows, 0 rejected",
  "openregister-deployment/cloudtrail-logs-compressed.gz": "2 rows, 0 rejected",
  "openregister-deployment/cloudtrail-logs-uncompressed.log": "2 rows, 0 rejected",
  "panther-analysis/panther-aws-cloudtrail-rule-test-events.index.tsv": "format error",
  "panther-analysis/panther-aws-cloudtrail-rule-test-events.jsonl": "402 rows, 59 rejected",
  "wazuh/aws_cloudtrail.ini": "format error",
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : [full];
    })
    .sort();
}

interface Outcome {
  summary: string;
  detail: string;
  /** Why this file is neither parsed nor rejected with a reason; null when it is. */
  offence: string | null;
}

async function outcomeOf(bytes: Buffer): Promise<Outcome> {
  // Gzip is recognised by its magic bytes, never by the file name.
  const input = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  try {
    const { rows, rejections } = await parseAll(input, undefined, 4096);
    const reasons = new Map<string, number>();
    for (const r of rejections) {
      // Group by reason without its "record N:" / "line N:" label.
      const reason = r.reason.slice(r.reason.indexOf(": ") + 2);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const detail = [...reasons].map(([reason, n]) => `${n}× ${reason}`).join("; ");
    const unexplained = rejections.filter((r) => !/^(record|line|after|before|end of file)\b.*: \S/.test(r.reason));
    return {
      summary: `${rows.length} rows, ${rejections.length} rejected`,
      detail,
      offence:
        rows.length === 0 && rejections.length === 0
          ? "no rows, no rejections and no error"
          : unexplained.length > 0
            ? `rejections without a reason: ${JSON.stringify(unexplained[0])}`
            : null,
    };
  } catch (error) {
    if (error instanceof CloudTrailFormatError && error.message.length > 0) {
      return { summary: "format error", detail: error.message, offence: null };
    }
    return { summary: "crash", detail: String(error), offence: `threw something other than CloudTrailFormatError: ${String(error)}` };
  }
}

test("every file under ../shared/samples/cloudtrail is parsed or rejected with a stated reason", async (t) => {
  const root = path.join(requireSharedSamples(), "cloudtrail");
  assert.ok(existsSync(root), `the samples folder ${root} is missing`);
  const files = filesUnder(root);
  assert.ok(files.length > 0, `the samples folder ${root} is empty`);

  const offenders: string[] = [];
  const lines: string[] = [];
  let parsed = 0;
  let rejected = 0;
  for (const file of files) {
    const name = path.relative(root, file);
    const outcome = await outcomeOf(readFileSync(file));
    lines.push(`${name} → ${outcome.summary}${outcome.detail ? ` / ${outcome.detail}` : ""}`);
    if (outcome.offence) offenders.push(`${name}: ${outcome.offence}`);
    const expected = EXPECTED[name];
    if (expected !== undefined && expected !== outcome.summary) {
      offenders.push(`${name}: expected "${expected}", got "${outcome.summary}" (${outcome.detail})`);
    }
    if (outcome.summary.startsWith("0 rows") || outcome.summary === "format error") rejected++;
    else parsed++;
  }
  for (const line of lines) t.diagnostic(line);
  t.diagnostic(`${files.length} files: ${parsed} parsed (≥1 row), ${rejected} rejected with a reason`);

  const missing = Object.keys(EXPECTED).filter((name) => !files.includes(path.join(root, name)));
  assert.deepEqual(missing, [], "pinned sample files not found");
  assert.deepEqual(offenders, []);
});
