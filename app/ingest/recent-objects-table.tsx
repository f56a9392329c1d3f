import { formatBytes, formatInteger } from "../../components/format";
import type { IngestObjectRow } from "../../lib/reports/ingest-status";
import { ObjectKey, Td, Th, UtcTime } from "./panel";
import { StatusBadge } from "./status-badge";

function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${formatInteger(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The last objects the ledger saw, any status, with their record counts and timings. */
export function RecentObjectsTable({ rows }: { rows: readonly IngestObjectRow[] }) {
  return (
    <table className="w-full min-w-[72rem] table-fixed text-sm">
      <thead>
        <tr className="border-b border-slate-100">
          <Th className="w-28">Status</Th>
          <Th>Object</Th>
          <Th className="w-36">Kind</Th>
          <Th className="w-20 text-right">Size</Th>
          <Th className="w-20 text-right">Stored</Th>
          <Th className="w-20 text-right">Dup.</Th>
          <Th className="w-20 text-right">Rejected</Th>
          <Th className="w-20 text-right">Took</Th>
          <Th className="w-44">Finished (UTC)</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50">
            <Td>
              <StatusBadge value={row.status} title={row.reason ?? undefined} />
            </Td>
            <Td>
              <ObjectKey bucket={row.bucket} objectKey={row.key} />
            </Td>
            <Td className="font-mono text-xs text-slate-600">{row.kind}</Td>
            <Td className="whitespace-nowrap text-right tabular-nums text-slate-700">{row.size === null ? "—" : formatBytes(row.size)}</Td>
            <Td className="text-right tabular-nums text-slate-700">{formatInteger(row.recordsStored)}</Td>
            <Td className="text-right tabular-nums text-slate-700">{formatInteger(row.recordsDuplicate)}</Td>
            <Td className={`text-right tabular-nums ${row.recordsRejected > 0 ? "font-medium text-rose-700" : "text-slate-700"}`}>
              {formatInteger(row.recordsRejected)}
            </Td>
            <Td className="whitespace-nowrap text-right tabular-nums text-slate-700">{row.status === "processing" ? "—" : formatDuration(row.durationMs)}</Td>
            <Td>
              <UtcTime value={row.status === "processing" ? null : row.finishedAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
