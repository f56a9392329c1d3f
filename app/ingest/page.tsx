import type { Metadata } from "next";
import { formatInteger, formatUtc } from "../../components/format";
import {
  isMessageOutcome,
  ledgerSummary,
  messageLog,
  objectsNeedingAttention,
  recentObjects,
  recentRejections,
} from "../../lib/reports/ingest-status";
import { IngestKpis } from "./ingest-kpis";
import { MessageLogTable, OutcomeFilter } from "./message-log-table";
import { NeedsAttentionTable } from "./needs-attention-table";
import { Panel } from "./panel";
import { RecentObjectsTable } from "./recent-objects-table";
import { RefusedRecordsTable } from "./refused-records-table";
import { requirePage } from "../../lib/auth/require-page";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Ingest" };

const LIST_LIMIT = 50;
const RECENT_LIMIT = 25;

/** "newest 50" when a list is full (older rows exist or may), else its row count. */
function listNote(rows: number, limit: number): string {
  return rows >= limit ? `newest ${limit}` : formatInteger(rows);
}

export default async function IngestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage("/ingest");
  const raw = (await searchParams).outcome;
  // An unknown value shows every message rather than an error: the filter is a convenience.
  const outcome = isMessageOutcome(raw) ? raw : undefined;
  const [summary, attention, refused, messages, recent] = await Promise.all([
    ledgerSummary(),
    objectsNeedingAttention({ limit: LIST_LIMIT }),
    recentRejections({ limit: LIST_LIMIT }),
    messageLog({ limit: LIST_LIMIT, outcome }),
    recentObjects({ limit: RECENT_LIMIT }),
  ]);
  const inProgress = summary.byStatus.processing;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Ingest</h1>
          <p className="mt-0.5 text-sm text-slate-500">
            Every S3 object announced through SQS, what became of it, and every message that announced nothing to ingest
          </p>
        </div>
        <p className="text-xs tabular-nums text-slate-500" data-testid="ingest-last-finished">
          {summary.lastFinishedAt ? (
            <>
              Last object finished{" "}
              <time dateTime={summary.lastFinishedAt.toISOString()} title={summary.lastFinishedAt.toISOString()}>
                {formatUtc(summary.lastFinishedAt)}
              </time>
            </>
          ) : (
            "No object has finished yet"
          )}
          {inProgress > 0 ? ` · ${formatInteger(inProgress)} in progress` : null}
        </p>
      </div>

      <IngestKpis summary={summary} />

      {summary.lastFailure ? (
        <p
          data-testid="ingest-last-failure"
          className="rounded-lg border border-red-200 bg-red-50 px-4 py-2.5 text-sm text-red-900"
        >
          <span className="font-semibold">Last failure</span>
          {summary.lastFailure.at ? (
            <>
              {" "}
              <time dateTime={summary.lastFailure.at.toISOString()} className="tabular-nums">
                {formatUtc(summary.lastFailure.at)}
              </time>
            </>
          ) : null}{" "}
          ({summary.lastFailure.status}):{" "}
          <span className="break-all font-mono text-xs">
            s3://{summary.lastFailure.bucket}/{summary.lastFailure.key}
          </span>
          {summary.lastFailure.reason ? <span className="break-words"> — {summary.lastFailure.reason}</span> : null}
        </p>
      ) : null}

      <Panel
        title="Needs attention"
        note={attention.length > 0 ? listNote(attention.length, LIST_LIMIT) : undefined}
        testId="needs-attention"
        empty={
          attention.length > 0
            ? undefined
            : summary.objects === 0
              ? "No object has been announced yet: nothing to check."
              : `Every object announced so far was ingested${inProgress > 0 ? ` (${formatInteger(inProgress)} still in progress)` : ""}.`
        }
      >
        <NeedsAttentionTable rows={attention} />
      </Panel>

      <Panel
        title="Refused records and lines"
        note={refused.length > 0 ? listNote(refused.length, LIST_LIMIT) : undefined}
        testId="refused-records"
        empty={
          refused.length > 0
            ? undefined
            : "No record or line has been refused: every record of every parsed file was stored or was already stored."
        }
      >
        <RefusedRecordsTable rows={refused} />
      </Panel>

      <div id="message-log" className="scroll-mt-6">
        <Panel
          title="Messages not ingested"
          note={messages.length > 0 ? listNote(messages.length, LIST_LIMIT) : undefined}
          testId="message-log"
          actions={<OutcomeFilter active={outcome} />}
          empty={
            messages.length > 0
              ? undefined
              : outcome
                ? `No message with outcome "${outcome}".`
                : "Every SQS message so far announced S3 objects to ingest."
          }
        >
          <MessageLogTable rows={messages} />
        </Panel>
      </div>

      <Panel
        title="Recent objects"
        note={recent.length > 0 ? listNote(recent.length, RECENT_LIMIT) : undefined}
        testId="recent-objects"
        empty={
          recent.length > 0
            ? undefined
            : (
                <>
                  No objects yet. Each S3 object appears here as soon as an SQS message announces it (or{" "}
                  <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">trailwatch import</code> reads it).
                </>
              )
        }
      >
        <RecentObjectsTable rows={recent} />
      </Panel>
    </div>
  );
}
