import type { Metadata } from "next";
import { chartPoints, PALETTE } from "../../components/charts/chart-points";
import { ShareChart } from "../../components/charts/share-chart";
import { TimeSeriesChart } from "../../components/charts/time-series-chart";
import { CountLink } from "../../components/count-link";
import { EmptyState } from "../../components/empty-state";
import { EventTable } from "../../components/event-table";
import { formatInteger } from "../../components/format";
import { GroupTable, type GroupColumn } from "../../components/group-table";
import { KpiTiles } from "../../components/kpi-tiles";
import { Panel } from "../../components/panel";
import { ReportHeader } from "../../components/report-header";
import { networkReport, PORT_SCAN_MIN_PORTS, type TalkerRow } from "../../lib/reports/network";
import { reportHref } from "../../lib/reports/report-filters";
import { presetLabel } from "../../lib/reports/time-range";
import { reportContext, type SearchParams } from "../report-context";
import { requirePage } from "../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Network" };

const PROTOCOLS: Record<string, string> = { "1": "ICMP", "6": "TCP", "17": "UDP", "58": "ICMPv6" };

const talkerColumns: GroupColumn<TalkerRow>[] = [
  { kind: "key", key: "src", header: "Source" },
  { kind: "key", key: "dst", header: "Destination" },
  { kind: "measure", measure: "bytes", header: "Bytes", unit: "bytes", what: "flow records (bytes summed)" },
  { kind: "measure", measure: "packets", header: "Packets", what: "flow records (packets summed)" },
  { kind: "measure", measure: "flows", header: "Records", what: "flow records" },
];

export default async function NetworkPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("/network");
  const ctx = await reportContext(searchParams);
  const report = await networkReport(ctx.scope);
  const { kpis, kpiHrefs: h } = report;
  const label = presetLabel(ctx.filters.range.preset).toLowerCase();
  const nothing = kpis.flows === 0 && kpis.networkChanges === 0;
  const directions = report.direction;

  return (
    <div className="space-y-6">
      <ReportHeader
        title="Network"
        description="VPC flow logs — traffic, refusals, exposure and scans — and the CloudTrail timeline of network changes"
        basePath="/network"
        {...ctx}
      />

      {report.flowsWithoutRegion ? (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900" data-testid="flows-without-region">
          {formatInteger(report.flowsWithoutRegion)} flow records in this range have no <code className="font-mono text-xs">region</code> field (the
          default flow-log format does not carry it) and are not counted under the region filter.
        </p>
      ) : null}

      <KpiTiles
        tiles={[
          { label: "Flow records", value: kpis.flows, href: h.flows, hint: "with traffic (log-status OK)", testId: "kpi-flows" },
          { label: "Accepted", value: kpis.bytesAccepted, href: h.bytesAccepted, hint: "bytes, ACCEPT", testId: "kpi-bytes-accepted", unit: "bytes" },
          { label: "Rejected", value: kpis.bytesRejected, href: h.bytesRejected, hint: "bytes, REJECT", testId: "kpi-bytes-rejected", unit: "bytes" },
          { label: "Rejected records", value: kpis.rejected, href: h.rejected, hint: "action REJECT", testId: "kpi-rejected" },
          { label: "SSH / RDP from internet", value: kpis.remoteAdminFromPublic, href: h.remoteAdminFromPublic, hint: "ports 22 and 3389, public sources", testId: "kpi-remote-admin" },
          { label: "Port-scan suspects", value: report.portScanSuspects.length, href: null, hint: `${PORT_SCAN_MIN_PORTS}+ refused ports`, testId: "kpi-port-scans" },
          { label: "Network changes", value: kpis.networkChanges, href: h.networkChanges, hint: "security groups, NACLs, routes, …", testId: "kpi-network-changes" },
          { label: "Flow-log deletions", value: kpis.flowLogDeletions, href: h.flowLogDeletions, hint: "DeleteFlowLogs", testId: "kpi-flow-log-deletions" },
        ]}
      />

      {nothing ? (
        <EmptyState what="flow records or network changes" widerHref={ctx.filters.range.preset === "30d" ? undefined : reportHref("/network", ctx.filters, { range: "30d" })} />
      ) : (
        <>
          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Bytes over time" note={`per ${report.bucket}, UTC`} testId="bytes-over-time">
              <div className="px-4 pt-3 pb-2">
                <TimeSeriesChart
                  points={chartPoints(report.trafficOverTime, ["acceptedBytes", "rejectedBytes"])}
                  series={[
                    { key: "acceptedBytes", label: "ACCEPT", color: "var(--color-chart-good)" },
                    { key: "rejectedBytes", label: "REJECT", color: "var(--color-chart-bad)" },
                  ]}
                  unit="bytes"
                  bucket={report.bucket}
                  label={`Flow bytes per ${report.bucket}, accepted and rejected, ${label}`}
                />
              </div>
            </Panel>
            <Panel title="Packets over time" note={`per ${report.bucket}, UTC`} testId="packets-over-time">
              <div className="px-4 pt-3 pb-2">
                <TimeSeriesChart
                  points={chartPoints(report.trafficOverTime, ["acceptedPackets", "rejectedPackets"])}
                  series={[
                    { key: "acceptedPackets", label: "ACCEPT", color: "var(--color-chart-good)" },
                    { key: "rejectedPackets", label: "REJECT", color: "var(--color-chart-bad)" },
                  ]}
                  bucket={report.bucket}
                  label={`Flow packets per ${report.bucket}, accepted and rejected, ${label}`}
                />
              </div>
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Top talkers by bytes" note="source → destination" testId="talkers-bytes" empty={report.topTalkersByBytes.length === 0 ? "No traffic." : undefined}>
              <GroupTable testId="talkers-bytes-table" rows={report.topTalkersByBytes} columns={talkerColumns} />
            </Panel>
            <Panel title="Top talkers by packets" note="source → destination" testId="talkers-packets" empty={report.topTalkersByPackets.length === 0 ? "No traffic." : undefined}>
              <GroupTable rows={report.topTalkersByPackets} columns={[talkerColumns[0]!, talkerColumns[1]!, talkerColumns[3]!, talkerColumns[2]!, talkerColumns[4]!]} />
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-3">
            <Panel title="Top rejected sources" testId="rejected-sources" empty={report.topRejectedSources.length === 0 ? "Nothing was refused." : undefined}>
              <GroupTable
                testId="rejected-sources-table"
                rows={report.topRejectedSources}
                columns={[
                  { kind: "key", key: "src", header: "Source" },
                  { kind: "measure", measure: "flows", header: "Rejected", what: "rejected flow records" },
                  { kind: "number", measure: "ports", header: "Ports" },
                  { kind: "number", measure: "targets", header: "Hosts" },
                ]}
              />
            </Panel>
            <Panel
              title="SSH and RDP from the internet"
              note="ports 22, 3389"
              testId="remote-admin"
              empty={report.remoteAdminFromPublic.length === 0 ? "No SSH or RDP from public addresses." : undefined}
            >
              <GroupTable
                testId="remote-admin-table"
                rows={report.remoteAdminFromPublic}
                columns={[
                  { kind: "key", key: "src", header: "Source" },
                  { kind: "key", key: "port", header: "Port" },
                  { kind: "key", key: "action", header: "Action" },
                  { kind: "measure", measure: "flows", header: "Records", what: "flow records" },
                  { kind: "measure", measure: "bytes", header: "Bytes", unit: "bytes", what: "flow records (bytes summed)" },
                ]}
              />
            </Panel>
            <Panel
              title="Port-scan suspects"
              note={`${PORT_SCAN_MIN_PORTS}+ refused ports`}
              description="Public sources refused on many distinct ports; accepted ports are what answered."
              testId="port-scans"
              empty={report.portScanSuspects.length === 0 ? "No source was refused on that many ports." : undefined}
            >
              <GroupTable
                testId="port-scans-table"
                rows={report.portScanSuspects}
                columns={[
                  { kind: "key", key: "src", header: "Source", link: true },
                  { kind: "number", measure: "rejectedPorts", header: "Refused ports" },
                  { kind: "measure", measure: "rejected", header: "Rejected", what: "rejected flow records" },
                  { kind: "number", measure: "acceptedPorts", header: "Accepted ports" },
                  { kind: "measure", measure: "flows", header: "Records", what: "flow records from the source" },
                ]}
              />
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Ingress and egress" note="flow-direction, custom formats" testId="direction">
              <ShareChart
                label="Flow bytes by direction"
                unit="bytes"
                slices={directions.map((d, i) => ({
                  label: d.key.direction ?? "no direction field",
                  value: d.values.bytes,
                  href: d.hrefs.bytes,
                  color: d.key.direction === null ? "var(--color-chart-muted)" : PALETTE[i % PALETTE.length]!,
                }))}
              />
              <GroupTable
                rows={directions}
                columns={[
                  { kind: "key", key: "direction", header: "Direction" },
                  { kind: "measure", measure: "flows", header: "Records", what: "flow records" },
                  { kind: "measure", measure: "packets", header: "Packets", what: "flow records (packets summed)" },
                ]}
              />
            </Panel>
            <Panel title="Top destination ports" testId="destination-ports" empty={report.topDestinationPorts.length === 0 ? "No traffic." : undefined}>
              <GroupTable
                testId="destination-ports-table"
                rows={report.topDestinationPorts}
                columns={[
                  { kind: "custom", header: "Protocol", render: (r) => PROTOCOLS[r.key.protocol ?? ""] ?? r.key.protocol ?? "—" },
                  { kind: "key", key: "port", header: "Port" },
                  { kind: "measure", measure: "flows", header: "Records", what: "flow records" },
                  { kind: "measure", measure: "bytes", header: "Bytes", unit: "bytes", what: "flow records (bytes summed)" },
                  { kind: "number", measure: "sources", header: "Sources" },
                ]}
              />
            </Panel>
          </div>
          <div className="grid gap-4">
            <Panel title="By interface" note="VPC, subnet, ENI" testId="by-interface" empty={report.byInterface.length === 0 ? "No traffic." : undefined}>
              <GroupTable
                rows={report.byInterface}
                columns={[
                  { kind: "key", key: "eni", header: "Interface", link: true },
                  { kind: "key", key: "vpc", header: "VPC" },
                  { kind: "key", key: "subnet", header: "Subnet" },
                  { kind: "measure", measure: "bytes", header: "Bytes", unit: "bytes", what: "flow records (bytes summed)" },
                  { kind: "measure", measure: "rejected", header: "Rejected", what: "rejected flow records" },
                ]}
              />
            </Panel>
          </div>

          <Panel
            title="Network changes"
            note="CloudTrail: security groups, NACLs, route tables, gateways, VPCs, flow logs"
            testId="network-changes"
            actions={
              <ul className="flex flex-wrap gap-3 text-xs text-slate-600">
                {report.changes.categories.map((c) => (
                  <li key={c.id}>
                    {c.label} <CountLink value={c.count} href={c.href} what={`${c.label} changes`} />
                  </li>
                ))}
              </ul>
            }
            empty={report.changes.recent.length === 0 ? "No network changes in this range." : undefined}
          >
            <div className="px-4 pt-3 pb-2">
              <TimeSeriesChart
                points={chartPoints(report.changesOverTime.points, report.changesOverTime.series.map((s) => s.key))}
                series={report.changesOverTime.series.map((s, i) => ({ key: s.key, label: s.label, color: PALETTE[i % PALETTE.length]! }))}
                bucket={report.bucket}
                height={140}
                label={`Network changes per ${report.bucket} by kind, ${label}`}
              />
            </div>
            <EventTable rows={report.changes.recent} lead={{ header: "Area", value: (r) => (r as { category?: string }).category ?? "" }} />
          </Panel>
        </>
      )}
    </div>
  );
}
