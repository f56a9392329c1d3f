import type { Metadata } from "next";
import { chartPoints } from "../../components/charts/chart-points";
import { TimeSeriesChart } from "../../components/charts/time-series-chart";
import { CountLink } from "../../components/count-link";
import { EmptyState } from "../../components/empty-state";
import { EventTable } from "../../components/event-table";
import { formatBytes, formatInteger } from "../../components/format";
import { GroupTable, type GroupColumn, type GroupTableRow } from "../../components/group-table";
import { KpiTiles } from "../../components/kpi-tiles";
import { LowerBound } from "../../components/lower-bound";
import { Panel } from "../../components/panel";
import { ReportHeader } from "../../components/report-header";
import { reportHref } from "../../lib/reports/report-filters";
import { s3Report } from "../../lib/reports/s3-data-events";
import { presetLabel } from "../../lib/reports/time-range";
import { reportContext, type SearchParams } from "../report-context";
import { requirePage } from "../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "S3 data events" };

/** Bytes sent (`additionalEventData.bytesTransferredOut`), marked ≥ where a leader board's row may lack some. */
function bytesOutColumn<R extends GroupTableRow & { values: { bytesOut: number } }>(): GroupColumn<R> {
  return {
    kind: "custom",
    header: "Bytes out",
    align: "right",
    render: (r) => (
      <>
        <LowerBound margin={r.margin?.bytesOut} unit="bytes" />
        {formatBytes(r.values.bytesOut)}
      </>
    ),
  };
}

export default async function S3Page({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("/s3");
  const ctx = await reportContext(searchParams);
  const report = await s3Report(ctx.scope);
  const { kpis, kpiHrefs: h } = report;
  const label = presetLabel(ctx.filters.range.preset).toLowerCase();
  const nothing = kpis.dataEvents === 0 && kpis.accessChanges === 0 && kpis.accessDenied === 0;

  return (
    <div className="space-y-6">
      <ReportHeader
        title="S3 data events"
        description="Object reads, writes and deletes per bucket and caller, anonymous and cross-account access, refusals and access changes"
        basePath="/s3"
        {...ctx}
      />

      <KpiTiles
        tiles={[
          { label: "Object calls", value: kpis.dataEvents, href: h.dataEvents, hint: "S3 data events", testId: "kpi-data-events" },
          { label: "GetObject", value: kpis.gets, href: h.gets, hint: "downloads", testId: "kpi-gets" },
          { label: "PutObject", value: kpis.puts, href: h.puts, hint: "uploads", testId: "kpi-puts" },
          { label: "DeleteObject", value: kpis.deletes, href: h.deletes, hint: "deletions", testId: "kpi-deletes" },
          { label: "Bytes out", value: kpis.bytesOut, href: h.bytesOut, hint: "bytesTransferredOut", testId: "kpi-bytes-out", unit: "bytes" },
          { label: "Anonymous", value: kpis.anonymous, href: h.anonymous, hint: "unauthenticated calls", testId: "kpi-anonymous" },
          { label: "Access denied", value: kpis.accessDenied, href: h.accessDenied, hint: "S3 AccessDenied", testId: "kpi-s3-denied" },
          { label: "Access changes", value: kpis.accessChanges, href: h.accessChanges, hint: "policy, ACL, Block Public Access", testId: "kpi-access-changes" },
        ]}
      />

      {nothing ? (
        <EmptyState what="S3 data events" widerHref={ctx.filters.range.preset === "30d" ? undefined : reportHref("/s3", ctx.filters, { range: "30d" })}>
          <p className="mt-2 max-w-md text-xs text-slate-500">CloudTrail logs S3 object calls only when the trail has data events for S3 turned on.</p>
        </EmptyState>
      ) : (
        <>
          <Panel title="Object calls over time" note={`per ${report.bucket}, UTC`} testId="s3-over-time">
            <div className="px-4 pt-3 pb-2">
              <TimeSeriesChart
                points={chartPoints(report.objectCallsOverTime, ["get", "put", "delete", "other"])}
                series={[
                  { key: "get", label: "GetObject", color: "var(--color-chart-read)" },
                  { key: "put", label: "PutObject", color: "var(--color-chart-write)" },
                  { key: "delete", label: "DeleteObject", color: "var(--color-chart-bad)" },
                  { key: "other", label: "Other object calls", color: "var(--color-chart-muted)" },
                ]}
                bucket={report.bucket}
                label={`S3 object calls per ${report.bucket}, ${label}`}
              />
            </div>
          </Panel>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Top buckets" testId="s3-top-buckets" empty={report.topBuckets.length === 0 ? "No object calls." : undefined}>
              <GroupTable
                testId="s3-top-buckets-table"
                rows={report.topBuckets}
                columns={[
                  { kind: "key", key: "bucket", header: "Bucket", link: true },
                  { kind: "measure", measure: "requests", header: "Calls", what: "object calls" },
                  { kind: "measure", measure: "gets", header: "Get", what: "GetObject calls" },
                  { kind: "measure", measure: "puts", header: "Put", what: "PutObject calls" },
                  { kind: "measure", measure: "deletes", header: "Delete", what: "DeleteObject calls" },
                  bytesOutColumn(),
                  { kind: "measure", measure: "errors", header: "Errors", what: "failed object calls" },
                ]}
              />
            </Panel>
            <Panel title="Top principals per bucket" note="five busiest buckets" testId="s3-principals" empty={report.topPrincipalsPerBucket.length === 0 ? "No object calls." : undefined}>
              <GroupTable
                rows={report.topPrincipalsPerBucket}
                columns={[
                  { kind: "key", key: "bucket", header: "Bucket" },
                  { kind: "key", key: "principal", header: "Caller", link: true, wide: true },
                  { kind: "measure", measure: "requests", header: "Calls", what: "object calls" },
                  { kind: "measure", measure: "denied", header: "Denied", what: "denied object calls" },
                ]}
              />
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Anonymous access" testId="s3-anonymous" empty={report.anonymousAccess.length === 0 ? "No anonymous calls." : undefined}>
              <GroupTable
                testId="s3-anonymous-table"
                rows={report.anonymousAccess}
                columns={[
                  { kind: "key", key: "bucket", header: "Bucket" },
                  { kind: "key", key: "name", header: "Call" },
                  { kind: "key", key: "ip", header: "Source IP" },
                  { kind: "measure", measure: "requests", header: "Calls", what: "anonymous calls" },
                  bytesOutColumn(),
                ]}
              />
            </Panel>
            <Panel
              title="Cross-account access"
              note={`${formatInteger(report.crossAccountCalls)} calls`}
              description="The caller's account differs from the account that received the event (the bucket owner's trail)."
              testId="s3-cross-account"
              empty={report.crossAccount.length === 0 ? "No calls from other accounts." : undefined}
            >
              <GroupTable
                testId="s3-cross-account-table"
                rows={report.crossAccount}
                columns={[
                  { kind: "key", key: "owner", header: "Owner" },
                  { kind: "key", key: "caller", header: "From account" },
                  { kind: "key", key: "bucket", header: "Bucket" },
                  { kind: "key", key: "principal", header: "Caller", wide: true },
                  { kind: "measure", measure: "requests", header: "Calls", what: "cross-account calls" },
                  { kind: "measure", measure: "denied", header: "Denied", what: "denied cross-account calls" },
                ]}
              />
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="AccessDenied on S3" testId="s3-denied" empty={report.accessDenied.length === 0 ? "No S3 call was refused." : undefined}>
              <GroupTable
                testId="s3-denied-table"
                rows={report.accessDenied}
                columns={[
                  { kind: "key", key: "bucket", header: "Bucket" },
                  { kind: "key", key: "principal", header: "Caller", wide: true },
                  { kind: "measure", measure: "denied", header: "Denied", what: "refused S3 calls" },
                  { kind: "number", measure: "actions", header: "Calls" },
                  { kind: "time", which: "last", header: "Last" },
                ]}
              />
            </Panel>
            <Panel
              title="Bucket policy, ACL and Block Public Access changes"
              testId="s3-access-changes"
              actions={
                <ul className="flex flex-wrap gap-3 text-xs text-slate-600">
                  {report.accessChanges.categories.map((c) => (
                    <li key={c.id}>
                      {c.label} <CountLink value={c.count} href={c.href} what={`${c.label} changes`} />
                    </li>
                  ))}
                </ul>
              }
              empty={report.accessChanges.recent.length === 0 ? "No access changes in this range." : undefined}
            >
              <EventTable rows={report.accessChanges.recent} lead={{ header: "Area", value: (r) => (r as { category?: string }).category ?? "" }} />
            </Panel>
          </div>

          <Panel title="Largest transfers" note="bytesTransferredOut" testId="s3-largest" empty={report.largestTransfers.length === 0 ? "No transfer sizes in this range." : undefined}>
            <EventTable
              rows={report.largestTransfers.map((t) => ({ ...t, fields: { ...t.fields, size: formatBytes(t.bytes) } }))}
              columns={[
                { header: "Bucket", field: "bucket" },
                { header: "Key", field: "key" },
                { header: "Size", field: "size" },
              ]}
            />
          </Panel>
        </>
      )}
    </div>
  );
}
