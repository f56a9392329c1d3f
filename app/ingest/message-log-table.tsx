import Link from "next/link";
import { formatInteger } from "../../components/format";
import { MESSAGE_OUTCOMES, type MessageLogRow, type MessageOutcome } from "../../lib/reports/ingest-status";
import { Td, Th, UtcTime } from "./panel";
import { StatusBadge } from "./status-badge";
import { safeHref } from "../../lib/http/safe-href";

const OUTCOME_MEANING: Record<string, string> = {
  rejected: "Not understood: left on the queue, so its redrive policy moves it to the dead-letter queue.",
  test: "The s3:TestEvent S3 sends when a notification is configured.",
  ignored: "Understood, but announces nothing to ingest (e.g. an object deletion).",
};

/** Links that filter the message log by outcome, kept in the URL (`?outcome=`) so the view is shareable. */
export function OutcomeFilter({ active }: { active: MessageOutcome | undefined }) {
  const choices: { value: MessageOutcome | undefined; label: string }[] = [
    { value: undefined, label: "All" },
    ...MESSAGE_OUTCOMES.map((value) => ({ value, label: value })),
  ];
  return (
    <nav aria-label="Message outcome" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
      {choices.map(({ value, label }) => (
        <Link
          key={label}
          href={safeHref(value ? `/ingest?outcome=${value}#message-log` : "/ingest#message-log")}
          scroll={false}
          aria-current={active === value ? "true" : undefined}
          data-testid={`outcome-${value ?? "all"}`}
          className={
            active === value
              ? "rounded bg-slate-900 px-2.5 py-0.5 text-xs font-medium text-white"
              : "rounded px-2.5 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
          }
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** SQS messages that announced no object: what they were, why, how often SQS delivered them, and their start. */
export function MessageLogTable({ rows }: { rows: readonly MessageLogRow[] }) {
  return (
    <table className="w-full min-w-[60rem] table-fixed text-sm">
      <thead>
        <tr className="border-b border-slate-100">
          <Th className="w-24">Outcome</Th>
          <Th className="w-44">Shape</Th>
          <Th className="w-[22%]">Reason</Th>
          <Th className="w-20 text-right">Receives</Th>
          <Th>Body excerpt</Th>
          <Th className="w-44">Last seen (UTC)</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50">
            <Td>
              <StatusBadge value={row.outcome} title={OUTCOME_MEANING[row.outcome]} />
            </Td>
            <Td className="break-all font-mono text-xs text-slate-600">{row.shape}</Td>
            <Td className="break-words text-slate-700">{row.reason}</Td>
            <Td className="text-right tabular-nums text-slate-700">{formatInteger(row.receiveCount)}</Td>
            <Td>
              <pre className="max-h-28 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 px-2 py-1 font-mono text-xs leading-5 text-slate-700">
                {row.bodyExcerpt}
              </pre>
              <div className="mt-1 break-all font-mono text-[11px] leading-4 text-slate-400" title="SQS message id">
                {row.messageId}
              </div>
            </Td>
            <Td>
              <UtcTime value={row.lastSeenAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
