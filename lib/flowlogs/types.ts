/**
 * One VPC Flow Log record as stored in `flow_records` (see prisma/schema.prisma).
 * Field names follow AWS (`srcaddr`, `dstport`, `log-status` → `logStatus`, …):
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * A field the file does not carry, or that holds `-`, is null.
 * Addresses are IPv4/IPv6 text (validated), counts are bigint, times UTC.
 */
export interface FlowRow {
  /** 1-based line number in the (decompressed) file; with the object id, the unique key. */
  lineNumber: number;
  version: number | null;
  accountId: string | null;
  interfaceId: string | null;
  srcaddr: string | null;
  dstaddr: string | null;
  srcport: number | null;
  dstport: number | null;
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP, …). */
  protocol: number | null;
  packets: bigint | null;
  /** Bytes transferred during the flow. */
  bytes: bigint | null;
  start: Date | null;
  end: Date | null;
  /** ACCEPT | REJECT */
  action: string | null;
  /** `log-status`: OK | NODATA | SKIPDATA */
  logStatus: string | null;
  vpcId: string | null;
  subnetId: string | null;
  instanceId: string | null;
  tcpFlags: number | null;
  type: string | null;
  pktSrcaddr: string | null;
  pktDstaddr: string | null;
  region: string | null;
  azId: string | null;
  sublocationType: string | null;
  sublocationId: string | null;
  pktSrcAwsService: string | null;
  pktDstAwsService: string | null;
  flowDirection: string | null;
  trafficPath: number | null;
  ecsClusterArn: string | null;
  ecsClusterName: string | null;
  ecsContainerInstanceArn: string | null;
  ecsContainerInstanceId: string | null;
  ecsContainerId: string | null;
  ecsSecondContainerId: string | null;
  ecsServiceName: string | null;
  ecsTaskDefinitionArn: string | null;
  ecsTaskArn: string | null;
  ecsTaskId: string | null;
  rejectReason: string | null;
  /** Fields outside the list above (e.g. Transit Gateway `tgw-id`), by their AWS name; null when none. */
  extra: Record<string, string> | null;
}
