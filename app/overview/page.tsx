import type { Metadata } from "next";
import { chartPoints, PALETTE } from "../../components/charts/chart-points";
import { TimeSeriesChart } from "../../components/charts/time-series-chart";
import { CountLink } from "../../components/count-link";
import { EmptyState } from "../../components/empty-state";
import { EventTable } from "../../components/event-table";
import { Panel, Td, Th } from "../../components/panel";
import { ReportHeader } from "../../components/report-header";
import { TopTable } from "../../components/top-table";
import { overviewReport } from "../../lib/reports/overview";
import { reportHref } from "../../lib/reports/report-filters";
import { presetLabel } from "../../lib/reports/time-range";
import { reportContext, type SearchParams } from "../report-context";
import { KpiGrid } from "./kpi-grid";
import { requirePage } from "../../lib/auth/require-page";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("/overview");
  const ctx = await reportContext(searchParams);
  const report = await overviewReport(ctx.scope);
  const { kpis } = report;
  const label = presetLabel(ctx.filters.range.preset).toLowerCase();
  const nothing = kpis.events === 0 && kpis.flowBytesAccepted === 0 && kpis.flowBytesRejected === 0;

  return (
    <div className="space-y-6">
      <ReportHeader
        title="Overview"
        description="CloudTrail API activity and VPC flow traffic at a glance; every number opens the events behind it"
        basePath="/overview"
        {...ctx}
      />

      <KpiGrid kpis={kpis} hrefs={report.kpiHrefs} />

      {nothing ? (
        <EmptyState widerHref={ctx.filters.range.preset === "30d" ? undefined : reportHref("/overview", ctx.filters, { range: "30d" })} />
      ) : (
        <>
          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Events over time" note={`per ${report.bucket}, UTC`} testId="events-over-time" description="Read-only calls and changes">
              <div className="px-4 pt-3 pb-2">
                <TimeSeriesChart
                  points={chartPoints(report.eventsOverTime, ["write", "read"])}
                  series={[
                    { key: "write", label: "Write", color: "var(--color-chart-write)" },
                    { key: "read", label: "Read-only", color: "var(--color-chart-read)" },
                  ]}
                  bucket={report.bucket}
                  label={`CloudTrail events per ${report.bucket}, ${label}`}
                />
              </div>
            </Panel>
            <Panel
              title="Errors over time"
              note={`per ${report.bucket}, by errorCode`}
              testId="errors-over-time"
              empty={report.errorsOverTime.series.length === 0 ? "No failed calls in this range." : undefined}
            >
              <div className="px-4 pt-3 pb-2">
                <TimeSeriesChart
                  points={chartPoints(report.errorsOverTime.points, report.errorsOverTime.series.map((s) => s.key))}
                  series={report.errorsOverTime.series.map((s, i) => ({ key: s.key, label: s.label, color: s.key === "other" ? "var(--color-chart-muted)" : PALETTE[i]! }))}
                  bucket={report.bucket}
                  label={`Failed calls per ${report.bucket} by error code, ${label}`}
                />
              </div>
            </Panel>
          </div>

          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
            <TopTable title="Top event sources" column="Event source" rows={report.topEventSources} testId="top-event-sources" />
            <TopTable title="Top event names" column="Event name" rows={report.topEventNames} testId="top-event-names" />
            <TopTable title="Top principals" column="Principal ARN" rows={report.topPrincipals} testId="top-principals" />
            <TopTable title="Top source IPs" column="Source IP" rows={report.topSourceIps} testId="top-source-ips" />
          </div>

          <div className="grid gap-4 xl:grid-cols-3">
            <Panel
              title="Events by account and region"
              testId="events-by-account-region"
              empty={report.eventsByAccountRegion.length === 0 ? "Nothing in this range." : undefined}
            >
              <table className="w-full text-sm">
                <thead className="bg-slate-50">
                  <tr>
                    <Th>Account</Th>
                    <Th>Region</Th>
                    <Th className="text-right">Events</Th>
                  </tr>
                </thead>
                <tbody>
                  {report.eventsByAccountRegion.map((r) => (
                    <tr key={`${r.account}:${r.region}`} className="border-t border-slate-100">
                      <Td className="font-mono text-xs">{r.account || "—"}</Td>
                      <Td className="font-mono text-xs">{r.region ?? "—"}</Td>
                      <Td className="text-right">
                        <CountLink value={r.count} href={r.href} what={`events of ${r.account} in ${r.region ?? "no region"}`} />
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>

            <Panel
              title="Recent sensitive changes"
              note="IAM, CloudTrail, security groups, KMS"
              testId="sensitive-changes"
              className="xl:col-span-2"
              actions={
                <ul className="flex flex-wrap gap-3 text-xs text-slate-600">
                  {report.sensitiveChanges.categories.map((c) => (
                    <li key={c.id}>
                      {c.label} <CountLink value={c.count} href={c.href} what={`${c.label} changes`} testId={`changes-${c.id}`} />
                    </li>
                  ))}
                </ul>
              }
              empty={report.sensitiveChanges.recent.length === 0 ? "No sensitive changes in this range." : undefined}
            >
              <EventTable rows={report.sensitiveChanges.recent} lead={{ header: "Area", value: (r) => (r as { category?: string }).category ?? "" }} />
            </Panel>
          </div>
        </>
      )}
    </div>
  );
}
