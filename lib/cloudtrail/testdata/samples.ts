/**
 * Test helpers: where the real samples are, and how to run the parser over bytes.
 * Samples under licences that forbid copying (Elastic License 2.0, GPL-2.0,
 * AWS docs CC-BY-SA-4.0) are read in place from `../shared/samples` (beside
 * the repo); copyable ones live in this folder (see NOTICE.md).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ParseResult, Rejection } from "../../parse-result";
import { parseCloudTrailFile, type ParseCloudTrailFileOptions } from "../parse-cloudtrail-file";
import type { CloudTrailRow } from "../types";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../../..");
export const SHARED_SAMPLES = path.resolve(REPO_ROOT, "../shared/samples");

/** Fails, saying why, when ../shared/samples is missing: a test that needs it must never pass without it. */
export function requireSharedSamples(): string {
  if (!existsSync(SHARED_SAMPLES)) {
    throw new Error(
      `the samples folder ${SHARED_SAMPLES} is missing; these tests read real CloudTrail files from it (see ../shared/samples/README.md)`,
    );
  }
  return SHARED_SAMPLES;
}

/** A file of ../shared/samples, e.g. `cloudtrail/elastic-beats/insight-json.log`. */
export function sharedSample(relative: string): Buffer {
  return readFileSync(path.join(requireSharedSamples(), relative));
}

/** A file of lib/cloudtrail/testdata. */
export function testdata(name: string): Buffer {
  return readFileSync(path.join(HERE, name));
}

/** The path of a file of lib/cloudtrail/testdata. */
export function testdataPath(name: string): string {
  return path.join(HERE, name);
}

/** `input` as chunks of `size` bytes (the last may be shorter); 0 means one chunk. */
export async function* chunked(input: Buffer, size = 0): AsyncGenerator<Buffer> {
  if (size <= 0) {
    yield input;
    return;
  }
  for (let i = 0; i < input.length; i += size) yield input.subarray(i, i + size);
}

/** `input` in two chunks, split before byte `at`. */
export async function* splitAt(input: Buffer, at: number): AsyncGenerator<Buffer> {
  yield input.subarray(0, at);
  yield input.subarray(at);
}

export interface Parsed {
  results: ParseResult<CloudTrailRow>[];
  rows: CloudTrailRow[];
  rejections: Rejection[];
}

/** Every result of parseCloudTrailFile over `source` (a Buffer is fed in `chunkSize`-byte chunks; 0: one chunk). */
export async function parseAll(
  source: Buffer | string | AsyncIterable<Buffer | string>,
  options?: ParseCloudTrailFileOptions,
  chunkSize = 0,
): Promise<Parsed> {
  const input = typeof source === "string" ? Buffer.from(source) : source;
  const iterable = Buffer.isBuffer(input) ? chunked(input, chunkSize) : input;
  const results: ParseResult<CloudTrailRow>[] = [];
  for await (const result of parseCloudTrailFile(iterable, options)) results.push(result);
  return {
    results,
    rows: results.flatMap((r) => (r.ok ? [r.row] : [])),
    rejections: results.flatMap((r) => (r.ok ? [] : [r.rejection])),
  };
}

/**
 * The aws-cloudtrail-processing-library fixtures (2014) carry no `eventID`,
 * which Trailwatch requires. To exercise everything else they hold, this adds
 * `"eventID": "apl-<n>"` (n = 0, 1, … in file order) right after each record's
 * `"eventVersion"` value; nothing else changes.
 */
export function withEventIds(text: string | Buffer): string {
  let n = 0;
  return text.toString().replace(/("eventVersion"\s*:\s*"[^"]*"\s*,)/g, (m) => `${m} "eventID": "apl-${n++}",`);
}
