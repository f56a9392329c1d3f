import { getPool } from "../db/pool";
import vpcPortScan from "../detect/rules/vpc-port-scan";
import { NETWORK_CHANGE_CATEGORIES } from "./change-catalogue";
import { changeCategories, type SensitiveChanges } from "./overview";
import type { Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import { groupRows, measureCounts, splitCounted, timeSeries, type GroupRow, type SeriesLegend, type SeriesPoint } from "./report-query";
import { ACCEPT, FROM_PUBLIC, REJECT, REMOTE_ADMIN_FROM_PUBLIC, TRAFFIC } from "./flow-selections";
import { mergeSelections } from "./selection";
import type { BucketUnit } from "./time-range";

/**
 * The Network report: VPC flow logs (bytes and packets, ACCEPT vs REJECT, top talkers, rejected and
 * exposed traffic, scans, direction, ports, interfaces) and the CloudTrail timeline of network changes.
 * One function per panel over a scope. Flow records are placed in time by `start` (Unix seconds, UTC);
 * `bytes` and `packets` are as the flow log reports them. Fields: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html.
 *
 * The region filter applies to the flow log's `region` field, which only custom formats (version 3+)
 * carry; records in the default format have no region and are left out when a region is chosen
 * ({@link NetworkReport.flowsWithoutRegion} says how many). The account filter uses `account-id`.
 * Top talkers, rejected sources, SSH/RDP from the internet and destination ports are keyed by address or port,
 * nearly one key per record: without an account or region filter they read leader boards (lib/reports/leaders.ts),
 * so their values are lower bounds with a margin (`GroupRow.margin`); the SSH/RDP KPI is a board's exact total.
 * The search-link seeds are CloudWatch Logs Insights' top-talker and REJECT queries
 * (`stats sum(bytes) by srcAddr, dstAddr`, `filter action="REJECT" | stats count(*) by srcAddr`).
 */

const portScanRule = vpcPortScan.rule.aggregation;
/** A source is a port-scan suspect from this many distinct refused destination ports: the detection rule `vpc-port-scan`'s threshold (25). */
export const PORT_SCAN_MIN_PORTS = portScanRule?.threshold ?? 25;

export interface NetworkKpis {
  /** Flow records with traffic (log-status OK). */
  flows: number;
  /** Bytes of ACCEPTed and REJECTed records, in bytes. */
  bytesAccepted: number;
  bytesRejected: number;
  /** REJECTed records. */
  rejected: number;
  /** Records of SSH / RDP from public addresses. */
  remoteAdminFromPublic: number;
  /** CloudTrail network changes (security groups, NACLs, routes, gateways, VPCs, flow logs). */
  networkChanges: number;
  /** DeleteFlowLogs calls. */
  flowLogDeletions: number;
}

export type NetworkKpiHrefs = Record<keyof NetworkKpis, string | null>;

export type TrafficSeries = "acceptedBytes" | "rejectedBytes" | "acceptedPackets" | "rejectedPackets";
export type TalkerRow = GroupRow<"src" | "dst", "bytes" | "packets" | "flows">;

export interface NetworkReport {
  kpis: NetworkKpis;
  kpiHrefs: NetworkKpiHrefs;
  /** With a region filter: flow records of the other filters that have no `region` field and so are left out. */
  flowsWithoutRegion: number | null;
  bucket: BucketUnit;
  /** Bytes and packets per bucket, ACCEPT and REJECT. */
  trafficOverTime: SeriesPoint<TrafficSeries>[];
  topTalkersByBytes: TalkerRow[];
  topTalkersByPackets: TalkerRow[];
  topRejectedSources: GroupRow<"src", "flows" | "ports" | "targets" | "bytes">[];
  remoteAdminFromPublic: GroupRow<"src" | "port" | "action", "flows" | "bytes">[];
  portScanSuspects: GroupRow<"src", "rejectedPorts" | "rejected" | "acceptedPorts" | "flows" | "targets">[];
  /** Records per `flow-direction` (key null: the format has no direction). */
  direction: GroupRow<"direction", "flows" | "bytes" | "packets">[];
  topDestinationPorts: GroupRow<"protocol" | "port", "flows" | "bytes" | "sources">[];
  byInterface: GroupRow<"vpc" | "subnet" | "eni", "bytes" | "flows" | "rejected">[];
  changes: SensitiveChanges;
  changesOverTime: { series: SeriesLegend[]; points: SeriesPoint<string>[] };
}

/** KPI tiles with their links. */
export async function networkKpis(scope: ReportScope, db: Queryable = getPool()): Promise<{ kpis: NetworkKpis; hrefs: NetworkKpiHrefs }> {
  const [flows, changes] = await Promise.all([
    measureCounts(db, {
      source: "vpcflow",
      scope,
      measures: {
        flows: { kind: "count", where: TRAFFIC },
        bytesAccepted: { kind: "sum", field: "bytes", where: ACCEPT },
        bytesRejected: { kind: "sum", field: "bytes", where: REJECT },
        rejected: { kind: "count", where: REJECT },
        remoteAdminFromPublic: { kind: "count", where: REMOTE_ADMIN_FROM_PUBLIC },
      },
    }),
    measureCounts(db, {
      source: "cloudtrail",
      scope,
      measures: {
        // The categories are of one event source (EC2): their event names together are exactly their union.
        networkChanges: { kind: "count", where: { include: { eventSource: "ec2.amazonaws.com", eventName: NETWORK_CHANGE_CATEGORIES.flatMap((c) => c.selection.include?.eventName as string[]) } } },
        flowLogDeletions: { kind: "count", where: { include: { eventSource: "ec2.amazonaws.com", eventName: "DeleteFlowLogs" } } },
      },
    }),
  ]);
  const all = { ...flows, ...changes };
  const { values, hrefs } = splitCounted(all);
  return { kpis: values, hrefs };
}

/** How many flow records a region filter leaves out for lack of a `region` field; null without a region filter. */
export async function flowsWithoutRegion(scope: ReportScope, db: Queryable = getPool()): Promise<number | null> {
  if (!scope.region) return null;
  const { region: _region, ...others } = scope;
  const counted = await measureCounts(db, { source: "vpcflow", scope: others, measures: { n: { kind: "count", where: { exclude: { region: "*" } } } } });
  return counted.n.value;
}

/** Bytes and packets per UTC bucket, ACCEPT and REJECT, gap-filled. */
export async function trafficOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<{ bucket: BucketUnit; points: SeriesPoint<TrafficSeries>[] }> {
  return timeSeries(db, {
    source: "vpcflow",
    scope,
    series: {
      acceptedBytes: { kind: "sum", field: "bytes", where: ACCEPT },
      rejectedBytes: { kind: "sum", field: "bytes", where: REJECT },
      acceptedPackets: { kind: "sum", field: "packets", where: ACCEPT },
      rejectedPackets: { kind: "sum", field: "packets", where: REJECT },
    },
  });
}

/** Top talkers (source → destination address) by bytes or packets, largest first (default 15 rows). */
export function topTalkers(scope: ReportScope & { by: "bytes" | "packets"; limit?: number }, db: Queryable = getPool()): Promise<TalkerRow[]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: TRAFFIC,
    keys: { src: "srcaddr", dst: "dstaddr" },
    measures: { bytes: { kind: "sum", field: "bytes" }, packets: { kind: "sum", field: "packets" }, flows: { kind: "count" } },
    // `by` is typed, and groupRows refuses anything but a measure name: the sort column is whitelisted.
    orderBy: scope.by,
    limit: scope.limit ?? 15,
  });
}

/** Sources with the most REJECTed records, with distinct destination ports and hosts (default 15 rows). */
export function topRejectedSources(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<NetworkReport["topRejectedSources"]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: mergeSelections(TRAFFIC, REJECT),
    keys: { src: "srcaddr" },
    measures: {
      flows: { kind: "count" },
      ports: { kind: "distinct", field: "dstport" },
      targets: { kind: "distinct", field: "dstaddr" },
      bytes: { kind: "sum", field: "bytes" },
    },
    orderBy: "flows",
    limit: scope.limit ?? 15,
  });
}

/** SSH (22) and RDP (3389) from public addresses, per source, port and action (default 20 rows). */
export function remoteAdminFromPublic(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<NetworkReport["remoteAdminFromPublic"]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: REMOTE_ADMIN_FROM_PUBLIC,
    keys: { src: "srcaddr", port: "dstport", action: "action" },
    measures: { flows: { kind: "count" }, bytes: { kind: "sum", field: "bytes" } },
    orderBy: "flows",
    limit: scope.limit ?? 20,
  });
}

/**
 * Port-scan suspects: public sources refused on at least {@link PORT_SCAN_MIN_PORTS} distinct destination
 * ports in the scope, with what answered (accepted ports). Refused ports are counted, not all ports: replies
 * of internet servers to our ephemeral ports would otherwise look like scans. Most refused ports first.
 */
export function portScanSuspects(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<NetworkReport["portScanSuspects"]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: FROM_PUBLIC,
    keys: { src: "srcaddr" },
    measures: {
      rejectedPorts: { kind: "distinct", field: "dstport", where: REJECT },
      rejected: { kind: "count", where: REJECT },
      acceptedPorts: { kind: "distinct", field: "dstport", where: ACCEPT },
      flows: { kind: "count" },
      targets: { kind: "distinct", field: "dstaddr" },
    },
    orderBy: "rejectedPorts",
    minimum: { measure: "rejectedPorts", value: PORT_SCAN_MIN_PORTS },
    limit: scope.limit ?? 20,
  });
}

/** Records, bytes and packets per `flow-direction` (ingress / egress; null where the format has no such field). */
export function trafficByDirection(scope: ReportScope, db: Queryable = getPool()): Promise<NetworkReport["direction"]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: TRAFFIC,
    keys: { direction: "flow-direction" },
    measures: { flows: { kind: "count" }, bytes: { kind: "sum", field: "bytes" }, packets: { kind: "sum", field: "packets" } },
    orderBy: "bytes",
    limit: 10,
  });
}

/** The most used destination ports per protocol (IANA number: 6 TCP, 17 UDP), by records (default 15 rows). */
export function topDestinationPorts(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<NetworkReport["topDestinationPorts"]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: mergeSelections(TRAFFIC, { include: { dstport: "*" } }),
    keys: { protocol: "protocol", port: "dstport" },
    measures: { flows: { kind: "count" }, bytes: { kind: "sum", field: "bytes" }, sources: { kind: "distinct", field: "srcaddr" } },
    orderBy: "flows",
    limit: scope.limit ?? 15,
  });
}

/** Traffic per network interface with its VPC and subnet (custom formats only carry those), by bytes (default 20 rows). */
export function trafficByInterface(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<NetworkReport["byInterface"]> {
  return groupRows(db, {
    source: "vpcflow",
    scope,
    base: TRAFFIC,
    keys: { vpc: "vpc-id", subnet: "subnet-id", eni: "interface-id" },
    measures: { bytes: { kind: "sum", field: "bytes" }, flows: { kind: "count" }, rejected: { kind: "count", where: REJECT } },
    orderBy: "bytes",
    limit: scope.limit ?? 20,
  });
}

/** The CloudTrail timeline of network changes: counts per category and the newest events (default 25). */
export function networkChanges(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<SensitiveChanges> {
  return changeCategories(NETWORK_CHANGE_CATEGORIES, { ...scope, limit: scope.limit ?? 25 }, db);
}

/** Network changes per UTC bucket, one series per category. */
export async function networkChangesOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<{ series: SeriesLegend[]; points: SeriesPoint<string>[] }> {
  const series = NETWORK_CHANGE_CATEGORIES.map((c) => ({ key: c.id, label: c.label }));
  const { points } = await timeSeries(db, {
    source: "cloudtrail",
    scope,
    series: Object.fromEntries(NETWORK_CHANGE_CATEGORIES.map((c) => [c.id, { kind: "count" as const, where: c.selection }])),
  });
  return { series, points };
}

/** Every Network panel for one scope, queried in parallel. */
export async function networkReport(scope: ReportScope, db: Queryable = getPool()): Promise<NetworkReport> {
  const [kpis, noRegion, traffic, byBytes, byPackets, rejected, remote, scans, direction, ports, interfaces, changes, changesOverTime] = await Promise.all([
    networkKpis(scope, db),
    flowsWithoutRegion(scope, db),
    trafficOverTime(scope, db),
    topTalkers({ ...scope, by: "bytes" }, db),
    topTalkers({ ...scope, by: "packets" }, db),
    topRejectedSources(scope, db),
    remoteAdminFromPublic(scope, db),
    portScanSuspects(scope, db),
    trafficByDirection(scope, db),
    topDestinationPorts(scope, db),
    trafficByInterface(scope, db),
    networkChanges(scope, db),
    networkChangesOverTime(scope, db),
  ]);
  return {
    kpis: kpis.kpis,
    kpiHrefs: kpis.hrefs,
    flowsWithoutRegion: noRegion,
    bucket: traffic.bucket,
    trafficOverTime: traffic.points,
    topTalkersByBytes: byBytes,
    topTalkersByPackets: byPackets,
    topRejectedSources: rejected,
    remoteAdminFromPublic: remote,
    portScanSuspects: scans,
    direction,
    topDestinationPorts: ports,
    byInterface: interfaces,
    changes,
    changesOverTime,
  };
}
