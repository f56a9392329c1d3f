import ipaddr from "ipaddr.js";
import { FLOW_FIELDS, type FlowFieldType } from "../flowlogs/flow-fields";
import type { Predicate, RuleSource } from "./rule-schema";

/**
 * The field catalogue of the rule engine: AWS's field names mapped to SQL.
 * Read by the rule schema (does this field exist?), the compiler (which SQL)
 * and the rule editor (field picker).
 *
 * - CloudTrail: the hot columns of `cloudtrail_events` under their record paths
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
 *   plus any dotted path into the raw record below `RAW_ROOTS`
 *   (`requestParameters.userName`, `additionalEventData.MFAUsed`).
 * - VPC flow logs: every field of `FLOW_FIELDS` under its AWS name (`srcaddr`, `log-status`).
 */

/**
 * How values compare: `text` as strings; `ip` an `inet` column (CIDR tests
 * native, string tests on its text form); `number` numerically; `boolean`;
 * `time` (only `exists`).
 */
export type FieldType = "text" | "ip" | "number" | "boolean" | "time";

export interface ColumnField {
  kind: "column";
  /** The AWS name rules use, e.g. `userIdentity.arn`, `dstport`. */
  name: string;
  /** Column of the source table (quote it: `end` is an SQL keyword). */
  column: string;
  type: FieldType;
  /** A text column that holds an IP address or a service name (CloudTrail `sourceIPAddress`): CIDR tests cast it safely. */
  mayHoldIp?: boolean;
  /**
   * A generated column holding a JSON path of the raw record ({@link RAW_PATH_COLUMNS}): tested like that path
   * (CIDR and numeric comparisons cast its text safely), but on its first value only.
   */
  fromRaw?: boolean;
}

/** A path into CloudTrail's raw record (`raw` jsonb), searched through arrays. */
export interface JsonPathField {
  kind: "json";
  name: string;
  /** Path segments, e.g. `["requestParameters", "userName"]`. */
  segments: string[];
  type: "text";
}

export type ResolvedField = ColumnField | JsonPathField;

const column = (name: string, col: string, type: FieldType = "text", mayHoldIp?: boolean): ColumnField => ({
  kind: "column",
  name,
  column: col,
  type,
  ...(mayHoldIp ? { mayHoldIp } : {}),
});

/** CloudTrail record fields with a column of their own (lib/ingest/tables.ts). */
export const CLOUDTRAIL_COLUMNS: readonly ColumnField[] = [
  column("eventID", "event_id"),
  column("eventTime", "event_time", "time"),
  column("eventVersion", "event_version"),
  column("eventName", "event_name"),
  column("eventSource", "event_source"),
  column("awsRegion", "aws_region"),
  column("sourceIPAddress", "source_ip_address", "text", true),
  column("userAgent", "user_agent"),
  column("userIdentity.type", "user_identity_type"),
  column("userIdentity.arn", "user_identity_arn"),
  column("userIdentity.principalId", "user_identity_principal_id"),
  column("userIdentity.accountId", "user_identity_account_id"),
  column("userIdentity.userName", "user_identity_user_name"),
  column("userIdentity.accessKeyId", "user_identity_access_key_id"),
  column("userIdentity.invokedBy", "user_identity_invoked_by"),
  column("userIdentity.sessionContext.sessionIssuer.type", "session_issuer_type"),
  column("userIdentity.sessionContext.sessionIssuer.arn", "session_issuer_arn"),
  column("userIdentity.sessionContext.sessionIssuer.userName", "session_issuer_user_name"),
  column("errorCode", "error_code"),
  column("errorMessage", "error_message"),
  column("readOnly", "read_only", "boolean"),
  column("eventType", "event_type"),
  column("eventCategory", "event_category"),
  column("managementEvent", "management_event", "boolean"),
  column("recipientAccountId", "recipient_account_id"),
  column("requestID", "request_id"),
  column("sharedEventID", "shared_event_id"),
  column("vpcEndpointId", "vpc_endpoint_id"),
];

/**
 * JSON paths the reports read over many rows, as generated columns of `cloudtrail_events` (migration
 * 20261206120000_raw_path_columns): Postgres evaluates each path once, at insert, instead of per row and query
 * (a few microseconds each). A column holds the first value its lax path reaches, as text — what a group key or a
 * distinct count of the path always read ({@link resolveField}'s JSON fields) — so tests on these fields compare
 * that first value: a path reaching several values (through an array) no longer matches on a later one.
 */
export const RAW_PATH_COLUMNS: readonly ColumnField[] = [
  ["responseElements.ConsoleLogin", "response_console_login"],
  ["additionalEventData.MFAUsed", "additional_mfa_used"],
  ["requestParameters.userName", "request_user_name"],
  ["requestParameters.policyArn", "request_policy_arn"],
  ["requestParameters.roleArn", "request_role_arn"],
  ["requestParameters.roleSessionName", "request_role_session_name"],
  ["requestParameters.sourceIdentity", "request_source_identity"],
  ["requestParameters.bucketName", "request_bucket_name"],
  ["additionalEventData.bytesTransferredOut", "additional_bytes_transferred_out"],
].map(([name, column]): ColumnField => ({ kind: "column", name: name!, column: column!, type: "text", fromRaw: true }));

/** Top-level CloudTrail record members a JSON path may start with. */
export const RAW_ROOTS = [
  "requestParameters",
  "responseElements",
  "additionalEventData",
  "userIdentity",
  "serviceEventDetails",
  "resources",
  "tlsDetails",
  "insightDetails",
  "edgeDeviceDetails",
  "sessionCredentialFromConsole",
  "sourceIdentity",
  "apiVersion",
  "eventContext",
] as const;

const FLOW_TYPES: Record<FlowFieldType, FieldType> = {
  int: "number",
  port: "number",
  bigint: "number",
  "unix-seconds": "time",
  inet: "ip",
  text: "text",
};

/** VPC Flow Log fields (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html). */
export const FLOW_COLUMNS: readonly ColumnField[] = FLOW_FIELDS.map((f) => column(f.name, f.column, FLOW_TYPES[f.type]));

const BY_SOURCE: Record<RuleSource, Map<string, ColumnField>> = {
  cloudtrail: new Map([...CLOUDTRAIL_COLUMNS, ...RAW_PATH_COLUMNS].map((f) => [f.name, f])),
  vpcflow: new Map(FLOW_COLUMNS.map((f) => [f.name, f])),
};

const SEGMENT = /^[^."\\\s]+$/;

/** The field a rule names, or null when `source` has no such field. */
export function resolveField(source: RuleSource, name: string): ResolvedField | null {
  const known = BY_SOURCE[source].get(name);
  if (known) return known;
  if (source !== "cloudtrail") return null;
  const segments = name.split(".");
  if (!(RAW_ROOTS as readonly string[]).includes(segments[0]!) || !segments.every((s) => SEGMENT.test(s))) return null;
  return { kind: "json", name, segments, type: "text" };
}

export function isField(source: RuleSource, name: string): boolean {
  return resolveField(source, name) !== null;
}

/** Column fields of a source, for the rule editor's field picker. */
export function catalogue(source: RuleSource): readonly ColumnField[] {
  return source === "cloudtrail" ? [...CLOUDTRAIL_COLUMNS, ...RAW_PATH_COLUMNS] : FLOW_COLUMNS;
}

/** Whether a field holds text of the raw record (a JSON path, or a column generated from one): CIDR and numeric tests cast it. */
export function holdsRawText(field: ResolvedField): boolean {
  return field.kind === "json" || field.fromRaw === true;
}

/** `"10.0.0.0/8"`, `"203.0.113.7"` or `"::/0"`: a network or address Postgres `inet` accepts. */
export function isNetwork(value: string): boolean {
  return value.includes("/") ? ipaddr.isValidCIDR(value) : ipaddr.isValid(value);
}

/**
 * Why a predicate's value does not suit its field (e.g. a CIDR test on
 * `eventName`, a word where a port number belongs), or null when it does.
 * Assumes the field exists.
 */
export function predicateProblem(source: RuleSource, p: Predicate): string | null {
  const field = resolveField(source, p.field);
  if (!field) return null;
  if (p.op === "equalsField") return null;
  const values = p.op === "exists" ? [] : Array.isArray(p.value) ? p.value : [p.value];
  if (field.type === "time" && p.op !== "exists") return `${p.field} is a time: only "exists" applies`;
  if (p.op === "cidr") {
    if (field.type !== "ip" && !(field.kind === "column" && field.mayHoldIp) && !holdsRawText(field)) return `${p.field} is not an IP address field`;
    const bad = values.find((v) => !isNetwork(String(v)));
    return bad === undefined ? null : `"${bad}" is not an IP network (e.g. 10.0.0.0/8)`;
  }
  if (field.type === "number" && (p.op === "equals" || p.op === "in")) {
    const bad = values.find((v) => typeof v === "boolean" || !Number.isFinite(Number(v)));
    return bad === undefined ? null : `${p.field} is a number: "${String(bad)}" is not`;
  }
  if (field.type === "boolean" && p.op !== "exists") {
    if (p.op !== "equals" || typeof p.value !== "boolean") return `${p.field} is true or false: use equals with a boolean`;
  }
  if (["gt", "gte", "lt", "lte"].includes(p.op) && field.type !== "number" && !holdsRawText(field)) return `${p.field} is not a number`;
  return null;
}
