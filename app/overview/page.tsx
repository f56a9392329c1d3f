import type { Metadata } from "next";
import { EventsOverTimeChart } from "../../components/charts/events-over-time-chart";
import { TimeRangePicker } from "../../components/time-range-picker";
import { TopTable } from "../../components/top-table";
import { overviewReport } from "../../lib/reports/overview";
import { parseTimeRange, presetLabel } from "../../lib/reports/time-range";
import { eventSearchHref, exactValue } from "../../lib/search/search-url";
import { EmptyState } from "./empty-state";
import { KpiGrid } from "./kpi-grid";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const range = parseTimeRange((await searchParams).range);
  const report = await overviewReport(range);
  const { kpis } = report;
  const series = report.eventsOverTime.map((b) => ({ t: b.bucketStart.getTime(), read: b.read, write: b.write }));
  const writes = series.reduce((sum, b) => sum + b.write, 0);
  const label = presetLabel(range.preset);
  // Each row links to the search of exactly the events it counts: the same field, value and [from, to).
  const linked = (rows: typeof report.topEventNames, field: string) =>
    rows.map((r) => ({ ...r, href: eventSearchHref({ from: range.from, to: range.to, include: { [field]: exactValue(r.value) } }) }));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Overview</h1>
          <p className="mt-0.5 text-sm text-slate-500">{label}: CloudTrail API activity and VPC flow traffic</p>
        </div>
        <TimeRangePicker basePath="/overview" range={range} />
      </div>

      <KpiGrid kpis={kpis} writes={writes} />

      {kpis.events === 0 ? (
        <EmptyState widerHref={range.preset === "30d" ? undefined : "/overview?range=30d"} />
      ) : (
        <>
          <section className="rounded-lg border border-slate-200 bg-white px-4 pt-3 pb-2 shadow-sm">
            <h2 className="mb-2 text-sm font-semibold text-slate-900">
              Events over time <span className="font-normal text-slate-500">· per {range.bucket}, UTC</span>
            </h2>
            <EventsOverTimeChart data={series} bucket={range.bucket} label={`CloudTrail events per ${range.bucket}, ${label.toLowerCase()}`} />
          </section>

          <div className="grid gap-4 lg:grid-cols-3">
            <TopTable title="Top event names" column="Event name" rows={linked(report.topEventNames, "eventName")} testId="top-event-names" />
            <TopTable title="Top principals" column="Principal ARN" rows={linked(report.topPrincipals, "userIdentity.arn")} testId="top-principals" />
            <TopTable title="Top source IPs" column="Source IP" rows={linked(report.topSourceIps, "sourceIPAddress")} testId="top-source-ips" />
          </div>
        </>
      )}
    </div>
  );
}
