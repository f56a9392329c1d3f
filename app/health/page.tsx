import type { Metadata } from "next";
import Link from "next/link";
import { formatInteger, formatUtc } from "../../components/format";
import { KpiCard } from "../../components/kpi-card";
import { config } from "../../lib/config";
import { getPool } from "../../lib/db/pool";
import { retentionPolicy } from "../../lib/ops/enforce-retention";
import { healthReport } from "../../lib/reports/health";
import { Panel } from "../ingest/panel";
import { FreshnessTable, PerHourTable, RetentionTable, WorkersTable } from "./health-tables";
import { requirePage } from "../../lib/auth/require-page";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Health" };

const n = formatInteger;
const orDash = (v: number | null | undefined) => (v === null || v === undefined ? "—" : n(v));

export default async function HealthPage() {
  await requirePage("/health");
  const quietAfterMs = config().TRAILWATCH_FRESHNESS_QUIET_MINUTES * 60_000;
  const report = await healthReport(getPool(), { quietAfterMs, retention: retentionPolicy(config()) });
  const { queue, last } = report;
  const running = report.workers.filter((w) => w.state === "running").length;
  const lastDay = report.perHour.reduce((a, h) => ({ objects: a.objects + h.objects, records: a.records + h.records }), { objects: 0, records: 0 });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Health</h1>
          <p className="mt-0.5 text-sm text-slate-500">Is ingest running, keeping up, and hearing from every source?</p>
        </div>
        <p className="text-xs tabular-nums text-slate-500">
          As of <time dateTime={report.at.toISOString()}>{formatUtc(report.at)}</time>
        </p>
      </div>

      <div
        data-testid="health-status"
        data-status={report.status}
        className={`rounded-lg border px-4 py-2.5 text-sm ${report.status === "ok" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}
      >
        {report.status === "ok" ? (
          "All well: a worker is running, the dead-letter queue is empty and every source is reporting."
        ) : (
          <ul className="list-inside list-disc">
            {report.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>

      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
        <KpiCard label="Workers running" display={n(running)} value={running} testId="health-kpi-workers" hint={`${n(report.workers.length)} seen in the last day`} />
        <KpiCard label="Queue backlog" display={orDash(queue?.backlog)} value={queue?.backlog ?? 0} testId="health-kpi-backlog" hint={queue ? `sampled ${formatUtc(queue.checkedAt)}` : "no sample yet"} />
        <KpiCard label="In flight" display={orDash(queue?.inFlight)} value={queue?.inFlight ?? 0} testId="health-kpi-in-flight" hint="received, not yet deleted" />
        <KpiCard label="Dead-letter queue" display={orDash(queue?.dlqDepth)} value={queue?.dlqDepth ?? 0} testId="health-kpi-dlq" hint={<Link href="/ledger" className="text-sky-700 hover:underline">replay from the Ledger page</Link>} />
        <KpiCard label="Objects, 24 h" display={n(lastDay.objects)} value={lastDay.objects} testId="health-kpi-objects" hint="stored" />
        <KpiCard label="Records, 24 h" display={n(lastDay.records)} value={lastDay.records} testId="health-kpi-records" hint="stored" />
      </dl>

      <div className="grid gap-3 md:grid-cols-2">
        <p className="rounded-lg border border-slate-200 bg-white px-4 py-2.5 text-sm" data-testid="health-last-success">
          <span className="font-semibold">Last success</span>{" "}
          {last.lastSuccess ? (
            <>
              <time dateTime={last.lastSuccess.at.toISOString()}>{formatUtc(last.lastSuccess.at)}</time>{" "}
              <span className="break-all font-mono text-xs">s3://{last.lastSuccess.bucket}/{last.lastSuccess.key}</span>
            </>
          ) : (
            "none yet"
          )}
        </p>
        <p className="rounded-lg border border-slate-200 bg-white px-4 py-2.5 text-sm" data-testid="health-last-error">
          <span className="font-semibold">Last error</span>{" "}
          {last.lastObjectError ? (
            <>
              <time dateTime={last.lastObjectError.at.toISOString()}>{formatUtc(last.lastObjectError.at)}</time> ({last.lastObjectError.status}){" "}
              <span className="break-all font-mono text-xs">s3://{last.lastObjectError.bucket}/{last.lastObjectError.key}</span>
              {last.lastObjectError.reason ? <span className="break-words"> — {last.lastObjectError.reason}</span> : null}
            </>
          ) : (
            "no object has failed"
          )}
          {last.lastWorkerError ? (
            <span className="mt-1 block break-words text-xs text-slate-600">
              Worker: <time dateTime={last.lastWorkerError.at.toISOString()}>{formatUtc(last.lastWorkerError.at)}</time> — {last.lastWorkerError.message}
            </span>
          ) : null}
        </p>
      </div>

      <Panel
        title="Freshness by source"
        note={`INSUFFICIENT_DATA after ${n(quietAfterMs / 60_000)} min without an object`}
        testId="health-freshness"
        empty={report.freshness.length ? undefined : "No CloudTrail or VPC flow-log object has been stored yet."}
      >
        <FreshnessTable rows={report.freshness} />
      </Panel>

      <Panel title="Workers" testId="health-workers" empty={report.workers.length ? undefined : "No worker has reported in the last day. Start one with `trailwatch worker`."}>
        <WorkersTable rows={report.workers} />
      </Panel>

      <Panel title="Retention" note="TRAILWATCH_RETENTION_DAYS; enforced hourly by the worker" testId="health-retention">
        <RetentionTable rows={report.retention} />
      </Panel>

      <Panel title="Ingest per hour" note="last 24 h, UTC" testId="health-per-hour">
        <PerHourTable rows={report.perHour} />
      </Panel>
    </div>
  );
}
