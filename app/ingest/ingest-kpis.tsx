import { formatCount, formatInteger, formatUtc } from "../../components/format";
import { KpiCard } from "../../components/kpi-card";
import type { LedgerSummary } from "../../lib/reports/ingest-status";

/** The Ingest page's KPI tiles: objects by outcome, then records by outcome. */
export function IngestKpis({ summary }: { summary: LedgerSummary }) {
  const { byStatus, records } = summary;
  const notParsed = byStatus.skipped + byStatus.unsupported;
  const count = (label: string, testId: string, value: number, hint: string, title = `${formatInteger(value)} ${hint}`) => (
    <KpiCard label={label} testId={testId} value={value} display={formatCount(value)} title={title} hint={hint} />
  );
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
      {count(
        "Objects done",
        "ingest-kpi-done",
        byStatus.done,
        summary.lastDoneAt ? `last ${formatUtc(summary.lastDoneAt)}` : "none yet",
        `${formatInteger(byStatus.done)} of ${formatInteger(summary.objects)} objects stored`,
      )}
      {count("Failed", "ingest-kpi-failed", byStatus.failed, "retried on redelivery")}
      {count("Rejected", "ingest-kpi-rejected", byStatus.rejected, "not a valid log file")}
      {count(
        "Skipped / unsupported",
        "ingest-kpi-skipped",
        notParsed,
        `${formatInteger(byStatus.skipped)} skipped, ${formatInteger(byStatus.unsupported)} unsupported`,
      )}
      {count("Records stored", "ingest-kpi-records-stored", records.stored, "events and flow lines")}
      {count("Duplicates skipped", "ingest-kpi-records-duplicate", records.duplicate, "already stored before")}
      {count("Records rejected", "ingest-kpi-records-rejected", records.rejected, "refused records and lines")}
    </dl>
  );
}
