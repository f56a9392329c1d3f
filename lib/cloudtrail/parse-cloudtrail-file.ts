import { excerptOf, type ParseResult } from "../parse-result";
import { normalizeRecord } from "./normalize-record";
import { RecordSplitter, type RecordCut } from "./record-splitter";
import type { CloudTrailRow } from "./types";

/** Default for `maxRecordBytes`: 1 MiB, far above the few KB of a typical CloudTrail record. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

export interface ParseCloudTrailFileOptions {
  /**
   * Largest record accepted, in bytes of UTF-8 text. A larger record is
   * rejected and its bytes skipped without being buffered. Default 1 MiB.
   */
  maxRecordBytes?: number;
}

/**
 * Streams the rows of one CloudTrail file, record by record.
 *
 * `source` is the already-decompressed content, in chunks split anywhere
 * (inside strings, escapes or multi-byte characters); string chunks are taken
 * as UTF-8 text. Two shapes are read, decided by the first top-level object:
 * - a delivered log file `{"Records":[{...},{...}]}` (other top-level keys are
 *   ignored): https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 * - one event object per line (sample files, CloudTrail Lake exports), when the
 *   first object has `eventVersion`, `eventID` or `eventTime`. If that first
 *   object spans several lines, objects may span lines throughout.
 *
 * Memory is bounded by the largest record (at most `maxRecordBytes`), not by
 * the file: the file is never parsed whole.
 *
 * Yields, in file order, `{ok: true, row}` for each usable record and
 * `{ok: false, rejection}` for each record that is not: invalid JSON, not an
 * object, no `eventID`, no valid `eventTime`, over `maxRecordBytes`. The
 * rejection's `position` is the 0-based index in `Records` (or the 0-based line
 * index for one event per line); its `reason` starts with `record N` (or
 * `line N`, 1-based as editors count). A broken record never hides the records
 * after it. A file cut off inside `Records` after at least one record yields
 * everything before the cut, then one rejection saying the file is truncated.
 *
 * @throws CloudTrailFormatError when the file as a whole is not CloudTrail: not
 *   JSON, still gzip-compressed, a digest file or other JSON document, empty, or
 *   truncated before any record. Nothing has been yielded when this is thrown.
 * @throws RangeError when `maxRecordBytes` is not a positive integer.
 */
export async function* parseCloudTrailFile(
  source: AsyncIterable<Buffer | string>,
  options: ParseCloudTrailFileOptions = {},
): AsyncGenerator<ParseResult<CloudTrailRow>> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isSafeInteger(maxRecordBytes) || maxRecordBytes < 1) {
    throw new RangeError(`maxRecordBytes must be a positive integer, got ${maxRecordBytes}`);
  }
  const splitter = new RecordSplitter(maxRecordBytes);
  for await (const chunk of source) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    for (const cut of splitter.write(bytes)) yield toResult(cut);
  }
  for (const cut of splitter.end()) yield toResult(cut);
}

function toResult(cut: RecordCut): ParseResult<CloudTrailRow> {
  if (cut.problem !== null) return rejected(cut, cut.problem);
  let record: unknown;
  try {
    record = JSON.parse(cut.text);
  } catch (error) {
    // V8's message says where the JSON breaks and may quote the input: keep it short and storable.
    const message = (error as Error).message.replaceAll("\u0000", "\uFFFD").slice(0, 300);
    return rejected(cut, `not valid JSON (${message})`);
  }
  const row = normalizeRecord(record, cut.text);
  return typeof row === "string" ? rejected(cut, row) : { ok: true, row };
}

function rejected(cut: RecordCut, problem: string): ParseResult<CloudTrailRow> {
  return {
    ok: false,
    rejection: { position: cut.position, reason: `${cut.label}: ${problem}`, excerpt: excerptOf(cut.text) },
  };
}
