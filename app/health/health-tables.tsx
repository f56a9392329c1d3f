import { formatInteger, formatUtc } from "../../components/format";
import type { FreshnessRow, HourRow, RetentionRow, WorkerRow } from "../../lib/reports/health";
import { StatusBadge } from "../ingest/status-badge";

const th = "px-4 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500";
const td = "px-4 py-2 align-top tabular-nums";

const STATE_TONE: Record<string, string> = { OK: "done", INSUFFICIENT_DATA: "stalled", running: "done", stopped: "ignored", silent: "failed" };

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

export function FreshnessTable({ rows }: { rows: FreshnessRow[] }) {
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          <th className={th}>Account</th>
          <th className={th}>Region</th>
          <th className={th}>Source</th>
          <th className={th}>State</th>
          <th className={th}>Last object stored</th>
          <th className={th}>Quiet for</th>
          <th className={th}>Latest file time</th>
          <th className={th}>Objects</th>
          <th className={th}>Records</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={`${r.accountId}/${r.region}/${r.source}`} data-testid="freshness-row" data-state={r.state}>
            <td className={`${td} font-mono text-xs`}>{r.accountId}</td>
            <td className={td}>{r.region}</td>
            <td className={td}>{r.source === "cloudtrail" ? "CloudTrail" : "VPC flow logs"}</td>
            <td className={td}>
              <StatusBadge value={r.state} tone={STATE_TONE[r.state]} />
            </td>
            <td className={td}>{formatUtc(r.lastObjectAt)}</td>
            <td className={td}>{minutes(r.quietForMs)}</td>
            <td className={td}>{r.lastDataAt ? formatUtc(r.lastDataAt) : "—"}</td>
            <td className={td}>{formatInteger(r.objects)}</td>
            <td className={td}>{formatInteger(r.records)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WorkersTable({ rows }: { rows: WorkerRow[] }) {
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          <th className={th}>Worker</th>
          <th className={th}>State</th>
          <th className={th}>Last heartbeat</th>
          <th className={th}>Started</th>
          <th className={th}>Received</th>
          <th className={th}>Deleted</th>
          <th className={th}>Retried</th>
          <th className={th}>Errors</th>
          <th className={th}>In flight</th>
          <th className={th}>Last error</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((w) => (
          <tr key={w.workerId} data-testid="worker-row" data-state={w.state}>
            <td className={`${td} font-mono text-xs`}>
              {w.hostname}/{w.pid}
            </td>
            <td className={td}>
              <StatusBadge value={w.state} tone={STATE_TONE[w.state]} />
            </td>
            <td className={td}>{formatUtc(w.lastBeatAt)}</td>
            <td className={td}>{formatUtc(w.startedAt)}</td>
            <td className={td}>{formatInteger(w.messagesReceived)}</td>
            <td className={td}>{formatInteger(w.messagesDeleted)}</td>
            <td className={td}>{formatInteger(w.messagesRetried)}</td>
            <td className={td}>{formatInteger(w.errors)}</td>
            <td className={td}>{formatInteger(w.inFlight)}</td>
            <td className={`${td} max-w-md break-words text-xs`}>
              {w.lastError ? (
                <>
                  {w.lastErrorAt ? `${formatUtc(w.lastErrorAt)} — ` : null}
                  {w.lastError}
                </>
              ) : (
                "—"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PerHourTable({ rows }: { rows: HourRow[] }) {
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          <th className={th}>Hour (UTC)</th>
          <th className={th}>Objects stored</th>
          <th className={th}>Records stored</th>
          <th className={th}>Objects failed or rejected</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {[...rows].reverse().map((h) => (
          <tr key={h.hour.toISOString()} data-testid="per-hour-row">
            <td className={td}>{formatUtc(h.hour)}</td>
            <td className={td}>{formatInteger(h.objects)}</td>
            <td className={td}>{formatInteger(h.records)}</td>
            <td className={td}>{formatInteger(h.failures)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RetentionTable({ rows }: { rows: RetentionRow[] }) {
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr>
          <th className={th}>Source</th>
          <th className={th}>Kept</th>
          <th className={th}>Last run</th>
          <th className={th}>Deleted events before</th>
          <th className={th}>Rows deleted</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.source} data-testid="retention-row" data-source={r.source}>
            <td className={td}>{r.source === "cloudtrail" ? "CloudTrail" : "VPC flow logs"}</td>
            <td className={td}>{r.days > 0 ? `${formatInteger(r.days)} days` : "forever"}</td>
            <td className={td}>{r.lastRun ? formatUtc(r.lastRun.at) : "—"}</td>
            <td className={td}>{r.lastRun ? formatUtc(r.lastRun.cutoff) : "—"}</td>
            <td className={td}>{r.lastRun ? formatInteger(r.lastRun.rowsDeleted) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
