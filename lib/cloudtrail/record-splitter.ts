import { CloudTrailFormatError } from "./cloudtrail-format-error";

/**
 * One record's text cut out of a CloudTrail file, or the bytes of something
 * that cannot be a record (with the reason in `problem`).
 */
export interface RecordCut {
  /** 0-based index in `Records`; for one-event-per-line input, the 0-based line index. */
  position: number;
  /** How a person finds it: `record 3` (index in `Records`) or `line 4` (1-based, as editors count). */
  label: string;
  /** The record's text as delivered (UTF-8); for an oversize or unreadable record, only its start. */
  text: string;
  /** Why this can never be a record, whatever its text holds; null when the text should be parsed. */
  problem: string | null;
}

/** `records`: a delivered file `{"Records":[...]}`; `events`: one event object per line. */
type InputShape = "records" | "events";

/**
 * Cuts the records out of the decompressed bytes of a CloudTrail file without
 * parsing the file as a whole: it tracks only strings, escapes and bracket
 * nesting, so memory stays bounded by the largest record (or `maxRecordBytes`),
 * never by the file. Chunks may split the input anywhere: all structural
 * characters are ASCII and UTF-8 never uses ASCII bytes inside a multi-byte
 * character, so scanning bytes is exact and text is decoded one whole record
 * at a time.
 *
 * Feed chunks with `write`, then call `end`; both yield the cuts found.
 * Throws `CloudTrailFormatError` when the file as a whole is not CloudTrail.
 */
export class RecordSplitter {
  /** Decided by the first top-level object; null until then. */
  private shape: InputShape | null = null;

  private ctx: Context = "start";
  private out: RecordCut[] = [];
  /** 0-based line of the byte being scanned (newlines outside and inside strings). */
  private line = 0;
  /** Records: the index the next element of `Records` gets. */
  private recordIndex = 0;
  /** Events: a newline always ends an event (set when the first event fits on one line). */
  private lineMode = false;

  // Start of file.
  private bomBytes = 0;
  private startBytes = 0;
  private badStart: number[] | null = null;

  // The top-level object: read its keys until "Records" shows up, then skip what follows the array.
  private rootDepth = 0;
  private rootInString = false;
  private rootEscaped = false;
  private rootExpectKey = false;
  private rootKeyBytes: number[] | null = null;
  private rootLastKey: string | null = null;
  private rootPendingKey: string | null = null;
  private readonly rootKeys = new Set<string>();
  private rootLooksLikeEvent = false;
  private rootSpansLines = false;
  private recordsSeen = false;
  private afterReported = false;

  // The record being cut.
  private readonly bytes: RecordBytes;
  private capturing = false;
  /** Where the record starts in the current chunk (0 when it began in an earlier chunk). */
  private valueStart = 0;
  private valueLine = 0;
  private readonly stack: number[] = [];
  /** Nesting beyond MAX_TRACKED_DEPTH, counted without bracket types so garbage cannot grow the stack. */
  private deep = 0;
  private inString = false;
  private escaped = false;
  /** Last byte outside strings that was not whitespace. */
  private prev = 0;

  // Bytes that cannot start a record: stray "}" between records, or a line that is not an object.
  private junk: number[] | null = null;
  private junkLine = 0;

  constructor(private readonly maxRecordBytes: number) {
    this.bytes = new RecordBytes(maxRecordBytes);
  }

  /** Scans one chunk; yields the records (and problems) it completes. */
  *write(chunk: Buffer): Generator<RecordCut> {
    let i = 0;
    this.valueStart = 0;
    while (i < chunk.length) {
      switch (this.ctx) {
        case "start":
          i = this.scanStart(chunk, i);
          break;
        case "root":
          i = this.scanRoot(chunk, i);
          break;
        case "records":
          i = this.scanRecordsGap(chunk, i);
          break;
        case "events":
          i = this.scanEventsGap(chunk, i);
          break;
        case "value":
          i = this.scanValue(chunk, i);
          break;
        case "scalar":
          i = this.scanScalar(chunk, i);
          break;
        case "junk-line":
          i = this.scanJunkLine(chunk, i);
          break;
        case "after":
          i = this.scanAfter(chunk, i);
          break;
      }
      if (this.out.length > 0) {
        const cuts = this.out;
        this.out = [];
        yield* cuts;
      }
    }
    if (this.capturing) this.bytes.add(chunk.subarray(this.valueStart));
  }

  /** Ends the input; yields what the end of the file means (e.g. a truncated tail), or throws. */
  *end(): Generator<RecordCut> {
    switch (this.ctx) {
      case "start":
        if (this.badStart) throw badStartError(this.badStart);
        throw new CloudTrailFormatError("not a CloudTrail file: it is empty (or only whitespace)");
      case "root":
        if (!this.recordsSeen) throw new CloudTrailFormatError(this.endsInFirstObjectMessage());
        yield {
          position: this.recordIndex,
          label: "end of file",
          text: "",
          problem: "the file ends before its top-level object is closed (truncated after the Records array)",
        };
        return;
      case "records":
      case "value":
      case "scalar": {
        const partial = this.capturing ? this.bytes.finish(EMPTY, 0, 0).text : "";
        if (this.shape === "events") {
          yield {
            position: this.valueLine,
            label: lineLabel(this.valueLine),
            text: partial,
            problem: "the file ends before this JSON object is closed (truncated)",
          };
          return;
        }
        if (this.recordIndex === 0) {
          throw new CloudTrailFormatError(
            "the file ends inside the Records array before its first record is complete: it is truncated",
          );
        }
        this.flushJunk();
        yield* this.out;
        this.out = [];
        yield {
          position: this.recordIndex,
          label: recordLabel(this.recordIndex),
          text: partial,
          problem: `the file ends before the Records array is closed: it is truncated after ${this.recordIndex} records`,
        };
        return;
      }
      case "junk-line":
        this.flushJunkLine();
        yield* this.out;
        this.out = [];
        return;
      case "events":
      case "after":
        return;
    }
  }

  private scanStart(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (this.badStart) {
        this.badStart.push(b);
        if (this.badStart.length >= BAD_START_BYTES) throw badStartError(this.badStart);
        continue;
      }
      // A UTF-8 byte order mark is legal at the very start of a JSON text.
      if (this.startBytes === this.bomBytes && this.bomBytes < 3 && b === UTF8_BOM[this.bomBytes]) {
        this.bomBytes++;
        this.startBytes++;
        continue;
      }
      this.startBytes++;
      if (b === NL) this.line++;
      if (isWhitespace(b)) continue;
      if (b !== LBRACE) {
        this.badStart = [b];
        continue;
      }
      this.ctx = "root";
      this.rootDepth = 1;
      this.rootExpectKey = true;
      this.valueLine = this.line;
      this.beginCapture(i);
      return i + 1;
    }
    return i;
  }

  /**
   * Reads the top-level object byte by byte: its keys decide what the file is.
   * Only the few bytes before `[` of "Records" go through here in a delivered
   * file, or the first line of one-event-per-line input, so speed matters little.
   */
  private scanRoot(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === NL) {
        this.line++;
        this.rootSpansLines = true;
      }
      if (this.rootInString) {
        if (this.rootEscaped) this.rootEscaped = false;
        else if (b === BACKSLASH) this.rootEscaped = true;
        else if (b === QUOTE) {
          this.rootInString = false;
          if (this.rootKeyBytes) this.endRootKey();
          continue;
        }
        if (this.rootKeyBytes && this.rootKeyBytes.length < MAX_KEY_BYTES) this.rootKeyBytes.push(b);
        continue;
      }
      if (isWhitespace(b)) continue;
      if (this.rootDepth === 1 && this.rootPendingKey !== null) {
        // First byte of the value of a top-level key.
        const key = this.rootPendingKey;
        this.rootPendingKey = null;
        if (key === "Records" && !this.recordsSeen) {
          if (b !== LBRACKET) {
            throw new CloudTrailFormatError(
              `not a CloudTrail file: its "Records" value is ${describeValueStart(b)}, not an array`,
            );
          }
          this.enterRecords();
          return i + 1;
        }
      }
      switch (b) {
        case QUOTE:
          this.rootInString = true;
          if (this.rootDepth === 1 && this.rootExpectKey) this.rootKeyBytes = [];
          break;
        case LBRACE:
        case LBRACKET:
          this.rootDepth++;
          break;
        case RBRACE:
        case RBRACKET:
          this.rootDepth--;
          if (this.rootDepth === 0) return this.endRoot(buf, i);
          break;
        case COLON:
          if (this.rootDepth === 1) {
            this.rootPendingKey = this.rootLastKey ?? "";
            this.rootLastKey = null;
            this.rootExpectKey = false;
          }
          break;
        case COMMA:
          if (this.rootDepth === 1) this.rootExpectKey = true;
          break;
      }
    }
    return i;
  }

  private endRootKey(): void {
    const key = Buffer.from(this.rootKeyBytes!).toString("utf8");
    this.rootKeyBytes = null;
    this.rootLastKey = key;
    if (this.rootKeys.size < MAX_KEYS_KEPT) this.rootKeys.add(key);
    if (EVENT_KEYS.has(key)) this.rootLooksLikeEvent = true;
  }

  private enterRecords(): void {
    this.recordsSeen = true;
    this.shape = "records";
    this.capturing = false;
    this.bytes.reset();
    this.ctx = "records";
  }

  /** The top-level object closed at `buf[i]`. */
  private endRoot(buf: Buffer, i: number): number {
    if (this.recordsSeen) {
      this.ctx = "after";
      return i + 1;
    }
    if (!this.rootLooksLikeEvent) throw new CloudTrailFormatError(this.notCloudTrailMessage());
    // One event per line (or event objects one after another): this object is the first record.
    this.shape = "events";
    this.lineMode = !this.rootSpansLines;
    this.emit(buf, i + 1, null);
    this.ctx = "events";
    return i + 1;
  }

  private scanRecordsGap(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (isWhitespace(b)) {
        if (b === NL) this.line++;
        continue;
      }
      if (b === COMMA) continue;
      if (b === RBRACE || b === COLON) {
        this.addJunk(b);
        continue;
      }
      this.flushJunk();
      if (b === RBRACKET) {
        this.ctx = "root";
        return i + 1;
      }
      this.beginValue(i);
      if (b !== LBRACE && b !== LBRACKET && b !== QUOTE) this.ctx = "scalar";
      return i;
    }
    return i;
  }

  private scanEventsGap(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === NL) {
        this.line++;
        continue;
      }
      if (isWhitespace(b)) continue;
      if (b === LBRACE) {
        this.beginValue(i);
        return i;
      }
      // Not an object: report the rest of the line once, then go on with the next line.
      this.junk = [];
      this.junkLine = this.line;
      this.ctx = "junk-line";
      return i;
    }
    return i;
  }

  /**
   * The hot loop: cuts one record (object, array or string) by tracking
   * strings, escapes and brackets. Besides the record's normal end it stops at
   * three signs of broken JSON, so that one broken record cannot swallow the
   * records after it:
   * - `{` right after `,` directly inside the record's object: a `}` is missing
   *   and the `{` most likely starts the next record;
   * - a closing bracket that nothing in the record opened (e.g. the `]` of
   *   `Records` while the record is still open);
   * - a newline, when events are one per line.
   */
  private scanValue(buf: Buffer, i: number): number {
    const n = buf.length;
    const stack = this.stack;
    const lineMode = this.lineMode;
    let inString = this.inString;
    let escaped = this.escaped;
    let prev = this.prev;
    let end = -1;
    let problem: string | null = null;
    scan: while (i < n) {
      if (inString) {
        if (escaped) {
          // The backslash was the last byte of the previous chunk. A raw newline is
          // never part of an escape: leave it to end a broken line.
          escaped = false;
          if (buf[i] !== NL) i++;
          continue;
        }
        // Most bytes of a record are inside strings: skip them in a tight loop.
        let c = 0;
        while (i < n) {
          c = buf[i]!;
          if (c === QUOTE || c === BACKSLASH || c === NL) break;
          i++;
        }
        if (i === n) break;
        if (c === BACKSLASH) {
          if (i + 1 === n) {
            escaped = true;
            break;
          }
          i += buf[i + 1] === NL ? 1 : 2;
          continue;
        }
        if (c === NL) {
          if (lineMode) {
            end = i;
            problem = LINE_ENDS_INSIDE;
            break;
          }
          this.line++;
          i++;
          continue;
        }
        inString = false;
        prev = QUOTE;
        i++;
        if (stack.length === 0 && this.deep === 0) {
          end = i;
          break;
        }
        continue;
      }
      const b = buf[i]!;
      switch (b) {
        case SPACE:
        case TAB:
        case CR:
          i++;
          continue;
        case NL:
          if (lineMode) {
            end = i;
            problem = LINE_ENDS_INSIDE;
            break scan;
          }
          this.line++;
          i++;
          continue;
        case QUOTE:
          inString = true;
          break;
        case LBRACE:
          if (prev === COMMA && stack.length === 1 && stack[0] === LBRACE && this.deep === 0) {
            end = i;
            problem = MISSING_BRACE;
            break scan;
          }
          if (stack.length < MAX_TRACKED_DEPTH) stack.push(b);
          else this.deep++;
          break;
        case LBRACKET:
          if (stack.length < MAX_TRACKED_DEPTH) stack.push(b);
          else this.deep++;
          break;
        case RBRACE:
        case RBRACKET: {
          if (this.deep > 0) {
            this.deep--;
            break;
          }
          const opener = b === RBRACE ? LBRACE : LBRACKET;
          if (stack[stack.length - 1] === opener) stack.pop();
          else {
            const at = stack.lastIndexOf(opener);
            if (at === -1) {
              end = i;
              problem = unmatchedCloser(b);
              break scan;
            }
            // Brackets inside the record are unbalanced: close them all here;
            // JSON.parse will reject the record and say where.
            stack.length = at;
          }
          if (stack.length === 0) {
            end = i + 1;
            break scan;
          }
          break;
        }
      }
      prev = b;
      i++;
    }
    this.inString = inString;
    this.escaped = escaped;
    this.prev = prev;
    if (end === -1) return n;
    this.emit(buf, end, problem);
    this.ctx = this.shape === "records" ? "records" : "events";
    return end;
  }

  /** A record that is a bare number or literal (`true`, `null`, …): it ends at the next delimiter. */
  private scanScalar(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (isWhitespace(b) || DELIMITERS.has(b)) {
        this.emit(buf, i, null);
        this.ctx = "records";
        return i;
      }
    }
    return i;
  }

  private scanJunkLine(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === NL) {
        this.flushJunkLine();
        this.ctx = "events";
        return i;
      }
      if (this.junk!.length < HEAD_BYTES) this.junk!.push(b);
    }
    return i;
  }

  private scanAfter(buf: Buffer, i: number): number {
    if (this.afterReported) return buf.length;
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (isWhitespace(b)) continue;
      this.afterReported = true;
      this.out.push({
        position: this.recordIndex,
        label: "end of file",
        text: buf.toString("utf8", i, Math.min(buf.length, i + HEAD_BYTES)),
        problem: "unexpected data after the top-level JSON object was ignored",
      });
      return buf.length;
    }
    return i;
  }

  private beginCapture(i: number): void {
    this.bytes.reset();
    this.capturing = true;
    this.valueStart = i;
  }

  private beginValue(i: number): void {
    this.ctx = "value";
    this.valueLine = this.line;
    this.stack.length = 0;
    this.deep = 0;
    this.inString = false;
    this.escaped = false;
    this.prev = 0;
    this.beginCapture(i);
  }

  /** Ends the current record at `buf[end]` (exclusive) and queues its cut. */
  private emit(buf: Buffer, end: number, problem: string | null): void {
    const { text, size } = this.bytes.finish(buf, this.valueStart, end);
    this.capturing = false;
    const records = this.shape === "records";
    const position = records ? this.recordIndex++ : this.valueLine;
    this.out.push({
      position,
      label: records ? recordLabel(position) : lineLabel(position),
      text,
      problem:
        size > this.maxRecordBytes
          ? `${size} bytes, over the ${this.maxRecordBytes}-byte limit (maxRecordBytes); skipped`
          : problem,
    });
  }

  private addJunk(b: number): void {
    this.junk ??= [];
    if (this.junk.length < HEAD_BYTES) this.junk.push(b);
  }

  private flushJunk(): void {
    if (!this.junk) return;
    const text = Buffer.from(this.junk).toString("utf8");
    this.junk = null;
    const previous = Math.max(this.recordIndex - 1, 0);
    this.out.push({
      position: previous,
      label: this.recordIndex === 0 ? "before record 0" : `after ${recordLabel(previous)}`,
      text,
      problem: `unexpected ${JSON.stringify(text.slice(0, 20))} between records (a stray closing bracket?); skipped`,
    });
  }

  private flushJunkLine(): void {
    const text = Buffer.from(this.junk ?? []).toString("utf8");
    this.junk = null;
    this.out.push({
      position: this.junkLine,
      label: lineLabel(this.junkLine),
      text,
      problem: "not a JSON object; skipped",
    });
  }

  private keyList(): string {
    return [...this.rootKeys].join(", ") || "none";
  }

  private notCloudTrailMessage(): string {
    if ([...DIGEST_KEYS].some((k) => this.rootKeys.has(k))) {
      return (
        "not a CloudTrail log file: this is a CloudTrail digest file (top-level keys: " +
        `${this.keyList()}), which lists log files for integrity validation and holds no events`
      );
    }
    // An SQS message body fed to the file parser by mistake is worth naming.
    const hint = this.rootKeys.has("TopicArn") || this.rootKeys.has("MessageId") ? " (an SNS/SQS message?)" : "";
    return (
      'not a CloudTrail file: its first JSON object has no "Records" array and is not a CloudTrail event ' +
      `(no eventVersion, eventID or eventTime); its top-level keys are: ${this.keyList()}${hint}`
    );
  }

  private endsInFirstObjectMessage(): string {
    if (this.rootLooksLikeEvent) {
      return "the file ends inside its first event object, before any record is complete: it is truncated";
    }
    return (
      'not a CloudTrail file, or truncated: it ends inside its first JSON object before any "Records" array ' +
      `(top-level keys seen: ${this.keyList()})`
    );
  }
}

type Context =
  | "start" // before the first top-level value
  | "root" // inside the top-level object: reading its keys, or skipping what follows "Records"
  | "records" // inside the Records array, between records
  | "events" // one event per line: between objects
  | "value" // inside a record (object, array or string)
  | "scalar" // inside a record that is a bare number or literal
  | "junk-line" // one event per line: a line that is not an object
  | "after"; // after the top-level object of a delivered file

/** The bytes of the record being cut, kept only while it stays within the size limit. */
class RecordBytes {
  private pieces: Buffer[] = [];
  private size = 0;
  /** Set once the record is over the limit: its first bytes, kept for the excerpt. */
  private head: Buffer | null = null;

  constructor(private readonly limit: number) {}

  reset(): void {
    this.pieces = [];
    this.size = 0;
    this.head = null;
  }

  /** Keeps the part of a record that continues into the next chunk (copied: a source may reuse its buffers). */
  add(piece: Buffer): void {
    this.size += piece.length;
    if (this.head) return;
    if (this.size > this.limit) {
      this.head = firstBytes([...this.pieces, piece]);
      this.pieces = [];
      return;
    }
    this.pieces.push(Buffer.from(piece));
  }

  /** Ends the record with `buf[start, end)`: its whole text, or only its start when it is over the limit. */
  finish(buf: Buffer, start: number, end: number): { text: string; size: number } {
    const size = this.size + (end - start);
    let text: string;
    if (this.head) text = this.head.toString("utf8");
    else if (size > this.limit) text = firstBytes([...this.pieces, buf.subarray(start, end)]).toString("utf8");
    else if (this.pieces.length === 0) text = buf.toString("utf8", start, end);
    else text = Buffer.concat([...this.pieces, buf.subarray(start, end)]).toString("utf8");
    this.reset();
    return { text, size };
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NL = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const DELIMITERS = new Set([COMMA, LBRACE, RBRACE, LBRACKET, RBRACKET, QUOTE, COLON]);
const EMPTY = Buffer.alloc(0);

/** Bytes kept of an oversize or unreadable record: enough for a 500-character excerpt. */
const HEAD_BYTES = 2048;
const BAD_START_BYTES = 48;
/** A CloudTrail record nests about 10 deep; beyond this the types of brackets are not tracked. */
const MAX_TRACKED_DEPTH = 1000;
const MAX_KEY_BYTES = 64;
const MAX_KEYS_KEPT = 20;
/** A top-level object with any of these is a CloudTrail event. */
const EVENT_KEYS = new Set(["eventVersion", "eventID", "eventTime"]);
/** https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html */
const DIGEST_KEYS = new Set(["digestStartTime", "digestEndTime", "digestS3Object", "logFiles"]);

const MISSING_BRACE =
  'not valid JSON: a "{" follows "," directly inside the record, so a "}" is probably missing before it; ' +
  "parsing resumed at that \"{\" as the next record";
const LINE_ENDS_INSIDE = "the line ends before its JSON object is closed (a broken or cut line)";

function unmatchedCloser(b: number): string {
  const c = String.fromCharCode(b);
  return `not valid JSON: "${c}" closes a bracket this record never opened, so a "}" or "]" is missing before it`;
}

function isWhitespace(b: number): boolean {
  return b === SPACE || b === NL || b === CR || b === TAB;
}

function recordLabel(index: number): string {
  return `record ${index}`;
}

function lineLabel(lineIndex: number): string {
  return `line ${lineIndex + 1}`;
}

function firstBytes(pieces: Buffer[]): Buffer {
  const total = pieces.reduce((sum, p) => sum + p.length, 0);
  return Buffer.concat(pieces, Math.min(total, HEAD_BYTES));
}

function describeValueStart(b: number): string {
  if (b === QUOTE) return "a string";
  if (b === LBRACE) return "an object";
  if (b === 0x6e) return "null";
  if (b === 0x74 || b === 0x66) return "a boolean";
  if (b === 0x2d || (b >= 0x30 && b <= 0x39)) return "a number";
  return `"${String.fromCharCode(b)}…"`;
}

function badStartError(bytes: number[]): CloudTrailFormatError {
  if (bytes[0] === 0x1f && (bytes.length < 2 || bytes[1] === 0x8b)) {
    return new CloudTrailFormatError(
      "not a CloudTrail file: it is still gzip-compressed (it starts with bytes 1f 8b); decompress it before parsing",
    );
  }
  const shown = JSON.stringify(Buffer.from(bytes).toString("utf8"));
  if (bytes[0] === LBRACKET) {
    return new CloudTrailFormatError(
      `not a CloudTrail file: it starts with ${shown}, a JSON array or not JSON at all; ` +
        'a CloudTrail log file is one JSON object {"Records":[...]} (or one event object per line)',
    );
  }
  return new CloudTrailFormatError(
    `not a CloudTrail file: it is not JSON (it starts with ${shown}); ` +
      'expected a JSON object {"Records":[...]} or one event object per line',
  );
}
