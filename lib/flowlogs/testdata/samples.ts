/**
 * Test helpers: where the real samples are, and how to run the parser over bytes.
 * Samples under licences that forbid copying (Elastic License 2.0, AWS docs
 * CC-BY-SA-4.0) are read in place from `../shared/samples` (beside the repo);
 * copyable ones live in this folder (see NOTICE.md).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ParseResult, Rejection } from "../../parse-result";
import { parseFlowLog, type ParseFlowLogOptions } from "../parse-flow-log";
import type { FlowRow } from "../types";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../../..");
export const SHARED_SAMPLES = path.resolve(REPO_ROOT, "../shared/samples");

/** Fails, saying why, when ../shared/samples is missing: a test that needs it must never pass without it. */
export function requireSharedSamples(): string {
  if (!existsSync(SHARED_SAMPLES)) {
    throw new Error(`the real samples folder ${SHARED_SAMPLES} is absent; these tests read flow logs from it (see ../shared/samples/README.md)`);
  }
  return SHARED_SAMPLES;
}

/** A file of ../shared/samples, e.g. `vpcflow/elastic-beats/ipv6.log`. */
export function sharedSample(relative: string): Buffer {
  return readFileSync(path.join(requireSharedSamples(), relative));
}

/** A file of lib/flowlogs/testdata. */
export function testdata(name: string): Buffer {
  return readFileSync(path.join(HERE, name));
}

/** The space-separated field names on the first line of `bytes`. */
export function firstLineFields(bytes: Buffer): string[] {
  return bytes.toString("utf8").split("\n")[0]!.trim().split(" ");
}

/** `input` as chunks of `size` bytes (the last may be shorter); 0 means one chunk. */
export async function* chunked(input: Buffer, size = 0): AsyncGenerator<Buffer> {
  if (size <= 0) {
    yield input;
    return;
  }
  for (let i = 0; i < input.length; i += size) yield input.subarray(i, i + size);
}

export interface Parsed {
  results: ParseResult<FlowRow>[];
  rows: FlowRow[];
  rejections: Rejection[];
}

/** Every result of parseFlowLog over `input` fed in chunks of `chunkSize` bytes (0: one chunk). */
export async function parseAll(input: Buffer | string, options?: ParseFlowLogOptions, chunkSize = 0): Promise<Parsed> {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const results: ParseResult<FlowRow>[] = [];
  for await (const result of parseFlowLog(chunked(bytes, chunkSize), options)) results.push(result);
  return {
    results,
    rows: results.flatMap((r) => (r.ok ? [r.row] : [])),
    rejections: results.flatMap((r) => (r.ok ? [] : [r.rejection])),
  };
}

/** The only row parsed from `input`; fails unless there is exactly one result and it is a row. */
export async function parseOne(input: Buffer | string, options?: ParseFlowLogOptions): Promise<FlowRow> {
  const { results } = await parseAll(input, options);
  const only = results[0];
  if (results.length !== 1 || !only?.ok) throw new Error(`expected one row, got ${JSON.stringify(results, bigintSafe)}`);
  return only.row;
}

/** JSON.stringify replacer that shows bigints (for failure messages). */
export function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}
