import { formatInteger } from "../../components/format";
import type { AttentionReason, AttentionRow } from "../../lib/reports/ingest-status";
import { ObjectKey, Td, Th, UtcTime } from "./panel";
import { StatusBadge } from "./status-badge";

/** What each reason for attention means for the operator (shown as the badge's tooltip). */
const MEANING: Record<AttentionReason, string> = {
  failed: "The attempt failed; the message stays on the queue, so SQS redelivers it and the object is retried.",
  rejected: "The content is not a valid log file of its kind. Final: it is not retried.",
  skipped: "Not CloudTrail or VPC Flow Logs, or key and content disagree. Final: nothing was parsed.",
  unsupported: "A format Trailwatch cannot parse yet. Final: nothing was parsed.",
  stalled: "Still processing 10 minutes after the attempt began: the worker may have stopped mid-object.",
  "records-rejected": "Stored, but some records or lines were refused.",
};

function reasonText(row: AttentionRow): string {
  if (row.attention === "stalled") {
    return "No result 10 minutes after the attempt began: the worker may have stopped mid-object. It is retried when SQS redelivers the message.";
  }
  if (row.attention === "records-rejected") {
    const total = row.recordsStored + row.recordsDuplicate + row.recordsRejected;
    const refused = `${formatInteger(row.recordsRejected)} of ${formatInteger(total)} records refused (see "Refused records and lines")`;
    return row.reason ? `${refused}; ${row.reason}` : `${refused}.`;
  }
  return row.reason ?? "No reason was recorded.";
}

/** The "Needs attention" rows: one per object, with why, how often it was tried and when. */
export function NeedsAttentionTable({ rows }: { rows: readonly AttentionRow[] }) {
  return (
    <table className="w-full min-w-[72rem] table-fixed text-sm">
      <thead>
        <tr className="border-b border-slate-100">
          <Th className="w-28">Status</Th>
          <Th>Object</Th>
          <Th className="w-36">Kind</Th>
          <Th className="w-[30%]">Reason</Th>
          <Th className="w-20 text-right">Attempts</Th>
          <Th className="w-20 text-right">Rejected</Th>
          <Th className="w-44">Time (UTC)</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const stalled = row.attention === "stalled";
          const reason = reasonText(row);
          return (
            <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50" data-attention={row.attention}>
              <Td>
                <StatusBadge value={row.status} tone={stalled ? "stalled" : row.status} title={MEANING[row.attention]} />
                {stalled ? <div className="mt-1 text-xs font-medium text-amber-700">stalled</div> : null}
              </Td>
              <Td>
                <ObjectKey bucket={row.bucket} objectKey={row.key} />
              </Td>
              <Td className="font-mono text-xs text-slate-600">{row.kind}</Td>
              <Td>
                <div className="line-clamp-4 break-words text-slate-700" title={reason}>
                  {reason}
                </div>
              </Td>
              <Td className="text-right tabular-nums text-slate-700">{formatInteger(row.attempts)}</Td>
              <Td className="text-right tabular-nums text-slate-700">{formatInteger(row.recordsRejected)}</Td>
              <Td>
                <div className="text-xs text-slate-500">{stalled ? "started" : "finished"}</div>
                <UtcTime value={stalled ? (row.startedAt ?? row.firstSeenAt) : (row.finishedAt ?? row.startedAt)} />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
