import { isIP } from "node:net";
import { excerptOf, type ParseResult } from "../parse-result";
import { FLOW_FIELDS_BY_NAME, TRANSIT_GATEWAY_EXTRA_FIELDS, type FlowField } from "./flow-fields";
import type { FlowRow } from "./types";

/**
 * The file as a whole cannot be read as a text VPC Flow Log: it has no header
 * line naming its fields (and no `fields` were given), its header names a field
 * twice, it is Parquet or still gzip-compressed, or its first line is absurdly
 * long. Nothing of such a file should be stored; retrying will not help.
 */
export class FlowLogFormatError extends Error {
  override readonly name = "FlowLogFormatError";
}

export interface ParseFlowLogOptions {
  /**
   * The file's fields in order, as AWS names them (`srcaddr`, `log-status`, …),
   * for text that has no header line, e.g. taken from the flow log's
   * `LogFormat`. When given, line 1 is data; a line that repeats exactly these
   * names is skipped as a header.
   */
  fields?: readonly string[];
}

/**
 * A line longer than this (in UTF-16 code units) is not a flow-log record: the
 * longest AWS can write (every field, ECS ARNs included) is a few kilobytes.
 * It bounds the memory one parser holds, whatever the input.
 */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Parses a text VPC Flow Log file as S3 delivers it (after gunzip), streaming
 * line by line with memory bounded by `MAX_LINE_CHARS`:
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 *
 * Input: chunks of UTF-8 bytes (or strings) in any sizes. Line 1 is the header
 * naming the fields (space-separated, any order and subset, e.g.
 * `version account-id interface-id srcaddr …`); each further line is one record
 * of values separated by spaces. Lines end in `\n` or `\r\n`; the last one may
 * lack it; blank lines are skipped. A line repeating the header exactly (as in
 * concatenated files) is skipped too.
 *
 * Output, per record line: `{ ok: true, row }` with `row.lineNumber` the 1-based
 * line number in the file (header = line 1, so the first record is line 2;
 * deterministic, so with the object id it is the idempotency key), values
 * typed by the field catalogue (`-` → null; ports and ints → number; packets,
 * bytes → bigint; start, end → Date, UTC, from Unix seconds; addresses → text
 * checked by `node:net` isIP; NODATA/SKIPDATA records kept with their
 * `logStatus`), and fields outside the catalogue in `row.extra` by AWS name
 * (those holding `-` left out; `extra` is null when nothing is left).
 * Or `{ ok: false, rejection }` for a line with the wrong number of fields or
 * an invalid value: `position` is the line number and `reason` names the line,
 * the field and the value, e.g. `line 7: dstport "http" is not a port number (0-65535)`.
 * One bad line never stops the rest of the file.
 *
 * Without a header, the format is never guessed from the number of fields:
 * the first non-blank line is a header when every token looks like a field
 * name (lowercase letters, digits and dashes, starting with a letter) and at
 * least one is a known AWS flow-log field (see `FLOW_FIELDS`,
 * `TRANSIT_GATEWAY_EXTRA_FIELDS`); otherwise pass `options.fields`.
 *
 * @throws FlowLogFormatError when the file has no header line naming its fields
 *   and no `options.fields` (an empty file included), when the header or
 *   `options.fields` names a field twice, when the file is Parquet
 *   ("Parquet flow logs are not supported yet") or gzip-compressed.
 *   Errors of `source` itself propagate unchanged.
 */
export async function* parseFlowLog(
  source: AsyncIterable<Buffer | string>,
  options: ParseFlowLogOptions = {},
): AsyncGenerator<ParseResult<FlowRow>> {
  let format: Format | null = options.fields ? compileFormat(options.fields, "the caller-supplied format", null) : null;
  const decoder = new TextDecoder("utf-8");
  // The unfinished line carried between chunks, kept as parts so that tiny
  // chunks cost no repeated copying.
  let parts: string[] = [];
  let partsLength = 0;
  // When the unfinished line grew past MAX_LINE_CHARS: its start (for the
  // excerpt); the rest of the line is dropped until its newline arrives.
  let overlongStart: string | null = null;
  let lineNumber = 0;

  const handle = (line: string): ParseResult<FlowRow> | null => {
    lineNumber += 1;
    if (overlongStart !== null || line.length > MAX_LINE_CHARS) {
      const start = overlongStart ?? line.slice(0, 1000);
      overlongStart = null;
      if (format === null) throw overlongHeaderError(start);
      return reject(lineNumber, start, `line ${lineNumber}: longer than ${MAX_LINE_CHARS} characters; not a flow-log record`);
    }
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (isBlank(line)) return null;
    if (format === null) {
      format = headerFormat(line, lineNumber);
      return null;
    }
    return parseRecord(line, lineNumber, format);
  };

  const take = (text: string): string => {
    const line = partsLength === 0 ? text : parts.join("") + text;
    parts = [];
    partsLength = 0;
    return line;
  };

  const keep = (rest: string) => {
    if (rest.length === 0) return;
    if (overlongStart !== null) return;
    parts.push(rest);
    partsLength += rest.length;
    if (partsLength > MAX_LINE_CHARS) {
      overlongStart = parts.join("").slice(0, 1000);
      parts = [];
      partsLength = 0;
      // A header that long is no header: fail now rather than read on to a newline that may never come.
      if (format === null) throw overlongHeaderError(overlongStart);
    }
  };

  for await (const chunk of source) {
    const text = typeof chunk === "string" ? decoder.decode() + chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const result = handle(take(text.slice(start, nl)));
      start = nl + 1;
      if (result !== null) yield result;
    }
    keep(start === 0 ? text : text.slice(start));
  }
  keep(decoder.decode());
  if (partsLength > 0 || overlongStart !== null) {
    const result = handle(take(""));
    if (result !== null) yield result;
  }
  if (format === null) {
    throw new FlowLogFormatError("the file has no header line naming its fields: it is empty");
  }
}

// ---------------------------------------------------------------------------
// Formats

interface Column {
  /** AWS field name from the header (or `options.fields`). */
  name: string;
  /** Its catalogue entry; undefined for a field kept in `extra`. */
  field: FlowField | undefined;
}

interface Format {
  names: readonly string[];
  columns: readonly Column[];
  /** Where the field list came from, for reasons: "the header (line 1)". */
  source: string;
}

/** A field name as AWS spells them: `srcaddr`, `log-status`, `pkt-src-aws-service`. */
const FIELD_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const KNOWN_NAMES: ReadonlySet<string> = new Set([...FLOW_FIELDS_BY_NAME.keys(), ...TRANSIT_GATEWAY_EXTRA_FIELDS]);

function compileFormat(names: readonly string[], source: string, lineNumber: number | null): Format {
  const where = lineNumber === null ? "" : `line ${lineNumber}: `;
  if (names.length === 0) throw new FlowLogFormatError(`${where}${source} names no fields`);
  const seen = new Set<string>();
  for (const name of names) {
    if (!FIELD_NAME.test(name)) {
      throw new FlowLogFormatError(`${where}${quote(name)} in ${source} is not a flow-log field name (lowercase letters, digits and dashes)`);
    }
    if (seen.has(name)) throw new FlowLogFormatError(`${where}${source} names the field "${name}" twice`);
    seen.add(name);
  }
  return { names, columns: names.map((name) => ({ name, field: FLOW_FIELDS_BY_NAME.get(name) })), source };
}

/** Whether `tokens` form a header line: all look like field names and at least one is a known AWS field. */
function isHeader(tokens: readonly string[]): boolean {
  return tokens.every((t) => FIELD_NAME.test(t)) && tokens.some((t) => KNOWN_NAMES.has(t));
}

function headerFormat(line: string, lineNumber: number): Format {
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1); // a UTF-8 byte-order mark left by an editor
  if (line.startsWith("PAR1")) {
    throw new FlowLogFormatError("Parquet flow logs are not supported yet (the file starts with the Parquet magic bytes PAR1)");
  }
  if (line.charCodeAt(0) === 0x1f && (line.charCodeAt(1) === 0x8b || line.charCodeAt(1) === 0xfffd)) {
    throw new FlowLogFormatError("the file is gzip-compressed (magic bytes 1f 8b); decompress it before parsing");
  }
  const tokens = splitFields(line);
  if (!isHeader(tokens)) {
    throw new FlowLogFormatError(
      `the file has no header line naming its fields: line ${lineNumber} is ${quote(line)}, not field names ` +
        `such as "version account-id interface-id srcaddr …" as S3 delivery writes them; the format is never ` +
        `guessed from the number of values, so pass the fields when they are known`,
    );
  }
  return compileFormat(tokens, `the header (line ${lineNumber})`, lineNumber);
}

function overlongHeaderError(start: string): FlowLogFormatError {
  if (start.startsWith("PAR1")) {
    return new FlowLogFormatError("Parquet flow logs are not supported yet (the file starts with the Parquet magic bytes PAR1)");
  }
  return new FlowLogFormatError(
    `the file has no header line naming its fields: its first line is longer than ${MAX_LINE_CHARS} characters (starts ${quote(start)})`,
  );
}

// ---------------------------------------------------------------------------
// Records

function parseRecord(line: string, lineNumber: number, format: Format): ParseResult<FlowRow> | null {
  if (line.includes("\u0000")) {
    return reject(lineNumber, line, `line ${lineNumber}: contains a NUL character, which flow-log text never does`);
  }
  // A repeated header (concatenated files) carries no data. Looked for only
  // when the line starts with a known field name, so records pay almost nothing.
  const first = line.charCodeAt(0);
  if (first >= 97 && first <= 122 && KNOWN_NAMES.has(firstToken(line))) {
    const tokens = splitFields(line);
    if (isHeader(tokens)) {
      if (sameNames(tokens, format.names)) return null;
      return reject(lineNumber, line, `line ${lineNumber}: a header line naming other fields than ${format.source}; one file has one format`);
    }
  }
  // Values are read in place, without splitting the line into an array first:
  // numbers are parsed straight from the line and only text is sliced out.
  const columns = format.columns;
  const length = line.length;
  const row = emptyRow(lineNumber);
  const values = row as unknown as Record<string, unknown>;
  let start = 0;
  for (let i = 0; i < columns.length; i++) {
    while (line.charCodeAt(start) === 32) start++; // tolerated runs of spaces, see splitFields
    if (start >= length) return wrongCount(lineNumber, line, format);
    let end = line.indexOf(" ", start);
    if (end === -1) end = length;
    const from = start;
    start = end;
    if (end - from === 1 && line.charCodeAt(from) === 45) continue; // "-"
    const column = columns[i]!;
    const field = column.field;
    if (field === undefined) {
      (row.extra ??= {})[column.name] = line.slice(from, end);
      continue;
    }
    let value: unknown;
    switch (field.type) {
      case "text":
        value = line.slice(from, end);
        break;
      case "port": {
        const n = digitsAt(line, from, end, 5);
        if (n < 0 || n > 65535) return invalid(lineNumber, line, format, field, from, end, "is not a port number (0-65535)");
        value = n;
        break;
      }
      case "int": {
        const max = field.max ?? INT4_MAX;
        const n = digitsAt(line, from, end, 10);
        if (n < 0 || n > max) return invalid(lineNumber, line, format, field, from, end, `is not an integer (0-${max})`);
        value = n;
        break;
      }
      case "bigint": {
        const n = digitsAt(line, from, end, 15);
        // Exact as a double below 10^15 < 2^53, and BigInt(number) is cheaper than parsing text.
        const big = n >= 0 ? BigInt(n) : parseBigint(line.slice(from, end));
        if (big === null) return invalid(lineNumber, line, format, field, from, end, `is not an integer (0-${INT8_MAX})`);
        value = big;
        break;
      }
      case "unix-seconds": {
        const seconds = digitsAt(line, from, end, 13);
        if (seconds < 0 || seconds > MAX_UNIX_SECONDS) return invalid(lineNumber, line, format, field, from, end, "is not a time in Unix seconds");
        value = new Date(seconds * 1000);
        break;
      }
      case "inet": {
        const text = line.slice(from, end);
        // Postgres inet takes no IPv6 zone index (`%eth0`), which isIP allows.
        if (isIP(text) === 0 || text.includes("%")) return invalid(lineNumber, line, format, field, from, end, "is not an IPv4 or IPv6 address");
        value = text;
        break;
      }
    }
    values[field.property] = value;
  }
  while (line.charCodeAt(start) === 32) start++;
  if (start < length) return wrongCount(lineNumber, line, format);
  return { ok: true, row };
}

/**
 * Splits on single spaces, as AWS writes. Runs of spaces and leading or trailing
 * ones (copy-paste artefacts: AWS writes `-`, never an empty value) are
 * tolerated; this cannot shift a value into another field unnoticed, since
 * the count of values is checked against the header.
 */
function splitFields(line: string): string[] {
  const tokens = line.split(" ");
  if (line.includes("  ") || line.charCodeAt(0) === 32 || line.charCodeAt(line.length - 1) === 32) {
    return tokens.filter((t) => t.length > 0);
  }
  return tokens;
}

function firstToken(line: string): string {
  const space = line.indexOf(" ");
  return space === -1 ? line : line.slice(0, space);
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

const INT4_MAX = 2 ** 31 - 1;
const INT8_MAX = 2n ** 63n - 1n;
/** The last second a JavaScript Date can hold (+275760-09-13). */
const MAX_UNIX_SECONDS = 8.64e12;

/** The plain decimal `line[from, end)` (no sign, at most `maxDigits` digits) as a number, or -1. */
function digitsAt(line: string, from: number, end: number, maxDigits: number): number {
  if (end - from > maxDigits) return -1;
  let n = 0;
  for (let i = from; i < end; i++) {
    const digit = line.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** A plain decimal in 0..2^63-1 as a bigint, or null. */
function parseBigint(text: string): bigint | null {
  if (text.length > 19 || digitsAt(text, 0, text.length, 19) < 0) return null;
  const big = BigInt(text);
  return big > INT8_MAX ? null : big;
}

function emptyRow(lineNumber: number): FlowRow {
  // Every property present from the start keeps all rows one object shape.
  return {
    lineNumber,
    version: null,
    accountId: null,
    interfaceId: null,
    srcaddr: null,
    dstaddr: null,
    srcport: null,
    dstport: null,
    protocol: null,
    packets: null,
    bytes: null,
    start: null,
    end: null,
    action: null,
    logStatus: null,
    vpcId: null,
    subnetId: null,
    instanceId: null,
    tcpFlags: null,
    type: null,
    pktSrcaddr: null,
    pktDstaddr: null,
    region: null,
    azId: null,
    sublocationType: null,
    sublocationId: null,
    pktSrcAwsService: null,
    pktDstAwsService: null,
    flowDirection: null,
    trafficPath: null,
    ecsClusterArn: null,
    ecsClusterName: null,
    ecsContainerInstanceArn: null,
    ecsContainerInstanceId: null,
    ecsContainerId: null,
    ecsSecondContainerId: null,
    ecsServiceName: null,
    ecsTaskDefinitionArn: null,
    ecsTaskArn: null,
    ecsTaskId: null,
    rejectReason: null,
    extra: null,
  };
}

function wrongCount(lineNumber: number, line: string, format: Format): ParseResult<FlowRow> {
  const count = splitFields(line).length;
  return reject(lineNumber, line, `line ${lineNumber}: ${count} values, but ${format.source} names ${format.columns.length} fields`);
}

function invalid(lineNumber: number, line: string, format: Format, field: FlowField, from: number, end: number, problem: string): ParseResult<FlowRow> {
  // A line with values missing or extra shifts every value after the gap: say that, not what it shifted.
  if (splitFields(line).length !== format.columns.length) return wrongCount(lineNumber, line, format);
  return reject(lineNumber, line, `line ${lineNumber}: ${field.name} ${quote(line.slice(from, end))} ${problem}`);
}

function reject(position: number, line: string, reason: string): ParseResult<FlowRow> {
  return { ok: false, rejection: { position, reason, excerpt: excerptOf(line) } };
}

/** A value quoted for a reason: JSON escapes make control characters visible; long values are cut. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
