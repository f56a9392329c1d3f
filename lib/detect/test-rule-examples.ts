import { Readable } from "node:stream";
import type pg from "pg";
import { parseCloudTrailFile } from "../cloudtrail";
import { FLOW_FIELDS } from "../flowlogs/flow-fields";
import { parseFlowLog } from "../flowlogs";
import { loadRows } from "../ingest/load-rows";
import { cloudTrailTable, flowTable } from "../ingest/tables";
import type { BuiltInRule, ExampleRecord } from "./define-rule";
import { missingDataCanAlarm } from "./evaluate-alarm";
import { findFindings } from "./find-findings";
import type { Rule, RuleSource } from "./rule-schema";

/** The outcome of one example of one rule. */
export interface ExampleResult {
  ruleId: string;
  example: string;
  /** What the example says: true = must fire. */
  expected: boolean;
  fired: boolean;
  /** Set when the example could not be loaded or evaluated. */
  error?: string;
  /** The example's records Trailwatch refused to store (a broken example), with reasons. */
  rejected: string[];
}

const OWN_OBJECT = 1n;
const CONTEXT_OBJECT = 2n;

/**
 * Runs every example of `rules` through the real pipeline — the CloudTrail
 * parser and normaliser or the flow-log parser, the COPY loader, the compiled
 * SQL — and reports whether each fired. Everything happens in one transaction
 * on `client`, in temporary tables that shadow the event tables, and is rolled
 * back: stored data is neither read nor changed, so this is safe on a live
 * database (`trailwatch rules test`).
 */
export async function testRuleExamples(client: pg.ClientBase, rules: readonly BuiltInRule[]): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  await client.query("BEGIN");
  try {
    for (const table of ["cloudtrail_events", "flow_records"]) {
      await client.query(`CREATE TEMP TABLE ${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES) ON COMMIT DROP`);
    }
    for (const { rule, examples } of rules) {
      for (const example of examples) {
        const result: ExampleResult = { ruleId: rule.id, example: example.name, expected: example.fires, fired: false, rejected: [] };
        await client.query("SAVEPOINT tw_example");
        try {
          result.rejected.push(...(await loadRecords(client, rule.source, example.records, OWN_OBJECT)));
          for (const [source, records] of Object.entries(example.context ?? {}) as [RuleSource, ExampleRecord[]][]) {
            result.rejected.push(...(await loadRecords(client, source, records, CONTEXT_OBJECT)));
          }
          const { findings } = await findFindings(client, rule, scopeFor(rule, example.records, example.evaluateAt));
          result.fired = findings.length > 0;
        } catch (error) {
          result.error = (error as Error).message;
        }
        await client.query("ROLLBACK TO SAVEPOINT tw_example");
        results.push(result);
      }
    }
  } finally {
    await client.query("ROLLBACK");
  }
  return results;
}

/**
 * Ingest-time scope (the example's own object), or for rules raised by
 * missing data the scheduler's: from the first record to `evaluateAt`.
 */
function scopeFor(rule: Rule, records: ExampleRecord[], evaluateAt: string | undefined) {
  if (!rule.aggregation || !missingDataCanAlarm(rule.aggregation)) return { objectIds: [OWN_OBJECT] };
  if (!evaluateAt) throw new Error("an example of a rule raised by missing data needs evaluateAt");
  const times = records.map((r) => recordTime(rule.source, r)).filter((t): t is number => t !== null);
  const to = new Date(evaluateAt);
  return { from: new Date(Math.min(to.getTime() - 1000, ...times)), to };
}

function recordTime(source: RuleSource, record: ExampleRecord): number | null {
  const value = source === "cloudtrail" ? Date.parse(String(record.eventTime)) : Number(record.start) * 1000;
  return Number.isFinite(value) ? value : null;
}

/** Loads records as one object through the parser and loader; returns the reasons of records refused. */
async function loadRecords(client: pg.ClientBase, source: RuleSource, records: ExampleRecord[], objectId: bigint): Promise<string[]> {
  const options = { objectId, batchRows: 1000 };
  const counts =
    source === "cloudtrail"
      ? await loadRows(client, cloudTrailTable, parseCloudTrailFile(Readable.from([JSON.stringify({ Records: records })])), options)
      : await loadRows(client, flowTable, parseFlowLog(Readable.from([flowLogText(records)])), options);
  return counts.rejections.map((r) => r.reason);
}

/**
 * Flow records as a delivered flow-log file: a header naming every field the
 * records use (in AWS's field order), then one line per record, `-` for absent values.
 */
export function flowLogText(records: ExampleRecord[]): string {
  const used = FLOW_FIELDS.map((f) => f.name).filter((name) => records.some((r) => r[name] !== undefined));
  const lines = records.map((r) => used.map((name) => (r[name] === undefined || r[name] === null ? "-" : String(r[name]))).join(" "));
  return [used.join(" "), ...lines].join("\n") + "\n";
}
