import { formatBytes, formatCount, formatInteger, formatPercent } from "../../components/format";
import { KpiCard } from "../../components/kpi-card";
import type { OverviewKpiHrefs, OverviewKpis } from "../../lib/reports/overview";

/** The Overview's KPI tiles; each number opens the records it counts. */
export function KpiGrid({ kpis, hrefs }: { kpis: OverviewKpis; hrefs: OverviewKpiHrefs }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
      <KpiCard
        label="Events"
        testId="kpi-events"
        value={kpis.events}
        display={formatCount(kpis.events)}
        title={`${formatInteger(kpis.events)} CloudTrail events`}
        hint="CloudTrail, all sources"
        href={hrefs.events}
      />
      <KpiCard
        label="Write events"
        testId="kpi-write-events"
        value={kpis.writeEvents}
        display={formatCount(kpis.writeEvents)}
        title={`${formatInteger(kpis.writeEvents)} events not marked read-only`}
        hint="readOnly false or absent"
        href={hrefs.writeEvents}
      />
      <KpiCard
        label="Principals"
        testId="kpi-principals"
        value={kpis.principals}
        display={formatCount(kpis.principals)}
        title={`${formatInteger(kpis.principals)} distinct identity ARNs`}
        hint="distinct identity ARNs"
        href={hrefs.principals}
      />
      <KpiCard
        label="Source IPs"
        testId="kpi-source-ips"
        value={kpis.sourceIps}
        display={formatCount(kpis.sourceIps)}
        title={`${formatInteger(kpis.sourceIps)} distinct source addresses`}
        hint="distinct IPs and services"
        href={hrefs.sourceIps}
      />
      <KpiCard
        label="Error rate"
        testId="kpi-error-rate"
        value={kpis.errorRate}
        display={formatPercent(kpis.errorRate)}
        title={`${formatInteger(kpis.errors)} of ${formatInteger(kpis.events)} events returned an error`}
        hint={`${formatInteger(kpis.errors)} failed calls`}
        href={hrefs.errors}
      />
      <KpiCard
        label="Console sign-ins"
        testId="kpi-console-logins"
        value={kpis.consoleLogins}
        display={formatCount(kpis.consoleLogins)}
        title={`${formatInteger(kpis.consoleLogins)} ConsoleLogin events`}
        hint="ConsoleLogin, all results"
        href={hrefs.consoleLogins}
      />
      <KpiCard
        label="Failed sign-ins"
        testId="kpi-failed-logins"
        value={kpis.failedLogins}
        display={formatCount(kpis.failedLogins)}
        title={`${formatInteger(kpis.failedLogins)} failed ConsoleLogin events`}
        hint="ConsoleLogin: Failure"
        href={hrefs.failedLogins}
      />
      {kpis.openAlerts !== null ? (
        <KpiCard
          label="Open alerts"
          testId="kpi-open-alerts"
          value={kpis.openAlerts}
          display={formatCount(kpis.openAlerts)}
          title={`${formatInteger(kpis.openAlerts)} open alerts active in this range`}
          hint="active in range; all regions"
          href={hrefs.openAlerts}
        />
      ) : null}
      <KpiCard
        label="Flow accepted"
        testId="kpi-bytes-accepted"
        value={kpis.flowBytesAccepted}
        display={formatBytes(kpis.flowBytesAccepted)}
        title={`${formatInteger(kpis.flowBytesAccepted)} bytes`}
        hint="VPC flow bytes, ACCEPT"
        href={hrefs.flowBytesAccepted}
      />
      <KpiCard
        label="Flow rejected"
        testId="kpi-bytes-rejected"
        value={kpis.flowBytesRejected}
        display={formatBytes(kpis.flowBytesRejected)}
        title={`${formatInteger(kpis.flowBytesRejected)} bytes`}
        hint="VPC flow bytes, REJECT"
        href={hrefs.flowBytesRejected}
      />
    </dl>
  );
}
