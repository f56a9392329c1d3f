import ipaddr from "ipaddr.js";
import { all, any, cidr, eq, exists, gte, lte, not, prefix } from "../detect/conditions";
import { CLOUDTRAIL_COLUMNS, FLOW_COLUMNS, isNetwork, type ResolvedField } from "../detect/fields";
import type { Condition } from "../detect/rule-schema";
import { customTimeRange, parseTimeRange, TimeRangeError, type TimeRange } from "../reports/time-range";
import { decodeCursor, SearchCursorError, type SearchCursor } from "./search-cursor";
import { DEFAULT_COLUMNS, PROTOCOL_NUMBERS, searchField, type SearchSource } from "./search-fields";

/**
 * Parses the URL of a search (lib/search/search-url.ts is the contract) into a
 * {@link SearchQuery}: the time range, the global account / region, the
 * `f.<field>` / `x.<field>` filters turned into one condition tree of the rule
 * engine (lib/detect/rule-schema.ts), the cursor, the page size and the columns.
 * Pure: no database; SQL is built from the result by lib/search/search-sql.ts.
 */

/** One field's filter as the URL wrote it: `f.<field>` (include) or `x.<field>` (exclude), with its values. */
export interface SearchFilter {
  field: string;
  exclude: boolean;
  /** Values as written (`Foo*`, `*`, `10.0.0.0/8`, `=literal`, `1024-65535`); several = any of them. */
  values: string[];
}

export interface SearchQuery {
  source: SearchSource;
  /** `[from, to)` UTC: the URL's range, or the first page's window when a cursor is given. */
  range: TimeRange;
  /** Global account filter (CloudTrail `recipientAccountId`, flow `account-id`). */
  account: string | null;
  /** Global region filter (CloudTrail `awsRegion`; flows `region`, else the region in the S3 key). */
  region: string | null;
  filters: SearchFilter[];
  /** All filters as one condition (null when there are none). Values only: SQL comes from the catalogue. */
  condition: Condition | null;
  cursor: SearchCursor | null;
  /** Rows per page. */
  limit: number;
  /** Result columns to show, catalogue names, in display order. */
  columns: string[];
}

/** The URL asked for something that cannot be searched; `problems` names every one, for a 400 or a banner. */
export class SearchQueryError extends Error {
  override name = "SearchQueryError";
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
  }
}

export interface ParseSearchOptions {
  /** Clock for relative ranges (default: now). */
  now?: Date;
  /** Largest `limit` accepted (default {@link MAX_PAGE_SIZE}). */
  maxLimit?: number;
  /** Page size when the URL gives none (default {@link DEFAULT_PAGE_SIZE}). */
  defaultLimit?: number;
}

export const DEFAULT_PAGE_SIZE = 50;
/** Page sizes the search pages offer. */
export const PAGE_SIZES = [25, 50, 100, 200] as const;
/** Largest page the API serves. */
export const MAX_PAGE_SIZE = 1000;
/** At most this many values per field and filters overall, so one URL cannot build an unbounded query. */
export const MAX_VALUES = 100;

/** Search params as Next passes them to a page (`string | string[] | undefined` per key) → URLSearchParams. */
export function toSearchParams(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v);
  }
  return params;
}

/**
 * Reads a search URL's parameters. Unknown parameters are ignored; empty
 * filter values are skipped (an empty form field). Throws `SearchQueryError`
 * listing every problem: an unknown field, a value that does not suit its
 * field (a word for a port, a bad CIDR, a prefix on a boolean), a malformed
 * `from`/`to` (see lib/reports/time-range.ts), a bad `cursor` or `limit`.
 */
export function parseSearch(source: SearchSource, params: URLSearchParams, options: ParseSearchOptions = {}): SearchQuery {
  const problems: string[] = [];
  const maxLimit = options.maxLimit ?? MAX_PAGE_SIZE;

  let range: TimeRange = parseTimeRange(params.get("range"), options.now);
  const from = params.get("from");
  const to = params.get("to");
  if (from !== null || to !== null) {
    if (from === null || to === null) problems.push("`from` and `to` must be given together");
    else {
      try {
        range = customTimeRange(from, to);
      } catch (error) {
        if (!(error instanceof TimeRangeError)) throw error;
        problems.push(error.message);
      }
    }
  }

  let cursor: SearchCursor | null = null;
  const cursorText = params.get("cursor");
  if (cursorText) {
    try {
      cursor = decodeCursor(source, cursorText);
      range = { ...range, from: cursor.from, to: cursor.to };
    } catch (error) {
      if (!(error instanceof SearchCursorError)) throw error;
      problems.push(error.message);
    }
  }

  const account = params.get("account") || null;
  if (account !== null && !/^\d{1,12}$/.test(account)) problems.push("`account` must be an AWS account id (digits)");
  const region = params.get("region") || null;
  if (region !== null && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(region)) problems.push("`region` must be an AWS region such as us-east-1");

  const filters = readFilters(params);

  const parts: Condition[] = [];
  if (account !== null && problems.length === 0) parts.push(eq(source === "cloudtrail" ? "recipientAccountId" : "account-id", account));
  if (region !== null && source === "cloudtrail") parts.push(eq("awsRegion", region));
  let valueCount = 0;
  for (const filter of filters) {
    const field = searchField(source, filter.field);
    if (!field) {
      problems.push(`unknown ${source === "cloudtrail" ? "CloudTrail" : "flow-log"} field "${filter.field}"`);
      continue;
    }
    valueCount += filter.values.length;
    const tests: Condition[] = [];
    for (const value of filter.values) {
      const test = valueCondition(filter.field, field, value);
      if (typeof test === "string") problems.push(test);
      else tests.push(test);
    }
    if (tests.length === 0) continue;
    const either = tests.length === 1 ? tests[0]! : any(...tests);
    parts.push(filter.exclude ? not(either) : either);
  }
  if (valueCount > MAX_VALUES) problems.push(`at most ${MAX_VALUES} filter values in one search`);

  let limit = options.defaultLimit ?? DEFAULT_PAGE_SIZE;
  const limitText = params.get("limit");
  if (limitText !== null && limitText !== "") {
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > maxLimit) {
      problems.push(`\`limit\` must be an integer from 1 to ${maxLimit}`);
    } else limit = Number(limitText);
  }

  if (problems.length > 0) throw new SearchQueryError(problems);
  return {
    source,
    range,
    account,
    region,
    filters,
    condition: parts.length === 0 ? null : parts.length === 1 ? parts[0]! : all(...parts),
    cursor,
    limit,
    columns: parseColumns(source, params.get("cols")),
  };
}

/** The `f.<field>` / `x.<field>` parameters as written, grouped per field and kind (empty values skipped, repeats once). */
export function readFilters(params: URLSearchParams): SearchFilter[] {
  const groups = new Map<string, SearchFilter>();
  for (const [key, value] of params) {
    const m = /^([fx])\.(.+)$/.exec(key);
    if (!m || value === "") continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { field: m[2]!, exclude: m[1] === "x", values: [] }));
    if (!group.values.includes(value)) group.values.push(value);
  }
  return [...groups.values()];
}

/** Column fields of a source's result rows, in catalogue order. */
export function resultColumns(source: SearchSource): readonly string[] {
  return (source === "cloudtrail" ? CLOUDTRAIL_COLUMNS : FLOW_COLUMNS).map((c) => c.name);
}

/** `cols=eventTime,eventName`: known column fields, in the order given; unknown names are dropped; none → the default. */
export function parseColumns(source: SearchSource, text: string | null): string[] {
  const known = new Set(resultColumns(source));
  const names = (text ?? "").split(",").map((s) => s.trim()).filter((n) => known.has(n));
  return names.length > 0 ? [...new Set(names)] : [...DEFAULT_COLUMNS[source]];
}

/**
 * The test one URL value makes on one field (see lib/search/search-url.ts for the syntax),
 * or a sentence saying why the value does not suit the field.
 */
export function valueCondition(name: string, field: ResolvedField, raw: string): Condition | string {
  const literal = raw.startsWith("=");
  const value = literal ? raw.slice(1) : raw;
  const type = field.kind === "json" ? "text" : field.type;
  if (!literal && value === "*") return exists(name);
  if (type === "time") return `${name} is a time: only * (present) applies to it; use the time range`;
  if (type === "boolean") {
    const lower = value.toLowerCase();
    if (lower === "true" || lower === "false") return eq(name, lower === "true");
    return `${name} is true or false, not "${value}"`;
  }
  if (type === "number") {
    const protocol = name === "protocol" ? PROTOCOL_NUMBERS[value.toLowerCase()] : undefined;
    if (protocol !== undefined) return eq(name, protocol);
    const range = literal ? null : /^(\d{1,19})-(\d{1,19})$/.exec(value);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (lo > hi) return `${name}: the range ${value} is empty (write low-high)`;
      return all(gte(name, lo), lte(name, hi));
    }
    if (/^\d{1,19}$/.test(value)) return eq(name, Number(value));
    return `${name} is a number: "${value}" is not (e.g. 22, 1024-65535${name === "protocol" ? ", tcp" : ""})`;
  }
  if (!literal && value.endsWith("*")) return prefix(name, value.slice(0, -1));
  const ipLike = field.kind === "column" && (field.type === "ip" || field.mayHoldIp === true);
  if (ipLike && !literal && value.includes("/")) {
    if (isNetwork(value)) return cidr(name, value);
    // A text column that may hold an address (sourceIPAddress also holds service names and whatever a
    // caller wrote): a value that is no attempt at a network is matched as text, so an event page's
    // "same source IP" link works for `<img/src=x>` too.
    if (field.type !== "ip" && !/^[\d.:a-f]+\/\d*$/i.test(value)) return eq(name, value);
    return `"${value}" is not an IP network (e.g. 10.0.0.0/8)`;
  }
  if (type === "ip") {
    // An address as a one-host network, so 2001:db8::1 matches however Postgres prints it.
    const address = ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
    return address ? cidr(name, value) : `${name} is an IP address: "${value}" is not one`;
  }
  return eq(name, value);
}
