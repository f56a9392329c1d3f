import { resolveTimeRange, TimeRangeError, type BucketUnit, type RangePreset, type TimeRange } from "./time-range";

/**
 * The global filters of every report, as the URL carries them (the parameter names of the
 * search links, lib/search/search-url.ts): `range=<preset>` or `from=<ISO 8601>&to=<ISO 8601>`
 * (UTC instants, `to` exclusive), `account=<12 digits>`, `region=<AWS region>`.
 * Pages and the JSON API parse them here, so a report URL and its API URL mean the same thing.
 */

/** What every report function is asked for: `[from, to)` in UTC, optionally one account and one region. */
export interface ReportScope {
  from: Date;
  to: Date;
  /** Bucket width of time series; default by span (`bucketForSpan`). */
  bucket?: BucketUnit;
  /** A 12-digit AWS account id: CloudTrail `recipientAccountId`, flow logs `account-id`. */
  account?: string;
  /** An AWS region: CloudTrail `awsRegion`, flow logs `region` (a field of custom formats only). */
  region?: string;
}

/** Parsed report filters: the resolved time range plus the optional account and region. */
export interface ReportFilters {
  range: TimeRange;
  account?: string;
  region?: string;
}

export class ReportFilterError extends Error {
  override name = "ReportFilterError";
}

/** `URLSearchParams`, or the record Next passes to pages (a repeated parameter arrives as an array). */
export type ParamSource = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

const ACCOUNT_ID = /^\d{12}$/;
// us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-4, il-central-1 …
const REGION = /^[a-z]{2}(-[a-z]+){1,2}-\d{1,2}$/;

export function isAccountId(value: unknown): value is string {
  return typeof value === "string" && ACCOUNT_ID.test(value);
}

export function isRegion(value: unknown): value is string {
  return typeof value === "string" && REGION.test(value);
}

function param(params: ParamSource, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const value = (params as Record<string, string | readonly string[] | undefined>)[name];
  const first = typeof value === "string" ? value : value?.[0];
  return first === "" ? undefined : first;
}

/**
 * Strict parsing, for the JSON API. An absent `account`/`region` means "all".
 * Throws `ReportFilterError` naming the bad parameter (a malformed or reversed `from`/`to`,
 * only one of them, a span over 400 days, an account that is not 12 digits, an unknown region shape).
 */
export function parseReportFilters(params: ParamSource, now: Date = new Date()): ReportFilters {
  let range: TimeRange;
  try {
    range = resolveTimeRange({ range: param(params, "range"), from: param(params, "from"), to: param(params, "to") }, now);
  } catch (error) {
    if (error instanceof TimeRangeError) throw new ReportFilterError(error.message);
    throw error;
  }
  const account = param(params, "account");
  const region = param(params, "region");
  if (account !== undefined && !isAccountId(account)) throw new ReportFilterError("`account` must be a 12-digit AWS account id");
  if (region !== undefined && !isRegion(region)) throw new ReportFilterError("`region` must be an AWS region such as us-east-1");
  return { range, ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/**
 * Lenient parsing, for pages: a bad parameter is dropped (the 24-hour default replaces a bad range)
 * and named in `problems`, so a mistyped link still shows a report and says what was ignored.
 */
export function readReportFilters(params: ParamSource, now: Date = new Date()): { filters: ReportFilters; problems: string[] } {
  const problems: string[] = [];
  let range: TimeRange;
  try {
    range = resolveTimeRange({ range: param(params, "range"), from: param(params, "from"), to: param(params, "to") }, now);
  } catch (error) {
    if (!(error instanceof TimeRangeError)) throw error;
    problems.push(`Time range ignored: ${error.message}.`);
    range = resolveTimeRange({ range: param(params, "range") }, now);
  }
  const account = param(params, "account");
  const region = param(params, "region");
  const filters: ReportFilters = { range };
  if (account !== undefined) {
    if (isAccountId(account)) filters.account = account;
    else problems.push("Account filter ignored: an account id has 12 digits.");
  }
  if (region !== undefined) {
    if (isRegion(region)) filters.region = region;
    else problems.push("Region filter ignored: not an AWS region name.");
  }
  return { filters, problems };
}

/** The scope report functions take, from parsed filters. */
export function scopeOf(filters: ReportFilters): ReportScope {
  const { range, account, region } = filters;
  return { from: range.from, to: range.to, bucket: range.bucket, ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/** A change of the filters for a link: a preset, an absolute range, or a new account / region (null clears it). */
export interface FilterChange {
  range?: RangePreset;
  from?: Date;
  to?: Date;
  account?: string | null;
  region?: string | null;
}

/**
 * The URL of a report page (`path`, e.g. "/overview") with `filters` changed by `change`: the time range
 * stays a preset when it is one (so a shared link keeps meaning "the last 24 hours"), else absolute.
 */
export function reportHref(path: string, filters: ReportFilters, change: FilterChange = {}): string {
  const params = new URLSearchParams();
  if (change.from && change.to) {
    params.set("from", change.from.toISOString());
    params.set("to", change.to.toISOString());
  } else if (change.range) {
    params.set("range", change.range);
  } else if (filters.range.preset === "custom") {
    params.set("from", filters.range.from.toISOString());
    params.set("to", filters.range.to.toISOString());
  } else {
    params.set("range", filters.range.preset);
  }
  const account = change.account === undefined ? filters.account : change.account;
  const region = change.region === undefined ? filters.region : change.region;
  if (account) params.set("account", account);
  if (region) params.set("region", region);
  return `${path}?${params.toString()}`;
}
