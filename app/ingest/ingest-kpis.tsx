import { formatCount, formatInteger, formatUtc } from "../../components/format";
import { KpiCard } from "../../components/kpi-card";
import type { LedgerSummary } from "../../lib/reports/ingest-status";

interface Tile {
  label: string;
  testId: string;
  value: number;
  hint: string;
  /** Tooltip of the value: the exact number and what it counts. */
  title: string;
}

/** The Ingest page's KPI tiles: objects by outcome, then records by outcome. */
export function IngestKpis({ summary }: { summary: LedgerSummary }) {
  const { byStatus, records } = summary;
  const n = formatInteger;
  const tiles: Tile[] = [
    {
      label: "Objects done",
      testId: "ingest-kpi-done",
      value: byStatus.done,
      hint: `of ${n(summary.objects)} objects`,
      title: `${n(byStatus.done)} objects stored${summary.lastDoneAt ? `; the last at ${formatUtc(summary.lastDoneAt)}` : ""}`,
    },
    {
      label: "Failed",
      testId: "ingest-kpi-failed",
      value: byStatus.failed,
      hint: "retried on redelivery",
      title: `${n(byStatus.failed)} objects whose last attempt failed; SQS redelivers their messages`,
    },
    {
      label: "Rejected",
      testId: "ingest-kpi-rejected",
      value: byStatus.rejected,
      hint: "not a valid log file",
      title: `${n(byStatus.rejected)} objects whose content is not a valid log file of their kind (not retried)`,
    },
    {
      label: "Skipped / unsupported",
      testId: "ingest-kpi-skipped",
      value: byStatus.skipped + byStatus.unsupported,
      hint: `${n(byStatus.skipped)} / ${n(byStatus.unsupported)}`,
      title: `${n(byStatus.skipped)} skipped (not CloudTrail or VPC Flow Logs), ${n(byStatus.unsupported)} unsupported (a format not parsed yet)`,
    },
    {
      label: "Records stored",
      testId: "ingest-kpi-records-stored",
      value: records.stored,
      hint: "events and flow lines",
      title: `${n(records.stored)} CloudTrail events and flow log records stored`,
    },
    {
      label: "Duplicates skipped",
      testId: "ingest-kpi-records-duplicate",
      value: records.duplicate,
      hint: "already stored before",
      title: `${n(records.duplicate)} records already stored (redelivered or re-imported), not stored twice`,
    },
    {
      label: "Records rejected",
      testId: "ingest-kpi-records-rejected",
      value: records.rejected,
      hint: "records and lines",
      title: `${n(records.rejected)} records or lines refused; the first few per object are listed below`,
    },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
      {tiles.map((t) => (
        <KpiCard key={t.testId} label={t.label} testId={t.testId} value={t.value} display={formatCount(t.value)} title={t.title} hint={t.hint} />
      ))}
    </dl>
  );
}
