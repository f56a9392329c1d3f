import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { SESSION_OPTIONS } from "../lib/db/pool";
import type { Queryable } from "../lib/db/queryable";
import * as iamAudit from "../lib/reports/iam-audit";
import * as loginAudit from "../lib/reports/login-audit";
import * as network from "../lib/reports/network";
import * as overview from "../lib/reports/overview";
import type { ReportScope } from "../lib/reports/report-filters";
import { markRollupHours, refreshRollups } from "../lib/reports/rollups";
import * as s3DataEvents from "../lib/reports/s3-data-events";
import { parseSearch } from "../lib/search/parse-search";
import { searchPage } from "../lib/search/search-records";
import { eventSearchHref } from "../lib/search/search-url";
import { machineInfo, percentile, writeBenchResult, type BenchRow } from "./bench-result";
import { generateReportData, type GenerateTimings } from "./generate-report-data";

/**
 * Report latency vs data size (issue 9, item 3) and the event-search first page.
 *
 * For each size (default 100k events + 500k flow records, then 10M events + 50M flow records over
 * 30 days) it creates a `tw_bench_reports_*` database, migrates it with the project's migrations,
 * fills it with bench/generate-report-data.ts, and times every panel function of every report
 * module (found from the modules' exports, so a new panel is timed without editing this file) and
 * `searchPage` for the common filters, over the last 30 days and the last 24 hours (ending at the data's end, or a
 * minute before it when that is a whole 5 minutes), and the refresh of the data's
 * last hour (what the worker runs every 10 s while data flows; no goal): `--runs` warm
 * runs after one untimed run, p50 / p95 of the wall time of the server-side function. The large
 * size's p95 is reported against the small size's p95 measured in the same run.
 *
 *   node --import tsx bench/report-latency.bench.ts [--quick] [--keep] [--events 10000000] [--flows 50000000]
 *        [--small-events 100000] [--small-flows 500000] [--runs 10] [--budget-seconds 20] [--parallel 2]
 *        [--small-database tw_bench_reports_… --database tw_bench_reports_…]   (measure kept databases again)
 *        [--only <regex>]   (just the panels and search cases whose name matches)
 *
 * A panel's runs stop once they took `--budget-seconds` (at least 3 runs; 1 when one run takes over a
 * third of the budget; none after the untimed one when it took longer than the budget: then that run is
 * the figure, "0 runs"), so a 30 s query does not hold the bench for hours. Ratios treat p95s under 5 ms as 5 ms.
 */

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    events: { type: "string" },
    flows: { type: "string" },
    "small-events": { type: "string" },
    "small-flows": { type: "string" },
    runs: { type: "string" },
    "budget-seconds": { type: "string" },
    parallel: { type: "string", default: "2" },
    days: { type: "string", default: "30" },
    database: { type: "string" },
    only: { type: "string" },
    "small-database": { type: "string" },
  },
});

const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v.replace(/_/g, "")));
const quick = args.quick === true;
/** "100k", "10M": a size's label, from its event count. */
const sizeLabel = (events: number) => (events >= 1e6 ? `${+(events / 1e6).toFixed(1)}M` : `${+(events / 1e3).toFixed(1)}k`);
const SIZES = [
  { events: num(args["small-events"], quick ? 20_000 : 100_000), flows: num(args["small-flows"], quick ? 100_000 : 500_000) },
  { events: num(args.events, quick ? 200_000 : 10_000_000), flows: num(args.flows, quick ? 1_000_000 : 50_000_000) },
].map((s) => ({ ...s, label: sizeLabel(s.events) }));
/** `--only <regex>`: time just the panels (and search cases) whose name matches, e.g. `^overview\.` or `search`. */
const ONLY = args.only ? new RegExp(args.only) : null;
// A database kept by an earlier run (`--keep`) is measured again as it is, without generating: `--small-database`, `--database`.
const REUSE = [args["small-database"], args.database];
const RUNS = num(args.runs, quick ? 5 : 10);
/** A panel stops repeating once its runs took this long (at least 3 runs are kept): 10 runs of a 30 s query would take hours. */
const BUDGET_MS = num(args["budget-seconds"], quick ? 10 : 20) * 1000;
const PARALLEL = num(args.parallel, 2);
const DAYS = num(args.days, 30);

/** The timing of one hour's refresh (no goal; see measureSize). */
const REFRESH_KEY = "refresh: the last hour";
const GOAL_MS = 200;
const GOAL_RATIO = 2;
const SEARCH_GOAL_MS = 300;
const NOISE_FLOOR_MS = 5;

type Panel = (scope: ReportScope, db: Queryable) => Promise<unknown>;

// Exports of the report modules that are not panels over a scope (helpers with other parameters).
const NOT_PANELS = new Set(["changeCategories", "sessionArnOf"]);
// Panels with a required option beyond the scope.
const PANEL_OPTIONS: Record<string, Record<string, unknown>> = { topTalkers: { by: "bytes" } };

/**
 * Every panel of every report: each exported function of a report module that takes (scope, db),
 * named `<module>.<function>`; the module's whole-report function (`*Report`) is timed too, as `… (all panels)`.
 */
function reportPanels(): { name: string; run: Panel }[] {
  const modules = { overview, "login-audit": loginAudit, "iam-audit": iamAudit, network, "s3-data-events": s3DataEvents } as Record<string, Record<string, unknown>>;
  const panels: { name: string; run: Panel }[] = [];
  for (const [moduleName, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== "function" || NOT_PANELS.has(name) || value.length < 1) continue;
      const fn = value as (scope: ReportScope, db: Queryable) => Promise<unknown>;
      const extra = PANEL_OPTIONS[name] ?? {};
      panels.push({ name: `${moduleName}.${name}${/Report$/.test(name) ? " (all panels)" : ""}`, run: (scope, db) => fn({ ...scope, ...extra }, db) });
    }
  }
  return panels;
}

interface Timing {
  p50: number;
  p95: number;
  runs: number;
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
  const w0 = performance.now();
  await fn(); // warm: plan cache, buffers
  const warm = performance.now() - w0;
  // A query slower than the whole budget is timed by its warm run alone (cold caches: a pessimistic figure),
  // one slower than a third of it gets one timed run: its p95 is far off any goal anyway.
  if (warm > BUDGET_MS) return { p50: warm, p95: warm, runs: 0 };
  const minimum = warm > BUDGET_MS / 3 ? 1 : 3;
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (samples.length >= minimum && performance.now() - started > BUDGET_MS) break;
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), runs: samples.length };
}

function adminUrl(): string {
  return process.env.TRAILWATCH_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Search filters the issue names, with values picked from the data (a busy one, so the first page is full). */
async function searchCases(db: Queryable, from: Date, to: Date): Promise<{ name: string; query: ReturnType<typeof parseSearch> }[]> {
  const pick = async (column: string) => {
    const { rows } = await db.query(
      `SELECT ${column} AS v FROM cloudtrail_events WHERE event_time >= $1 AND ${column} IS NOT NULL
        GROUP BY 1 ORDER BY count(*) DESC OFFSET 5 LIMIT 1`,
      [new Date(to.getTime() - 86_400_000)],
    );
    return String(rows[0]?.v ?? "");
  };
  const [arn, name, ip] = [await pick("user_identity_arn"), await pick("event_name"), await pick("source_ip_address")];
  const query = (include: Record<string, string>) => parseSearch("cloudtrail", new URL(eventSearchHref({ from, to, include, exclude: {} }), "http://x").searchParams);
  return [
    { name: "time range only", query: query({}) },
    { name: "userIdentity.arn", query: query({ "userIdentity.arn": arn }) },
    { name: "eventName", query: query({ eventName: name }) },
    { name: "sourceIPAddress", query: query({ sourceIPAddress: ip }) },
    { name: "eventName + sourceIPAddress", query: query({ eventName: name, sourceIPAddress: ip }) },
  ];
}

type Measured = Map<string, Timing>;

/** What a generated database holds, stored as its comment so a kept database can be measured again. */
interface Generated {
  events: number;
  flows: number;
  /** The instant the data ends at (ISO, UTC): the ranges measured are the last 30 days and 24 hours before it. */
  end: string;
  load: GenerateTimings & { bytes: number };
}

/** What a database kept by an earlier run holds (its comment). Throws when it was not made by this bench. */
async function storedGeneration(pool: pg.Pool, name: string): Promise<Generated> {
  const { rows } = await pool.query("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = current_database()");
  const generated = JSON.parse(String(rows[0]?.c ?? "null")) as Generated | null;
  if (!generated?.end) throw new Error(`database ${name} was not generated by this bench (no comment)`);
  console.error(`[report-latency] ${name}: measuring ${generated.events.toLocaleString("en-US")} events, ${generated.flows.toLocaleString("en-US")} flow records ending ${generated.end}`);
  return generated;
}

/** Fills the migrated database `name` with `size`'s data ending at `end` and records what it holds as its comment. */
async function generate(pool: pg.Pool, name: string, size: (typeof SIZES)[number], end: Date): Promise<Generated> {
  console.error(`[report-latency] ${name}: generating ${size.events.toLocaleString("en-US")} events, ${size.flows.toLocaleString("en-US")} flow records`);
  let last = 0;
  const timings = await generateReportData(pool, {
    events: size.events,
    flows: size.flows,
    days: DAYS,
    end,
    parallel: PARALLEL,
    progress: (line) => {
      if (Date.now() - last > 15_000) {
        last = Date.now();
        console.error(`[report-latency]   ${line}`);
      }
    },
  });
  const bytes = Number((await pool.query("SELECT pg_database_size(current_database()) AS b")).rows[0].b);
  console.error(`[report-latency]   loaded in ${(timings.cloudtrailSeconds + timings.flowSeconds + timings.indexSeconds + timings.analyzeSeconds).toFixed(0)} s, ${(bytes / 2 ** 30).toFixed(1)} GiB`);
  const generated: Generated = { events: size.events, flows: size.flows, end: end.toISOString(), load: { ...timings, bytes } };
  await pool.query(`COMMENT ON DATABASE ${name} IS ${pg.escapeLiteral(JSON.stringify(generated))}`);
  return generated;
}

async function measureSize(size: (typeof SIZES)[number], end: Date, reuse: string | undefined): Promise<{ measured: Measured; load: GenerateTimings & { bytes: number }; size: typeof size }> {
  const name = reuse ?? `tw_bench_reports_${size.label.toLowerCase()}_${randomBytes(3).toString("hex")}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  if (!reuse) await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  // The app's own connection settings (lib/db/pool.ts), so panels run as they do in production.
  const pool = new pg.Pool({ connectionString: url.toString(), max: Math.max(PARALLEL, 6), options: `-c TimeZone=UTC ${SESSION_OPTIONS}` });
  try {
    await migrate(url.toString());
    const generated = reuse ? await storedGeneration(pool, name) : await generate(pool, name, size, end);
    // A kept database migrated to a newer catalogue has every hour dirty: rebuild before timing, as the worker's
    // background refresh would, so the first panel's warm run is not the rebuild.
    const r0 = performance.now();
    const hours = await refreshRollups(pool);
    if (hours > 0) console.error(`[report-latency] ${name}: rollups and slices of ${hours} hours rebuilt in ${((performance.now() - r0) / 1000).toFixed(0)} s`);
    end = new Date(generated.end);
    size = { events: generated.events, flows: generated.flows, label: sizeLabel(generated.events) };
    const load = generated.load;

    const measured: Measured = new Map();
    const measure = async (key: string, run: () => Promise<unknown>) => {
      const timing = await time(run);
      measured.set(key, timing);
      console.error(`[report-latency]   ${key}: p95 ${timing.p95.toFixed(1)} ms (${timing.runs} runs)`);
    };
    // A range ending on a whole 5 minutes reads no raw records at its edges (lib/reports/grains.ts); "now" lies inside
    // 5 minutes four times in five, so data ending on one is read as ending a minute earlier (docs/performance.md).
    const to = end.getTime() % 300_000 === 0 ? new Date(end.getTime() - 60_000) : end;
    const ranges = { "30d": { from: new Date(to.getTime() - DAYS * 86_400_000), to }, "24h": { from: new Date(to.getTime() - 86_400_000), to } };
    for (const panel of reportPanels().filter((p) => !ONLY || ONLY.test(p.name))) {
      for (const [rangeName, range] of Object.entries(ranges)) {
        await measure(`${panel.name} ${rangeName}`, () => panel.run(range, pool));
      }
    }
    for (const [rangeName, range] of Object.entries(ranges)) {
      for (const c of await searchCases(pool, range.from, range.to)) {
        const key = `search first page: ${c.name} ${rangeName}`;
        if (ONLY && !ONLY.test(key)) continue;
        await measure(key, () => searchPage(c.query, {}, pool));
      }
    }
    // The refresh the worker runs every 10 s while data flows: the last hour of both sources rebuilt, with its
    // 6 hours, day, week and boards (lib/reports/rollups.ts refreshRollups); the rows it writes equal those it replaces.
    if (!ONLY || ONLY.test(REFRESH_KEY)) {
      const lastHour = new Date(Math.floor(end.getTime() / 3_600_000) * 3_600_000 - 3_600_000);
      await measure(REFRESH_KEY, async () => {
        for (const source of ["cloudtrail", "vpcflow"] as const) await markRollupHours(pool, source, [lastHour]);
        await refreshRollups(pool);
      });
    }
    return { measured, load, size };
  } finally {
    await pool.end();
    if (!args.keep && !reuse) await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    else console.error(`[report-latency] kept database ${name}`);
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const postgres = await withAdmin(async (c) => String((await c.query("SHOW server_version")).rows[0].server_version));
  // Whole minutes, so "now" is the same instant for both sizes.
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const small = await measureSize(SIZES[0]!, end, REUSE[0]);
  const large = await measureSize(SIZES[1]!, end, REUSE[1]);
  const sizes = [small.size, large.size];
  const rows: BenchRow[] = [];
  for (const { size, load } of [small, large]) {
    rows.push({
      section: `reports ${size.label}`,
      metric: "generate + index + analyze",
      value: Math.round(load.cloudtrailSeconds + load.flowSeconds + load.indexSeconds + load.analyzeSeconds),
      unit: "s",
      note: `${size.events} events in ${load.cloudtrailSeconds.toFixed(0)} s, ${size.flows} flows in ${load.flowSeconds.toFixed(0)} s, indexes ${load.indexSeconds.toFixed(0)} s, analyze ${load.analyzeSeconds.toFixed(0)} s, ${(load.bytes / 2 ** 30).toFixed(2)} GiB`,
    });
  }
  for (const [key, big] of large.measured) {
    const base = small.measured.get(key);
    const isSearch = key.startsWith("search");
    const limit = isSearch ? SEARCH_GOAL_MS : GOAL_MS;
    rows.push({ section: `reports ${sizes[0]!.label}`, metric: `${key} p95`, value: round(base?.p95), unit: "ms", note: `p50 ${round(base?.p50)} ms, ${base?.runs} runs` });
    // Below the noise floor a ratio says nothing (0.1 ms vs 0.4 ms): both sides are taken as at least NOISE_FLOOR_MS.
    const ratio = base ? Math.max(big.p95, NOISE_FLOOR_MS) / Math.max(base.p95, NOISE_FLOOR_MS) : undefined;
    // A whole report and the refresh have no goal of their own: printed beside the panels for scale.
    const noGoal = key.includes("(all panels)") || key === REFRESH_KEY;
    rows.push({
      section: `reports ${sizes[1]!.label}`,
      metric: `${key} p95`,
      value: round(big.p95),
      unit: "ms",
      baseline: base ? { label: `p95 ${sizes[0]!.label}`, value: round(base.p95) } : undefined,
      ratio: ratio === undefined ? undefined : Math.round(ratio * 100) / 100,
      goal: noGoal ? undefined : isSearch ? `≤ ${limit} ms` : `≤ ${limit} ms, ≤ ${GOAL_RATIO}×`,
      met: noGoal ? undefined : isSearch ? big.p95 <= limit : big.p95 <= limit && (ratio ?? 0) <= GOAL_RATIO,
      note: `p50 ${round(big.p50)} ms, ${big.runs} runs`,
    });
  }
  const file = writeBenchResult({
    name: "report-latency",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(postgres),
    parameters: { sizes, reused: REUSE, only: args.only, runs: RUNS, budgetSeconds: BUDGET_MS / 1000, parallel: PARALLEL, days: DAYS, end: end.toISOString(), quick },
    rows,
  });
  console.error(`[report-latency] wrote ${file}`);
}

function round(n: number | undefined): number {
  return n === undefined ? Number.NaN : Math.round(n * 10) / 10;
}

await main();
