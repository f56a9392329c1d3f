/**
 * The URL contract of the event search (`/events`) and flow search (`/flows`):
 * every report panel, alert and event page links to the exact records it
 * counts by building one of these links. Shared by the reports, the alerts and
 * the search pages; the search pages parse the same parameters.
 *
 * Parameters:
 * - time: `range=<preset>` (e.g. `24h`) or `from=<ISO 8601 UTC>&to=<ISO 8601 UTC>` (`to` exclusive);
 * - global filters: `account=<12 digits>`, `region=<aws region>`;
 * - `f.<field>=<value>`: the record's field equals the value; repeated = any of them;
 * - `x.<field>=<value>`: the field does not equal the value (excluded);
 *   field names are AWS's, as in the rule engine's catalogue (lib/detect/fields.ts):
 *   `eventName`, `userIdentity.arn`, `requestParameters.bucketName`, `srcaddr`, `dstport`, `action`;
 *   values: `Foo*` matches by prefix, `*` alone means "present", an IP field
 *   value with `/` is a CIDR (`10.0.0.0/8`); so `x.errorCode=*` means "succeeded";
 *   a value starting with `=` is the exact text after it (no prefix, presence or
 *   CIDR meaning: `=Foo*` is the literal `Foo*`), see {@link exactValue};
 *   number fields also take a range `1024-65535`, `protocol` also a name (`tcp`);
 * - paging and display (search pages and APIs only): `cursor=<opaque>` (from a
 *   previous page), `limit=<rows per page>`, `cols=<field>,<field>,…` (shown columns).
 */
export interface SearchLink {
  /** A preset of lib/reports/time-range.ts (`1h`, `24h`, `7d`, `30d`, …). */
  range?: string;
  /** Start of the time range, inclusive (overrides `range` with `to`). */
  from?: Date;
  /** End of the time range, exclusive. */
  to?: Date;
  account?: string;
  region?: string;
  /** Field → value(s) the records must have (any of several). */
  include?: Record<string, string | number | readonly (string | number)[]>;
  /** Field → value(s) the records must not have. */
  exclude?: Record<string, string | number | readonly (string | number)[]>;
}

/** `/events?…` listing the CloudTrail events `link` describes. */
export function eventSearchHref(link: SearchLink): string {
  return `/events?${searchParams(link).toString()}`;
}

/** `/flows?…` listing the VPC flow records `link` describes. */
export function flowSearchHref(link: SearchLink): string {
  return `/flows?${searchParams(link).toString()}`;
}

/** The query parameters of a search link (parameter order is stable, for tests and caching). */
export function searchParams(link: SearchLink): URLSearchParams {
  const params = new URLSearchParams();
  if (link.from && link.to) {
    params.set("from", link.from.toISOString());
    params.set("to", link.to.toISOString());
  } else if (link.range) {
    params.set("range", link.range);
  }
  if (link.account) params.set("account", link.account);
  if (link.region) params.set("region", link.region);
  for (const [prefix, fields] of [["f", link.include], ["x", link.exclude]] as const) {
    for (const [field, value] of Object.entries(fields ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(`${prefix}.${field}`, String(v));
    }
  }
  return params;
}

/**
 * A value that the search matches exactly as written, whatever characters it
 * holds: values from the data (attacker-controlled, e.g. an `eventName` ending
 * in `*`) go through this before they become an `f.` / `x.` parameter, so the
 * count a report shows equals the rows the link lists.
 */
export function exactValue(value: string | number): string {
  const text = String(value);
  // `/<digits>` at the end could read as a CIDR on an IP field; other slashes (ARNs) need no escape.
  return /^=|\*$|\/\d{1,3}$/.test(text) ? `=${text}` : text;
}

/** Path segment of an event whose `recipientAccountId` is empty (12 digits never look like this). */
export const NO_ACCOUNT_SEGMENT = "-";

/** `/events/<recipientAccountId>/<eventID>`: the page of one CloudTrail event (both parts URL-encoded). */
export function eventHref(recipientAccountId: string, eventId: string): string {
  return `/events/${encodeURIComponent(recipientAccountId || NO_ACCOUNT_SEGMENT)}/${encodeURIComponent(eventId)}`;
}
