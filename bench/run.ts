import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { formatBenchTable, RESULTS_DIR, type BenchResult, type BenchRow } from "./bench-result";

/**
 * `npm run bench [names…] [-- flags]`: runs each chosen benchmark (`bench/<name>.bench.ts`; default: all of them,
 * in name order) as its own child process, one after another, passing every `--flag` argument through
 * (e.g. `--quick`, `--keep`), then prints the rows of every `bench/results/<name>.json` it produced as one table.
 * Exits non-zero when a benchmark script fails; a goal that is missed is reported, not an error.
 */
const BENCH_DIR = import.meta.dirname;

export function benchNames(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".bench.ts"))
    .map((f) => f.slice(0, -".bench.ts".length))
    .sort();
}

function main(argv: string[]): number {
  const all = benchNames();
  // Bare words that name a benchmark choose it; everything else (`--quick`, `--events 300000`) is passed to each one.
  const run = argv.filter((a) => all.includes(a));
  const passThrough = argv.filter((a) => !all.includes(a));
  const unknown = passThrough.filter((a, i) => !a.startsWith("-") && !(passThrough[i - 1]?.startsWith("-") ?? false));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${all.join(", ")}`);
    return 2;
  }
  if (run.length === 0) run.push(...all);
  const rows: BenchRow[] = [];
  let failed = 0;
  for (const name of run) {
    console.log(`\n=== bench ${name} ${passThrough.join(" ")}`);
    const started = Date.now();
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, `${name}.bench.ts`), ...passThrough], { stdio: "inherit" });
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const file = path.join(RESULTS_DIR, `${name}.json`);
    if (child.status !== 0) {
      failed += 1;
      console.error(`bench ${name} failed (exit ${child.status ?? child.signal}) after ${seconds} s`);
      continue;
    }
    console.log(`bench ${name} finished in ${seconds} s`);
    if (existsSync(file)) {
      const result = JSON.parse(readFileSync(file, "utf8")) as BenchResult;
      rows.push(...result.rows);
    }
  }
  console.log(`\n=== all benchmarks (${run.join(", ")})\n${formatBenchTable(rows)}`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
