import type { FlowRow } from "./types";

/**
 * The field catalogue: every VPC Flow Log field (versions 2–8) Trailwatch stores
 * in its own column, in the order of AWS's "Available fields" table:
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 *
 * One table read by the parser (how to validate and where to put each value),
 * the loader (COPY column order: `object_id`, `line_number`, these columns in
 * this order, `extra`) and the rule engine (field picker, SQL column).
 * A field not listed here (Transit Gateway fields such as `tgw-id`, or fields
 * AWS adds later) is kept in `FlowRow.extra` under its AWS name.
 */

/**
 * How a field's text is validated and converted:
 * - `int`: non-negative decimal integer → number, at most `max` (default 2^31-1, Postgres `int`);
 * - `port`: TCP/UDP port, 0–65535 → number;
 * - `bigint`: non-negative decimal integer → bigint, at most 2^63-1 (Postgres `bigint`);
 * - `unix-seconds`: seconds since 1970-01-01T00:00:00Z → Date (UTC);
 * - `inet`: IPv4 or IPv6 address (as `node:net` isIP accepts it) → the text unchanged;
 * - `text`: any value → the text unchanged.
 * In every type, `-` means "not applicable" and becomes null.
 */
export type FlowFieldType = "int" | "port" | "bigint" | "unix-seconds" | "inet" | "text";

/** FlowRow properties that hold one flow-log field each (all but `lineNumber` and `extra`). */
export type FlowFieldProperty = Exclude<keyof FlowRow, "lineNumber" | "extra">;

/** VPC Flow Logs versions that introduced fields (6 is Transit Gateway Flow Logs only). */
export type FlowLogVersion = 2 | 3 | 4 | 5 | 7 | 8;

export interface FlowField {
  /** AWS field name as written in the header line and the `--log-format`, e.g. `pkt-srcaddr`. */
  readonly name: string;
  /** FlowRow property, e.g. `pktSrcaddr`. */
  readonly property: FlowFieldProperty;
  /** Column of `flow_records` (prisma/schema.prisma), e.g. `pkt_srcaddr`. `end` is an SQL keyword: always quote identifiers. */
  readonly column: string;
  readonly type: FlowFieldType;
  /** For `int` fields: the largest accepted value (protocol: 255); absent means 2^31-1. */
  readonly max?: number;
  /** The VPC Flow Logs version that introduced the field. */
  readonly version: FlowLogVersion;
}

const FIELDS = [
  { name: "version", property: "version", column: "version", type: "int", version: 2 },
  { name: "account-id", property: "accountId", column: "account_id", type: "text", version: 2 },
  { name: "interface-id", property: "interfaceId", column: "interface_id", type: "text", version: 2 },
  { name: "srcaddr", property: "srcaddr", column: "srcaddr", type: "inet", version: 2 },
  { name: "dstaddr", property: "dstaddr", column: "dstaddr", type: "inet", version: 2 },
  { name: "srcport", property: "srcport", column: "srcport", type: "port", version: 2 },
  { name: "dstport", property: "dstport", column: "dstport", type: "port", version: 2 },
  { name: "protocol", property: "protocol", column: "protocol", type: "int", max: 255, version: 2 },
  { name: "packets", property: "packets", column: "packets", type: "bigint", version: 2 },
  { name: "bytes", property: "bytes", column: "bytes", type: "bigint", version: 2 },
  { name: "start", property: "start", column: "start", type: "unix-seconds", version: 2 },
  { name: "end", property: "end", column: "end", type: "unix-seconds", version: 2 },
  { name: "action", property: "action", column: "action", type: "text", version: 2 },
  { name: "log-status", property: "logStatus", column: "log_status", type: "text", version: 2 },
  { name: "vpc-id", property: "vpcId", column: "vpc_id", type: "text", version: 3 },
  { name: "subnet-id", property: "subnetId", column: "subnet_id", type: "text", version: 3 },
  { name: "instance-id", property: "instanceId", column: "instance_id", type: "text", version: 3 },
  { name: "tcp-flags", property: "tcpFlags", column: "tcp_flags", type: "int", version: 3 },
  { name: "type", property: "type", column: "type", type: "text", version: 3 },
  { name: "pkt-srcaddr", property: "pktSrcaddr", column: "pkt_srcaddr", type: "inet", version: 3 },
  { name: "pkt-dstaddr", property: "pktDstaddr", column: "pkt_dstaddr", type: "inet", version: 3 },
  { name: "region", property: "region", column: "region", type: "text", version: 4 },
  { name: "az-id", property: "azId", column: "az_id", type: "text", version: 4 },
  { name: "sublocation-type", property: "sublocationType", column: "sublocation_type", type: "text", version: 4 },
  { name: "sublocation-id", property: "sublocationId", column: "sublocation_id", type: "text", version: 4 },
  { name: "pkt-src-aws-service", property: "pktSrcAwsService", column: "pkt_src_aws_service", type: "text", version: 5 },
  { name: "pkt-dst-aws-service", property: "pktDstAwsService", column: "pkt_dst_aws_service", type: "text", version: 5 },
  { name: "flow-direction", property: "flowDirection", column: "flow_direction", type: "text", version: 5 },
  { name: "traffic-path", property: "trafficPath", column: "traffic_path", type: "int", version: 5 },
  { name: "ecs-cluster-arn", property: "ecsClusterArn", column: "ecs_cluster_arn", type: "text", version: 7 },
  { name: "ecs-cluster-name", property: "ecsClusterName", column: "ecs_cluster_name", type: "text", version: 7 },
  { name: "ecs-container-instance-arn", property: "ecsContainerInstanceArn", column: "ecs_container_instance_arn", type: "text", version: 7 },
  { name: "ecs-container-instance-id", property: "ecsContainerInstanceId", column: "ecs_container_instance_id", type: "text", version: 7 },
  { name: "ecs-container-id", property: "ecsContainerId", column: "ecs_container_id", type: "text", version: 7 },
  { name: "ecs-second-container-id", property: "ecsSecondContainerId", column: "ecs_second_container_id", type: "text", version: 7 },
  { name: "ecs-service-name", property: "ecsServiceName", column: "ecs_service_name", type: "text", version: 7 },
  { name: "ecs-task-definition-arn", property: "ecsTaskDefinitionArn", column: "ecs_task_definition_arn", type: "text", version: 7 },
  { name: "ecs-task-arn", property: "ecsTaskArn", column: "ecs_task_arn", type: "text", version: 7 },
  { name: "ecs-task-id", property: "ecsTaskId", column: "ecs_task_id", type: "text", version: 7 },
  { name: "reject-reason", property: "rejectReason", column: "reject_reason", type: "text", version: 8 },
] as const satisfies readonly FlowField[];

// The compiler refuses a FlowRow property without a catalogue entry: adding a
// column to FlowRow without teaching the parser and loader about it fails here.
type Uncatalogued = Exclude<FlowFieldProperty, (typeof FIELDS)[number]["property"]>;
const everyPropertyCatalogued: [Uncatalogued] extends [never] ? true : Uncatalogued = true;
void everyPropertyCatalogued;

/** Every catalogued field, in AWS's table order (which is also the COPY column order). */
export const FLOW_FIELDS: readonly FlowField[] = FIELDS;

/** Catalogued fields by AWS name (`pkt-srcaddr` → its FlowField). */
export const FLOW_FIELDS_BY_NAME: ReadonlyMap<string, FlowField> = new Map(FIELDS.map((f) => [f.name, f]));

/**
 * The default format (`${version} ${account-id} … ${log-status}`): all version 2
 * fields in table order. Files written with it still carry a header line on S3;
 * pass it as `fields` only for headerless text known to use it.
 */
export const DEFAULT_FLOW_LOG_FIELDS: readonly string[] = FIELDS.filter((f) => f.version === 2).map((f) => f.name);

/**
 * Transit Gateway Flow Logs fields (version 6) that have no column of their own
 * and so land in `extra`, in the order of AWS's default Transit Gateway format:
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records
 * Listed so that a header made of them is recognised as a flow-log header.
 */
export const TRANSIT_GATEWAY_EXTRA_FIELDS: readonly string[] = [
  "resource-type",
  "tgw-id",
  "tgw-attachment-id",
  "tgw-src-vpc-account-id",
  "tgw-dst-vpc-account-id",
  "tgw-src-vpc-id",
  "tgw-dst-vpc-id",
  "tgw-src-subnet-id",
  "tgw-dst-subnet-id",
  "tgw-src-eni",
  "tgw-dst-eni",
  "tgw-src-az-id",
  "tgw-dst-az-id",
  "tgw-pair-attachment-id",
  "packets-lost-no-route",
  "packets-lost-blackhole",
  "packets-lost-mtu-exceeded",
  "packets-lost-ttl-expired",
];
