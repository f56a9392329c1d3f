import type { RejectionRow } from "../../lib/reports/ingest-status";
import { ObjectKey, Td, Th, UtcTime } from "./panel";

/** Where a refused record sat: CloudTrail counts records from 0 in `Records`, flow logs count lines from 1. */
function where(row: RejectionRow): string {
  return row.object.kind === "vpcflow" ? `line ${row.position}` : `Records[${row.position}]`;
}

/** The refused records and lines, each with its object, why, and the start of what was refused. */
export function RefusedRecordsTable({ rows }: { rows: readonly RejectionRow[] }) {
  return (
    <table className="w-full min-w-[60rem] table-fixed text-sm">
      <thead>
        <tr className="border-b border-slate-100">
          <Th className="w-[26%]">Object</Th>
          <Th className="w-28">Position</Th>
          <Th className="w-[24%]">Reason</Th>
          <Th>Excerpt</Th>
          <Th className="w-44">Refused (UTC)</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50">
            <Td>
              <ObjectKey bucket={row.object.bucket} objectKey={row.object.key} />
            </Td>
            <Td className="whitespace-nowrap font-mono text-xs text-slate-600">{where(row)}</Td>
            <Td className="break-words text-slate-700">{row.reason}</Td>
            <Td>
              <pre className="max-h-28 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 px-2 py-1 font-mono text-xs leading-5 text-slate-700">
                {row.excerpt}
              </pre>
            </Td>
            <Td>
              <UtcTime value={row.object.finishedAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
