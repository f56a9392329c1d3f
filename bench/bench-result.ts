import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The one shape every benchmark writes (`bench/results/<name>.json`) and `bench/run.ts` prints.
 * A figure sits beside the baseline measured in the same run (`baseline`, same unit), so the
 * ratio means something on a noisy machine; `goal` is the target for the ratio or the value.
 */
export interface BenchRow {
  /** Which part of the benchmark, e.g. "ingest", "memory", "reports 10M", "detection". */
  section: string;
  /** What was measured, e.g. "cloudtrail rows/s", "overview.kpis p95". */
  metric: string;
  value: number;
  /** "rows/s", "ms", "MB", … */
  unit: string;
  baseline?: { label: string; value: number };
  /** value / baseline.value (or the ratio the goal is stated in). */
  ratio?: number;
  /** The target in words, e.g. "≥ 0.8 of \\copy", "≤ 200 ms". */
  goal?: string;
  /** Whether the goal was met; absent when there is no goal. */
  met?: boolean;
  note?: string;
}

export interface BenchResult {
  name: string;
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres?: string };
  /** Parameters of the run (sizes, repetitions), so a figure can be reproduced. */
  parameters: Record<string, unknown>;
  rows: BenchRow[];
}

export const RESULTS_DIR = path.join(import.meta.dirname, "results");

export function machineInfo(postgres?: string): BenchResult["machine"] {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres };
}

/** Writes `bench/results/<name>.json` and prints the rows as a table on stdout. */
export function writeBenchResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(formatBenchTable(result.rows));
  return file;
}

/** Percentile (0–100) of samples by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const fmt = (n: number | undefined) => (n === undefined ? "" : Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 2 }));

export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ["section", "metric", "value", "unit", "baseline", "ratio", "goal", "met"];
  const body = rows.map((r) => [r.section, r.metric, fmt(r.value), r.unit, r.baseline ? `${r.baseline.label} ${fmt(r.baseline.value)}` : "", fmt(r.ratio), r.goal ?? "", r.met === undefined ? "" : r.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
