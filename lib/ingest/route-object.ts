import { FLOW_FIELDS_BY_NAME, TRANSIT_GATEWAY_EXTRA_FIELDS } from "../flowlogs/flow-fields";
import type { ObjectKind } from "./types";

/** How many leading bytes `sniffKind` looks at; callers may pass fewer. */
export const SNIFF_BYTES = 8 * 1024;

export type RouteAction = "parse-cloudtrail" | "parse-flowlog" | "record-digest" | "unsupported" | "skip";

/** What to do with one S3 object; `reason` says why whenever the answer is not the obvious one. */
export interface ObjectRoute {
  kind: ObjectKind;
  action: RouteAction;
  reason?: string;
}

interface Layout {
  kind: ObjectKind;
  /** The service folder after the account id, e.g. `CloudTrail`, `vpcflowlogs`, `elasticloadbalancing`. */
  service: string;
}

const CLOUDTRAIL_FOLDERS: Record<string, ObjectKind> = {
  CloudTrail: "cloudtrail",
  "CloudTrail-Digest": "cloudtrail-digest",
  "CloudTrail-Insight": "cloudtrail-insight",
};

/**
 * What an object is according to the key layouts AWS writes under `AWSLogs/`,
 * after any prefix of the bucket owner's choosing:
 * - `AWSLogs/<account-id>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz` → `cloudtrail`
 *   (`CloudTrail-Digest` → `cloudtrail-digest`, `CloudTrail-Insight` → `cloudtrail-insight`);
 *   organization trails insert the organization id: `AWSLogs/o-<id>/<account-id>/CloudTrail/…`
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html);
 * - `AWSLogs/<account-id>/vpcflowlogs/<region>/…` and the Hive-compatible
 *   `AWSLogs/aws-account-id=<account-id>/aws-service=vpcflowlogs/aws-region=<region>/…` (daily or hourly) → `vpcflow`
 *   (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html);
 * - the same layout naming another service (`AWSLogs/<account-id>/elasticloadbalancing/…`, `…/Config/…`) → `unknown`:
 *   the key says what it is, and it is not ours.
 * Returns null when the key follows none of these layouts. Keys must already be URL-decoded.
 */
export function kindFromKey(key: string): ObjectKind | null {
  return matchLayout(key)?.kind ?? null;
}

/**
 * What an object is according to its first bytes (up to `SNIFF_BYTES`, already decompressed):
 * - `PAR1` (Apache Parquet magic) → `vpcflow`, format `parquet` (flow logs are the only Parquet AWS writes here);
 * - `{"Records":[` (any whitespace) → `cloudtrail`, or `cloudtrail-insight` when the first `eventType` is `AwsCloudTrailInsight`;
 * - a JSON object with `digestStartTime`/`digestEndTime`, or `logFiles` beside other `digest…` fields → `cloudtrail-digest`
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html);
 * - one JSON event per line whose first line has `eventID` and `eventTime` → `cloudtrail`;
 * - a flow-log header line: space-separated lowercase-dash words, the first `version` or another known field name → `vpcflow`
 *   (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
 * Returns null otherwise, including headerless flow-log records: their field order cannot be known.
 */
export function sniffKind(head: Buffer): { kind: ObjectKind; format?: "parquet" } | null {
  if (head.subarray(0, 4).toString("latin1") === "PAR1") return { kind: "vpcflow", format: "parquet" };

  const text = head.subarray(0, SNIFF_BYTES).toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("{")) {
    if (/^\{\s*"Records"\s*:\s*\[/.test(text)) return { kind: cloudTrailKind(text) };
    if (/"digest(Start|End)Time"\s*:/.test(text) || (/"logFiles"\s*:/.test(text) && /"digest\w*"\s*:/.test(text))) {
      return { kind: "cloudtrail-digest" };
    }
    const firstLine = text.split("\n", 1)[0] ?? "";
    if (/"eventID"\s*:\s*"/.test(firstLine) && /"eventTime"\s*:\s*"/.test(firstLine)) return { kind: cloudTrailKind(firstLine) };
    return null;
  }
  if (isFlowLogHeader(text.split("\n", 1)[0] ?? "")) return { kind: "vpcflow" };
  return null;
}

/**
 * Decides what to do with an object from its (URL-decoded) key and first bytes (already decompressed):
 * - `parse-cloudtrail` / `parse-flowlog`: stream it through lib/cloudtrail or lib/flowlogs;
 * - `record-digest`: a CloudTrail digest file — record it in the ledger, never parse it as events;
 * - `unsupported`: recognised but not handled yet (Parquet flow logs: by `PAR1` magic or a `.parquet` key);
 * - `skip`: not ours or not recognisable; `reason` names what the key and the bytes showed.
 *
 * Precedence when both speak: the AWS key layout decides between CloudTrail log, Insight and digest
 * (CloudTrail writes each to its own folder, while 8 KB of content can be ambiguous — a digest read
 * as a log would fail loudly in the parser rather than vanish); the content decides the format
 * (Parquet). When key and content name different families (CloudTrail vs flow logs) nothing is
 * parsed: the object is skipped with both findings so a person can look. When the key follows
 * no AWS layout, the content decides alone; when the content says nothing, an AWS key layout
 * decides alone and the parser reports what is wrong with the file.
 */
export function routeObject(key: string, head: Buffer): ObjectRoute {
  if (key.endsWith("/")) return { kind: "unknown", action: "skip", reason: `key ${JSON.stringify(key)} ends with "/": a folder placeholder, not a log file` };

  const layout = matchLayout(key);
  const sniffed = sniffKind(head);
  const seen = `first bytes: ${describeHead(head)}`;

  if (layout?.kind === "unknown") {
    return { kind: "unknown", action: "skip", reason: `key follows the AWSLogs layout of ${JSON.stringify(layout.service)}, not CloudTrail or VPC Flow Logs (${seen})` };
  }
  const keyKind = layout?.kind ?? null;
  const contentKind = sniffed?.kind ?? null;

  if (keyKind !== null && contentKind !== null && objectFamily(keyKind) !== objectFamily(contentKind)) {
    return {
      kind: "unknown",
      action: "skip",
      reason: `key layout says ${keyKind} but the content looks like ${contentKind} (${seen}); not parsed — check what wrote this object`,
    };
  }

  if (sniffed?.format === "parquet" || key.endsWith(".parquet")) {
    if (keyKind === null || keyKind === "vpcflow") return { kind: "vpcflow", action: "unsupported", reason: "Parquet flow logs are not supported yet" };
    // Parquet content under a CloudTrail key was caught above as a family conflict; here only the suffix says Parquet.
    return { kind: "unknown", action: "skip", reason: `key layout says ${keyKind} but the key ends in .parquet (${seen}); not parsed` };
  }

  if (keyKind !== null) {
    const note =
      contentKind === null
        ? `content not recognised (${seen}); routed by key layout`
        : contentKind !== keyKind
          ? `content looks like ${contentKind} but the key layout says ${keyKind}, which decides`
          : undefined;
    return routeFor(keyKind, note);
  }
  if (contentKind !== null) return routeFor(contentKind, undefined);
  return { kind: "unknown", action: "skip", reason: `neither the key nor the content identifies CloudTrail or VPC Flow Logs (${seen})` };
}

function matchLayout(key: string): Layout | null {
  const segments = key.split("/");
  // The bucket owner's prefix is free text, so try every AWSLogs segment, left to right.
  for (const [i, segment] of segments.entries()) {
    if (segment !== "AWSLogs") continue;
    const layout = layoutAfterAwsLogs(segments.slice(i + 1));
    if (layout !== null) return layout;
  }
  return null;
}

function layoutAfterAwsLogs(rest: string[]): Layout | null {
  const [first = "", second = "", third = ""] = rest;
  // Hive-compatible partitions (flow logs only, so far): aws-account-id=<id>/aws-service=<service>/…
  const hiveAccount = /^aws-account-id=\d{12}$/.test(first);
  const hiveService = /^aws-service=(.+)$/.exec(second);
  if (hiveAccount && hiveService) return serviceLayout(hiveService[1] ?? "", rest.length - 2);

  // Organization trails: o-<id>/<account-id>/… (the docs write the id as "O-ID").
  const org = /^o-[a-z0-9]+$/i.test(first) && /^\d{12}$/.test(second);
  const [account = "", service = ""] = org ? [second, third] : [first, second];
  if (/^\d{12}$/.test(account) && service !== "") return serviceLayout(service, rest.length - (org ? 3 : 2));
  return null;
}

/** `below`: how many key segments follow the service folder. */
function serviceLayout(service: string, below: number): Layout | null {
  // A key that stops at the service folder names no file.
  if (below < 1) return null;
  const cloudTrail = CLOUDTRAIL_FOLDERS[service];
  if (cloudTrail !== undefined) return { kind: cloudTrail, service };
  if (service === "vpcflowlogs") return { kind: "vpcflow", service };
  return { kind: "unknown", service };
}

function cloudTrailKind(text: string): ObjectKind {
  // The first eventType in the text belongs to the first record.
  const eventType = /"eventType"\s*:\s*"([^"]*)"/.exec(text)?.[1];
  return eventType === "AwsCloudTrailInsight" ? "cloudtrail-insight" : "cloudtrail";
}

const KNOWN_FLOW_FIELDS = new Set<string>([...FLOW_FIELDS_BY_NAME.keys(), ...TRANSIT_GATEWAY_EXTRA_FIELDS]);

function isFlowLogHeader(line: string): boolean {
  const tokens = line.replace(/\r$/, "").split(" ");
  const first = tokens[0] ?? "";
  // Later tokens may be fields AWS adds after this catalogue was written; their form is enough.
  return (first === "version" || KNOWN_FLOW_FIELDS.has(first)) && tokens.every((t) => /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(t));
}

/** The record source an object of `kind` holds rows of (CloudTrail events for trails, digests and Insights), or "unknown". */
export function objectFamily(kind: ObjectKind): "cloudtrail" | "vpcflow" | "unknown" {
  return kind === "vpcflow" ? "vpcflow" : kind === "unknown" ? "unknown" : "cloudtrail";
}

function actionFor(kind: ObjectKind): RouteAction {
  switch (kind) {
    case "cloudtrail":
    case "cloudtrail-insight":
      return "parse-cloudtrail";
    case "cloudtrail-digest":
      return "record-digest";
    case "vpcflow":
      return "parse-flowlog";
    case "unknown":
      return "skip";
  }
}

function routeFor(kind: ObjectKind, note: string | undefined): ObjectRoute {
  const action = actionFor(kind);
  // A digest is final without a parse, so the ledger row needs the why.
  const base = action === "record-digest" ? "CloudTrail digest file: recorded, not parsed as events" : undefined;
  const reason = [base, note].filter((r) => r !== undefined).join("; ");
  return reason === "" ? { kind, action } : { kind, action, reason };
}

/** A short, printable account of the first bytes, for reasons stored in the ledger. */
function describeHead(head: Buffer): string {
  if (head.length === 0) return "the object is empty";
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip data (1f 8b) — still compressed";
  const sample = head.subarray(0, 64);
  // Text is UTF-8 without control characters other than tab/newline/CR.
  if (sample.some((b) => b < 0x09 || (b > 0x0d && b < 0x20))) return `binary data (${sample.subarray(0, 8).toString("hex").replace(/(..)/g, "$1 ").trim()})`;
  const firstLine = head.subarray(0, 200).toString("utf8").split("\n", 1)[0]?.trim() ?? "";
  return JSON.stringify(firstLine.length > 80 ? `${firstLine.slice(0, 80)}…` : firstLine);
}

/** The source an object belongs to, read from its key: what the health page's freshness is kept by. */
export interface KeySource {
  /** 12-digit AWS account id. */
  accountId: string;
  /** AWS region, e.g. `us-east-1`. */
  region: string;
  source: "cloudtrail" | "vpcflow";
  /** The UTC time AWS writes into the file name (`…_YYYYMMDDTHHmmZ_…`), or null when the name has none. */
  dataAt: Date | null;
}

const CLOUDTRAIL_SOURCE = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\//i;
const FLOW_SOURCE = /(?:^|\/)AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z0-9-]+)\//;
const HIVE_FLOW_SOURCE = /(?:^|\/)AWSLogs\/aws-account-id=(\d{12})\/aws-service=vpcflowlogs\/aws-region=([a-z0-9-]+)\//;
const FILE_STAMP = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z[_.]/;

/**
 * Account, region and source of a CloudTrail or VPC flow-log object from the key layouts AWS writes
 * (see `kindFromKey`); null for any other key (CloudTrail digests and Insights included). Keys must be URL-decoded.
 */
export function sourceOfKey(key: string): KeySource | null {
  const trail = CLOUDTRAIL_SOURCE.exec(key);
  const flow = trail ? null : (FLOW_SOURCE.exec(key) ?? HIVE_FLOW_SOURCE.exec(key));
  const match = trail ?? flow;
  if (!match) return null;
  const stamp = FILE_STAMP.exec(key.slice(key.lastIndexOf("/") + 1));
  const dataAt = stamp ? new Date(Date.UTC(Number(stamp[1]), Number(stamp[2]) - 1, Number(stamp[3]), Number(stamp[4]), Number(stamp[5]))) : null;
  return { accountId: match[1]!, region: match[2]!, source: trail ? "cloudtrail" : "vpcflow", dataAt: dataAt && !Number.isNaN(dataAt.getTime()) ? dataAt : null };
}
