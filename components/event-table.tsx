import Link from "next/link";
import { Td, Th, UtcTime } from "./panel";
import { safeHref } from "../lib/http/safe-href";

/** The fields of an event list row the table shows (lib/reports/report-query.ts EventRow). */
export interface EventTableRow {
  eventTime: Date;
  eventId: string;
  account: string;
  region: string | null;
  eventSource: string | null;
  eventName: string | null;
  principal: string | null;
  sourceIp: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  fields: Readonly<Record<string, string | null>>;
  href: string | null;
}

export interface EventTableProps {
  rows: readonly EventTableRow[];
  /** Extra columns from each row's `fields`. */
  columns?: readonly { header: string; field: string }[];
  /** A leading column, e.g. the change category. */
  lead?: { header: string; value: (row: EventTableRow) => string };
  testId?: string;
}

/**
 * Individual CloudTrail events, newest first: each row's time opens the event itself on the event search.
 * Every value is attacker-controlled text and rendered as such.
 */
export function EventTable({ rows, columns = [], lead, testId }: EventTableProps) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="bg-slate-50">
        <tr>
          <Th>Time (UTC)</Th>
          {lead ? <Th>{lead.header}</Th> : null}
          <Th>Event</Th>
          <Th>Principal</Th>
          <Th>Source</Th>
          {columns.map((c) => (
            <Th key={c.field}>{c.header}</Th>
          ))}
          <Th>Result</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.account}:${r.eventId}`} className="border-t border-slate-100 hover:bg-slate-50">
            <Td>
              {r.href ? (
                <Link href={safeHref(r.href)} prefetch={false} className="hover:underline" aria-label={`Open event ${r.eventName ?? ""} at ${r.eventTime.toISOString()}`}>
                  <UtcTime value={r.eventTime} />
                </Link>
              ) : (
                <UtcTime value={r.eventTime} />
              )}
            </Td>
            {lead ? <Td className="whitespace-nowrap text-xs text-slate-600">{lead.value(r)}</Td> : null}
            <Td>
              <div className="font-mono text-xs text-slate-900">{r.eventName}</div>
              <div className="font-mono text-[11px] text-slate-400">{r.eventSource}</div>
            </Td>
            <Td>
              <div className="min-w-[14rem] max-w-[28rem] break-all font-mono text-xs text-slate-700">{r.principal ?? <span className="text-slate-400">—</span>}</div>
            </Td>
            <Td>
              <div className="font-mono text-xs text-slate-700">{r.sourceIp}</div>
              <div className="text-[11px] text-slate-400">
                {r.account}
                {r.region ? ` · ${r.region}` : ""}
              </div>
            </Td>
            {columns.map((c) => (
              <Td key={c.field}>
                <div className="max-w-[20rem] break-all font-mono text-xs text-slate-700">{r.fields[c.field] ?? <span className="text-slate-400">—</span>}</div>
              </Td>
            ))}
            <Td>
              {r.errorCode || r.errorMessage ? (
                <span className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-[11px] text-red-800" title={r.errorMessage ?? undefined}>
                  {r.errorCode ?? "Failed"}
                </span>
              ) : (
                <span className="text-xs text-emerald-700">OK</span>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
