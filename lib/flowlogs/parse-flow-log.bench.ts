/**
 * Throughput of parseFlowLog on one core, against a baseline measured in the
 * same run: the same chunks decoded, split into lines and into values with no
 * validation (the work no parser can avoid).
 * Run: npx tsx lib/flowlogs/parse-flow-log.bench.ts [lines]
 * Input: the real default-format records of testdata/ repeated to `lines`
 * lines (default 1,000,000, about 130 MB), in 64 KiB chunks as a gunzip stream yields them.
 */
import { readFileSync } from "node:fs";
import { parseFlowLog } from "./parse-flow-log";

const lineCount = Number(process.argv[2] ?? 1_000_000);
const sample = readFileSync(
  new URL("./testdata/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log", import.meta.url),
  "utf8",
);
const [header, ...records] = sample.trim().split("\n");
const text = [header, ...Array.from({ length: lineCount }, (_, i) => records[i % records.length])].join("\n") + "\n";
const bytes = Buffer.from(text);
const chunks: Buffer[] = [];
for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));

async function* source(): AsyncGenerator<Buffer> {
  yield* chunks;
}

async function* baseline(input: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of input) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      yield text.slice(start, nl).split(" ");
      start = nl + 1;
    }
    rest = text.slice(start);
  }
}

async function measure(name: string, run: () => Promise<number>): Promise<number> {
  await run(); // warm-up
  const started = process.hrtime.bigint();
  const count = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = count / seconds;
  console.log(`${name.padEnd(12)} ${count} lines in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString("en")} lines/s`);
  return rate;
}

const base = await measure("baseline", async () => {
  let n = 0;
  for await (const values of baseline(source())) n += values.length > 0 ? 1 : 0;
  return n;
});
const parsed = await measure("parseFlowLog", async () => {
  let n = 0;
  for await (const result of parseFlowLog(source())) {
    if (!result.ok) throw new Error(result.rejection.reason);
    n += 1;
  }
  return n + 1; // the header line
});
console.log(`parseFlowLog / baseline = ${(parsed / base).toFixed(2)} (${(bytes.length / 1e6).toFixed(0)} MB input)`);
