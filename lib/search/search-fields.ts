import { CLOUDTRAIL_COLUMNS, FLOW_COLUMNS, resolveField, type FieldType, type ResolvedField } from "../detect/fields";
import type { RuleSource } from "../detect/rule-schema";

/**
 * What the search pages offer for each source: the fields of the filter picker
 * and the result columns, named as in the field catalogue (lib/detect/fields.ts),
 * with a human label. This file holds no SQL and no column names: the catalogue
 * is the one place that maps a field to SQL; a test checks every name here
 * resolves there.
 */

export type SearchSource = RuleSource;

export interface SearchField {
  /** AWS name, as in the catalogue and the `f.` / `x.` URL parameters. */
  name: string;
  label: string;
  /** Example value shown in the filter input. */
  hint?: string;
}

/** The hot CloudTrail fields, in the order the filter picker lists them. */
export const EVENT_FILTER_FIELDS: readonly SearchField[] = [
  { name: "eventName", label: "Event name", hint: "CreateAccessKey or Create*" },
  { name: "eventSource", label: "Event source", hint: "iam.amazonaws.com" },
  { name: "userIdentity.arn", label: "Principal ARN", hint: "arn:aws:iam::111122223333:user/alice" },
  { name: "userIdentity.userName", label: "User name", hint: "alice" },
  { name: "userIdentity.accessKeyId", label: "Access key ID", hint: "AKIA…" },
  { name: "userIdentity.type", label: "Identity type", hint: "IAMUser, AssumedRole, Root…" },
  { name: "userIdentity.sessionContext.sessionIssuer.arn", label: "Role ARN (session issuer)", hint: "arn:aws:iam::111122223333:role/Admin" },
  { name: "sourceIPAddress", label: "Source IP", hint: "198.51.100.7 or 198.51.100.0/24" },
  { name: "awsRegion", label: "Region", hint: "us-east-1" },
  { name: "recipientAccountId", label: "Account", hint: "111122223333" },
  { name: "errorCode", label: "Error code", hint: "AccessDenied, or * for any error" },
  { name: "readOnly", label: "Read-only", hint: "true or false" },
  { name: "eventType", label: "Event type", hint: "AwsApiCall, AwsConsoleSignIn…" },
  { name: "userAgent", label: "User agent", hint: "aws-cli*" },
  { name: "eventID", label: "Event ID" },
];

/** The VPC flow-log fields of the filter picker. */
export const FLOW_FILTER_FIELDS: readonly SearchField[] = [
  { name: "srcaddr", label: "Source address", hint: "10.0.1.5 or 10.0.0.0/16" },
  { name: "dstaddr", label: "Destination address", hint: "10.0.1.5 or 10.0.0.0/16" },
  { name: "srcport", label: "Source port", hint: "443 or 1024-65535" },
  { name: "dstport", label: "Destination port", hint: "22 or 1-1023" },
  { name: "protocol", label: "Protocol", hint: "tcp, udp, icmp or 6" },
  { name: "action", label: "Action", hint: "ACCEPT or REJECT" },
  { name: "interface-id", label: "Interface", hint: "eni-…" },
  { name: "vpc-id", label: "VPC", hint: "vpc-…" },
  { name: "subnet-id", label: "Subnet", hint: "subnet-…" },
  { name: "instance-id", label: "Instance", hint: "i-…" },
  { name: "flow-direction", label: "Flow direction", hint: "ingress or egress" },
  { name: "log-status", label: "Log status", hint: "OK, NODATA, SKIPDATA" },
  { name: "account-id", label: "Account", hint: "111122223333" },
  { name: "region", label: "Region (flow logs v4+)", hint: "us-east-1" },
  { name: "pkt-srcaddr", label: "Packet source address" },
  { name: "pkt-dstaddr", label: "Packet destination address" },
  { name: "tcp-flags", label: "TCP flags", hint: "2 (SYN)" },
  { name: "type", label: "Traffic type", hint: "IPv4, IPv6, EFA" },
];

export const FILTER_FIELDS: Record<SearchSource, readonly SearchField[]> = {
  cloudtrail: EVENT_FILTER_FIELDS,
  vpcflow: FLOW_FILTER_FIELDS,
};

/** Columns shown when the URL names none (`cols`). */
export const DEFAULT_COLUMNS: Record<SearchSource, readonly string[]> = {
  cloudtrail: ["eventTime", "eventName", "userIdentity.arn", "sourceIPAddress", "awsRegion", "recipientAccountId", "errorCode"],
  vpcflow: ["start", "srcaddr", "srcport", "dstaddr", "dstport", "protocol", "action", "bytes", "packets", "interface-id"],
};

/** The time field results are sorted and ranged by. */
export const TIME_FIELD: Record<SearchSource, string> = { cloudtrail: "eventTime", vpcflow: "start" };

/**
 * IP protocol numbers by name (IANA "Assigned Internet Protocol Numbers"), for
 * `f.protocol=tcp` and for showing `6` as `tcp`.
 */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  "ipv6-icmp": 58,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  sctp: 132,
};

/** `6` → `"tcp"`; a number without a common name → null. */
export function protocolName(protocol: number | null | undefined): string | null {
  if (protocol === null || protocol === undefined) return null;
  for (const [name, n] of Object.entries(PROTOCOL_NUMBERS)) if (n === protocol) return name;
  return null;
}

/** A catalogue field of `source`, or null: the one lookup the search makes (it never builds a field of its own). */
export function searchField(source: SearchSource, name: string): ResolvedField | null {
  return resolveField(source, name);
}

/** A label for any field name: the picker's label, else the AWS name itself. */
export function fieldLabel(source: SearchSource, name: string): string {
  return FILTER_FIELDS[source].find((f) => f.name === name)?.label ?? name;
}

/** A result column: a catalogue column field with its label and how it is shown. */
export interface ResultColumnSpec {
  name: string;
  label: string;
  kind: FieldType;
  /** Names for numeric values (protocol numbers). */
  names?: Record<string, string>;
}

const COLUMN_LABELS: Record<string, string> = {
  eventTime: "Time (UTC)",
  start: "Start (UTC)",
  end: "End (UTC)",
  bytes: "Bytes",
  packets: "Packets",
};

/** Every column a result table can show for `source`, in catalogue order. */
export function resultColumnSpecs(source: SearchSource): ResultColumnSpec[] {
  const protocolNames = Object.fromEntries(Object.entries(PROTOCOL_NUMBERS).filter(([n]) => n !== "ipv6-icmp").map(([n, v]) => [String(v), n]));
  return (source === "cloudtrail" ? CLOUDTRAIL_COLUMNS : FLOW_COLUMNS).map((c) => ({
    name: c.name,
    label: COLUMN_LABELS[c.name] ?? fieldLabel(source, c.name),
    kind: c.type,
    ...(c.name === "protocol" ? { names: protocolNames } : {}),
  }));
}
