import type { Metadata } from "next";
import Link from "next/link";
import { formatBytes, formatInteger } from "../../components/format";
import { getPool } from "../../lib/db/pool";
import { recentOperations } from "../../lib/ops/ops-requests";
import { queueState } from "../../lib/reports/health";
import { LEDGER_STATUSES } from "../../lib/reports/ingest-status";
import { ledgerObjects } from "../../lib/reports/ledger";
import { ObjectKey, Panel, Td, Th, UtcTime } from "../ingest/panel";
import { StatusBadge } from "../ingest/status-badge";
import { ReplayDlqButton, ReprocessButton } from "./admin-buttons";
import { safeHref } from "../../lib/http/safe-href";
import { requirePage } from "../../lib/auth/require-page";
import { canAct } from "../../lib/auth/access-policy";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Ledger" };

const PAGE = 100;

function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${formatInteger(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export default async function LedgerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const caller = await requirePage("/ledger");
  const admin = canAct(caller.role, "reprocessObjectAction");
  const params = await searchParams;
  const raw = typeof params.status === "string" ? params.status : undefined;
  // An unknown status shows every object rather than an error: the filter is a convenience.
  const status = raw && (LEDGER_STATUSES as readonly string[]).includes(raw) ? raw : undefined;
  const before = typeof params.before === "string" ? params.before : undefined;
  const [objects, queue, operations] = await Promise.all([
    ledgerObjects(getPool(), { status, limit: PAGE, beforeId: before }),
    queueState(getPool()),
    recentOperations(getPool(), 10),
  ]);
  const next = objects.length === PAGE ? objects.at(-1)?.id : undefined;
  const href = (s: string | undefined) => (s ? `/ledger?status=${s}` : "/ledger");

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Ledger</h1>
          <p className="mt-0.5 text-sm text-slate-500">Every object seen: status, record counts, timings and error. Admin actions are carried out by a running worker.</p>
        </div>
        {admin ? <ReplayDlqButton depth={queue?.dlqDepth ?? null} /> : null}
      </div>

      <nav aria-label="Status" className="inline-flex flex-wrap rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
        {[undefined, ...LEDGER_STATUSES].map((s) => (
          <Link
            key={s ?? "all"}
            href={safeHref(href(s))}
            aria-current={status === s ? "true" : undefined}
            data-testid={`ledger-status-${s ?? "all"}`}
            className={status === s ? "rounded bg-slate-900 px-2.5 py-0.5 text-xs font-medium text-white" : "rounded px-2.5 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100"}
          >
            {s ?? "all"}
          </Link>
        ))}
      </nav>

      <Panel title="Objects" note={`${formatInteger(objects.length)}${next ? ` (newest first; more below)` : ""}`} testId="ledger-objects" empty={objects.length ? undefined : status ? `No object with status "${status}".` : "No object yet."}>
        <table className="w-full min-w-[84rem] table-fixed text-sm">
          <thead>
            <tr className="border-b border-slate-100">
              <Th className="w-28">Status</Th>
              <Th>Object</Th>
              <Th className="w-32">Kind</Th>
              <Th className="w-20 text-right">Size</Th>
              <Th className="w-20 text-right">Stored</Th>
              <Th className="w-16 text-right">Dup.</Th>
              <Th className="w-20 text-right">Rejected</Th>
              <Th className="w-16 text-right">Tries</Th>
              <Th className="w-20 text-right">Took</Th>
              <Th className="w-44">Finished (UTC)</Th>
              <Th className="w-40">Admin</Th>
            </tr>
          </thead>
          <tbody>
            {objects.map((o) => (
              <tr key={o.id} className="border-t border-slate-100 align-top hover:bg-slate-50" data-testid="ledger-row" data-status={o.status} data-key={o.key}>
                <Td>
                  <StatusBadge value={o.status} />
                </Td>
                <Td>
                  <ObjectKey bucket={o.bucket} objectKey={o.key} />
                  {o.reason ? <p className="mt-1 break-words text-xs text-red-800">{o.reason}</p> : null}
                </Td>
                <Td className="font-mono text-xs text-slate-600">{o.kind}</Td>
                <Td className="whitespace-nowrap text-right tabular-nums">{o.size === null ? "—" : formatBytes(o.size)}</Td>
                <Td className="text-right tabular-nums">{formatInteger(o.recordsStored)}</Td>
                <Td className="text-right tabular-nums">{formatInteger(o.recordsDuplicate)}</Td>
                <Td className="text-right tabular-nums">{formatInteger(o.recordsRejected)}</Td>
                <Td className="text-right tabular-nums">{formatInteger(o.attempts)}</Td>
                <Td className="whitespace-nowrap text-right tabular-nums">{o.status === "processing" ? "—" : formatDuration(o.durationMs)}</Td>
                <Td>
                  <UtcTime value={o.status === "processing" ? null : o.finishedAt} />
                </Td>
                <Td>{o.status === "processing" || !admin ? null : <ReprocessButton objectId={o.id} />}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {next ? (
        <Link className="text-sm text-sky-700 hover:underline" href={`/ledger?${status ? `status=${status}&` : ""}before=${next}`}>
          Older objects →
        </Link>
      ) : null}

      <Panel title="Admin requests" note="newest 10" testId="ledger-requests" empty={operations.length ? undefined : "No admin request yet."}>
        <table className="w-full min-w-[60rem] text-sm">
          <thead>
            <tr className="border-b border-slate-100">
              <Th>Request</Th>
              <Th>Action</Th>
              <Th>By</Th>
              <Th>Requested (UTC)</Th>
              <Th>Finished (UTC)</Th>
              <Th>Result</Th>
            </tr>
          </thead>
          <tbody>
            {operations.map((r) => (
              <tr key={r.id} className="border-t border-slate-100" data-testid="ops-request-row">
                <Td className="tabular-nums">{r.id}</Td>
                <Td className="font-mono text-xs">
                  {r.action}
                  {r.objectId ? ` #${r.objectId}` : ""}
                </Td>
                <Td>{r.requestedBy}</Td>
                <Td>
                  <UtcTime value={r.requestedAt} />
                </Td>
                <Td>{r.finishedAt ? <UtcTime value={r.finishedAt} /> : "waiting for a worker"}</Td>
                <Td className="break-words text-xs">{r.error ? <span className="text-red-700">{r.error}</span> : (r.result ?? "—")}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
