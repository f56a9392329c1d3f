import ipaddr from "ipaddr.js";

/**
 * An independent reading of the search-link contract (lib/search/search-url.ts), in plain JavaScript
 * over the raw fixture records, for report tests: "this link lists N records" is checked without the
 * SQL that computed N. Semantics, from the contract:
 * - `from`/`to`: the record's time (`eventTime`; flow `start`, Unix seconds) in `[from, to)`;
 * - `account` / `region`: CloudTrail `recipientAccountId` / `awsRegion`; flow `account-id` / `region`;
 * - `f.<field>=<v>` (repeated: any), `x.<field>=<v>` (none); `*` present, `Foo*` prefix, an IP field's
 *   value with `/` a CIDR block, otherwise equality (numbers numerically, booleans as true/false);
 * - CloudTrail fields are paths into the record (arrays searched at every level); flow fields are
 *   the file's columns, `-` meaning absent.
 */

export type RawRecord = Record<string, unknown>;

const CLOUDTRAIL_IP_FIELDS = new Set(["sourceIPAddress"]);
const FLOW_IP_FIELDS = new Set(["srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"]);
const FLOW_NUMBER_FIELDS = new Set(["version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp-flags", "traffic-path"]);

/**
 * Every value a dotted path reaches in a CloudTrail record (arrays searched), as JS values; absent and null
 * are left out. `recipientAccountId` is the stored column, which the normaliser fills from
 * `userIdentity.accountId` when a record lacks it (some exported samples do).
 */
function cloudTrailValues(record: RawRecord, field: string): unknown[] {
  if (field === "recipientAccountId") {
    const identity = record.userIdentity as { accountId?: unknown } | undefined;
    const value = [record.recipientAccountId, identity?.accountId].find((v) => typeof v === "string" && v !== "");
    return [value ?? ""];
  }
  let current: unknown[] = [record];
  for (const segment of field.split(".")) {
    const next: unknown[] = [];
    for (const value of current) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item !== null && typeof item === "object" && segment in (item as object)) next.push((item as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null && v !== undefined);
}

function flowValues(record: RawRecord, field: string): unknown[] {
  const value = record[field];
  if (value === undefined || value === null || value === "-") return [];
  return [FLOW_NUMBER_FIELDS.has(field) ? Number(value) : value];
}

function inCidr(value: unknown, block: string): boolean {
  try {
    const address = ipaddr.parse(String(value));
    const [network, bits] = ipaddr.parseCIDR(block);
    return address.kind() === network.kind() && address.match([network, bits]);
  } catch {
    return false;
  }
}

function matches(kind: "cloudtrail" | "vpcflow", field: string, values: unknown[], wanted: string): boolean {
  if (wanted === "*") return values.length > 0;
  const ipField = kind === "cloudtrail" ? CLOUDTRAIL_IP_FIELDS.has(field) : FLOW_IP_FIELDS.has(field);
  return values.some((v) => {
    if (wanted.length > 1 && wanted.endsWith("*")) return String(v).startsWith(wanted.slice(0, -1));
    if (wanted.includes("/") && ipField) return inCidr(v, wanted);
    if (typeof v === "number") return v === Number(wanted);
    if (typeof v === "boolean") return String(v) === wanted;
    if (typeof v === "object") return JSON.stringify(v) === wanted;
    return String(v) === wanted;
  });
}

/** The records of `records` that the search link `href` (`/events?…` or `/flows?…`) lists. */
export function linkedRecords(href: string, records: readonly RawRecord[]): RawRecord[] {
  const url = new URL(href, "http://x");
  const kind = url.pathname === "/flows" ? "vpcflow" : url.pathname === "/events" ? "cloudtrail" : null;
  if (kind === null) throw new Error(`not a search link: ${href}`);
  const p = url.searchParams;
  const from = p.get("from");
  const to = p.get("to");
  if (!from || !to) throw new Error(`a report link must carry an absolute range: ${href}`);
  const [fromMs, toMs] = [Date.parse(from), Date.parse(to)];
  const get = (r: RawRecord, field: string) => (kind === "cloudtrail" ? cloudTrailValues(r, field) : flowValues(r, field));
  const includes = new Map<string, string[]>();
  const excludes = new Map<string, string[]>();
  for (const [name, value] of p) {
    const target = name.startsWith("f.") ? includes : name.startsWith("x.") ? excludes : null;
    if (target) target.set(name.slice(2), [...(target.get(name.slice(2)) ?? []), value]);
  }
  return records.filter((r) => {
    const t = kind === "cloudtrail" ? Date.parse(String(r.eventTime)) : Number(r.start) * 1000;
    if (!(t >= fromMs && t < toMs)) return false;
    const account = p.get("account");
    const region = p.get("region");
    if (account && !matches(kind, "", get(r, kind === "cloudtrail" ? "recipientAccountId" : "account-id"), account)) return false;
    if (region && !matches(kind, "", get(r, kind === "cloudtrail" ? "awsRegion" : "region"), region)) return false;
    for (const [field, wanted] of includes) if (!wanted.some((w) => matches(kind, field, get(r, field), w))) return false;
    for (const [field, wanted] of excludes) if (wanted.some((w) => matches(kind, field, get(r, field), w))) return false;
    return true;
  });
}

/** How many of `records` the link lists. */
export function linkedCount(href: string | null, records: readonly RawRecord[]): number {
  if (href === null) throw new Error("the panel gave no link");
  return linkedRecords(href, records).length;
}

/** Flow-log lines as records keyed by the header's field names (for the oracle). */
export function flowRecords(header: string, lines: readonly string[]): RawRecord[] {
  const fields = header.split(" ");
  return lines.map((line) => Object.fromEntries(line.split(" ").map((v, i) => [fields[i]!, v])));
}
