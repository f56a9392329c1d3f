/**
 * Every real flow-log sample in ../shared/samples is either parsed (at least one
 * row, any rejected line with its reason) or refused as a whole with a stated
 * reason. Nothing may crash, pass silently, or vanish without a reason.
 * Without ../shared/samples this test fails, saying so.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { FlowLogFormatError, parseFlowLog } from "./parse-flow-log";
import { requireSharedSamples } from "./testdata/samples";

/** Folders of ../shared/samples holding flow logs (the second: AWS docs examples assembled into files). */
const ROOTS = ["vpcflow", "aws-docs/extracted-vpcflow"];

/**
 * What each known sample must give: "N rows", "N rows, M rejected", or the start
 * of the FlowLogFormatError message. A new sample not listed here still has to
 * pass the general rule.
 */
const NO_HEADER = "the file has no header line naming its fields";
const PARQUET = "Parquet flow logs are not supported yet";
const EXPECTED: Record<string, string> = {
  "vpcflow/elastic-beats/accept-reject-traffic.log": "4 rows",
  "vpcflow/elastic-beats/bad.log": NO_HEADER,
  "vpcflow/elastic-beats/custom-nat-gateway.log": "2 rows",
  "vpcflow/elastic-beats/custom-transit-gateway.log": NO_HEADER,
  "vpcflow/elastic-beats/ipv6.log": NO_HEADER,
  "vpcflow/elastic-beats/no-data-skip-data.log": NO_HEADER,
  "vpcflow/elastic-beats/tcp-flag-sequence-skip-data.log": "2 rows",
  "vpcflow/elastic-beats/tcp-flag-sequence.log": "1 rows",
  "vpcflow/elastic-integrations/test-ecs-samples.log": NO_HEADER,
  "vpcflow/elastic-integrations/test-extra-samples.log": NO_HEADER,
  "vpcflow/elastic-integrations/test-tcp-flag-sequence.log": "3 rows",
  "vpcflow/elastic-integrations/test-tgw-samples.log": NO_HEADER,
  "vpcflow/elastic-integrations/test-v5-all-fields.log": NO_HEADER,
  "vpcflow/elastic-integrations/test-v5-all-fields.log-expected.json": NO_HEADER,
  "vpcflow/elastic-integrations/test-v8-samples.log": NO_HEADER,
  "vpcflow/elastic-integrations/test-with-message-field.log": NO_HEADER,
  "vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log": "5 rows",
  "vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T2025Z_55a7d2af.log": "5 rows",
  "vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-3_fl-032a163fae170ae52_20220831T1255Z_2ad4bef5.parquet": PARQUET,
  "vpcflow/sekoia-automation-library/test_parquet.parquet": PARQUET,
  "vpcflow/sekoia-automation-library/test_parquet_result.json": NO_HEADER,
  "aws-docs/extracted-vpcflow/docs-custom-nat-gateway.log": "4 rows, 2 rejected",
  "aws-docs/extracted-vpcflow/docs-custom-v3-tcp-flags.log": "8 rows",
  "aws-docs/extracted-vpcflow/docs-custom-v3-transit-gateway.log": "4 rows",
  "aws-docs/extracted-vpcflow/docs-custom-v5-traffic-path-flow-direction.log": "2 rows",
  "aws-docs/extracted-vpcflow/docs-default-v2-records.log": "7 rows",
};

interface Outcome {
  file: string;
  bytes: number;
  /** "N rows[, M rejected]" or the FlowLogFormatError message. */
  summary: string;
  rows: number;
  /** The first rejection's reason, or the format error. */
  reason: string;
  error: FlowLogFormatError | null;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

async function outcomeOf(samples: string, file: string): Promise<Outcome> {
  const raw = readFileSync(file);
  // As lib/ingest does: gzip is recognised by its magic bytes, never by the name.
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const name = path.relative(samples, file);
  let rows = 0;
  const reasons: string[] = [];
  try {
    for await (const result of parseFlowLog((async function* () { yield bytes; })())) {
      if (result.ok) rows += 1;
      else {
        assert.match(result.rejection.reason, new RegExp(`^line ${result.rejection.position}: \\S`), `${name}: a rejection names its line`);
        reasons.push(result.rejection.reason);
      }
    }
  } catch (error) {
    // Anything but a FlowLogFormatError is a crash, not a reason.
    if (!(error instanceof FlowLogFormatError)) throw new Error(`${name}: ${String(error)}`, { cause: error });
    return { file: name, bytes: raw.length, summary: error.message, rows: 0, reason: error.message, error };
  }
  const summary = reasons.length > 0 ? `${rows} rows, ${reasons.length} rejected` : `${rows} rows`;
  return { file: name, bytes: raw.length, summary, rows, reason: reasons[0] ?? "", error: null };
}

test("every flow-log sample is parsed or refused with a stated reason", async (t) => {
  const samples = requireSharedSamples();
  const files = ROOTS.flatMap((root) => walk(path.join(samples, root)));
  assert.ok(files.length >= 20, `expected the flow-log samples under ${samples}, found ${files.length} files`);

  const outcomes: Outcome[] = [];
  for (const file of files) outcomes.push(await outcomeOf(samples, file));

  const width = Math.max(...outcomes.map((o) => o.file.length));
  t.diagnostic(`${"file".padEnd(width)}  ${"bytes".padStart(6)}  outcome`);
  for (const o of outcomes) {
    const shown = o.error ? `refused: ${o.reason.slice(0, 110)}` : `${o.summary}${o.reason ? ` (first: ${o.reason})` : ""}`;
    t.diagnostic(`${o.file.padEnd(width)}  ${String(o.bytes).padStart(6)}  ${shown}`);
  }
  const parsed = outcomes.filter((o) => o.rows > 0).length;
  t.diagnostic(`${outcomes.length} files: ${parsed} parsed, ${outcomes.length - parsed} refused with a reason`);

  // List every offender at once rather than stopping at the first.
  const offenders: string[] = [];
  for (const o of outcomes) {
    if (o.rows === 0 && !o.error) offenders.push(`${o.file}: neither parsed nor refused with a reason (${o.summary})`);
    if (o.error && o.error.message.trim().length < 20) offenders.push(`${o.file}: refused without a useful reason`);
    const head = readFileSync(path.join(samples, o.file)).subarray(0, 4).toString("latin1");
    if (head === "PAR1" && !o.summary.startsWith(PARQUET)) offenders.push(`${o.file}: Parquet not refused as such (${o.summary})`);
    if (o.file.endsWith(".json") && !o.error) offenders.push(`${o.file}: JSON is not a flow log, yet it was parsed`);
    const expected = EXPECTED[o.file];
    if (expected !== undefined && !o.summary.startsWith(expected)) offenders.push(`${o.file}: expected "${expected}", got "${o.summary}"`);
  }
  for (const file of Object.keys(EXPECTED)) {
    if (!outcomes.some((o) => o.file === file)) offenders.push(`${file}: listed in EXPECTED but missing from ${samples}`);
  }
  assert.deepEqual(offenders, []);
});
