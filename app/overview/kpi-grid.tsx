import { formatBytes, formatCount, formatInteger, formatPercent } from "../../components/format";
import { KpiCard } from "../../components/kpi-card";
import type { OverviewKpis } from "../../lib/reports/overview";

/** The Overview's KPI tiles. `writes` comes from the time series, so no extra query is needed. */
export function KpiGrid({ kpis, writes }: { kpis: OverviewKpis; writes: number }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      <KpiCard
        label="Events"
        testId="kpi-events"
        value={kpis.events}
        display={formatCount(kpis.events)}
        title={`${formatInteger(kpis.events)} CloudTrail events`}
        hint={`${formatInteger(writes)} writes`}
      />
      <KpiCard
        label="Principals"
        testId="kpi-principals"
        value={kpis.principals}
        display={formatCount(kpis.principals)}
        title={formatInteger(kpis.principals)}
        hint="distinct identity ARNs"
      />
      <KpiCard
        label="Source IPs"
        testId="kpi-source-ips"
        value={kpis.sourceIps}
        display={formatCount(kpis.sourceIps)}
        title={formatInteger(kpis.sourceIps)}
        hint="distinct IPs and services"
      />
      <KpiCard
        label="Error rate"
        testId="kpi-error-rate"
        value={kpis.errorRate}
        display={formatPercent(kpis.errorRate)}
        title={`${formatInteger(kpis.errors)} of ${formatInteger(kpis.events)} events returned an error`}
        hint={`${formatInteger(kpis.errors)} failed calls`}
      />
      <KpiCard
        label="Flow accepted"
        testId="kpi-bytes-accepted"
        value={kpis.flowBytesAccepted}
        display={formatBytes(kpis.flowBytesAccepted)}
        title={`${formatInteger(kpis.flowBytesAccepted)} bytes`}
        hint="VPC flow bytes, ACCEPT"
      />
      <KpiCard
        label="Flow rejected"
        testId="kpi-bytes-rejected"
        value={kpis.flowBytesRejected}
        display={formatBytes(kpis.flowBytesRejected)}
        title={`${formatInteger(kpis.flowBytesRejected)} bytes`}
        hint="VPC flow bytes, REJECT"
      />
    </dl>
  );
}
