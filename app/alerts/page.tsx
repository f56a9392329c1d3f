import type { Metadata } from "next";
import Link from "next/link";
import { formatInteger, formatUtc } from "../../components/format";
import { alertFilterFromParams, alertRules, ALERT_STATES, countAlertsBySeverity, listAlerts } from "../../lib/detect/alerts";
import { SEVERITIES } from "../../lib/detect/rule-schema";
import { getPool } from "../../lib/db/pool";
import { AlertStateLabel, SeverityBadge } from "./severity-badge";
import { requirePage } from "../../lib/auth/require-page";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Alerts" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("/alerts");
  const params = await searchParams;
  const get = (name: string) => [params[name] ?? []].flat();
  const filter = alertFilterFromParams(get);
  const db = getPool();
  const [alerts, counts, rules] = await Promise.all([listAlerts(db, filter), countAlertsBySeverity(db, filter), alertRules(db)]);
  const stateValue = get("state")[0] ?? "";

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Alerts</h1>
        <p className="mt-0.5 text-sm text-slate-500">What the detection rules raised, deduplicated per rule and group, with the events behind each</p>
      </div>

      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label="Alerts by severity" data-testid="severity-counts">
        {[...SEVERITIES].reverse().map((s) => (
          <li key={s} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
            <Link href={`/alerts?${new URLSearchParams({ ...(stateValue ? { state: stateValue } : {}), severity: s })}`} className="flex items-center justify-between">
              <SeverityBadge severity={s} />
              <span className="text-lg font-semibold tabular-nums text-slate-900" data-severity={s} data-value={counts[s]}>
                {formatInteger(counts[s])}
              </span>
            </Link>
          </li>
        ))}
      </ul>

      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-label="Filter alerts">
        <label className="text-xs font-medium text-slate-600">
          Severity
          <select name="severity" defaultValue={filter.severity?.[0] ?? ""} className="mt-1 block rounded border border-slate-300 px-2 py-1 text-sm">
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          State
          <select name="state" defaultValue={stateValue} className="mt-1 block rounded border border-slate-300 px-2 py-1 text-sm">
            <option value="">open + acknowledged</option>
            {ALERT_STATES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
            <option value="all">all</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Rule
          <select name="rule" defaultValue={filter.ruleId ?? ""} className="mt-1 block max-w-xs rounded border border-slate-300 px-2 py-1 text-sm">
            <option value="">any</option>
            {rules.map((r) => (
              <option key={r.ruleId} value={r.ruleId}>{r.ruleTitle}</option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Account
          <input name="account" defaultValue={filter.account ?? ""} placeholder="111122223333" inputMode="numeric" className="mt-1 block w-36 rounded border border-slate-300 px-2 py-1 font-mono text-sm" />
        </label>
        <label className="text-xs font-medium text-slate-600">
          Last match from (UTC)
          <input name="from" type="datetime-local" defaultValue={filter.from?.toISOString().slice(0, 16) ?? ""} className="mt-1 block rounded border border-slate-300 px-2 py-1 text-sm" />
        </label>
        <label className="text-xs font-medium text-slate-600">
          to
          <input name="to" type="datetime-local" defaultValue={filter.to?.toISOString().slice(0, 16) ?? ""} className="mt-1 block rounded border border-slate-300 px-2 py-1 text-sm" />
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">Apply</button>
        <Link href="/alerts" className="py-1.5 text-sm text-slate-600 hover:text-slate-900">Reset</Link>
      </form>

      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        {alerts.length === 0 ? (
          <p className="px-4 py-8 text-sm text-slate-500" data-testid="alerts-empty">No alerts match these filters.</p>
        ) : (
          <table className="w-full text-sm" data-testid="alerts-table">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="py-2 pl-4 font-medium">Severity</th>
                <th scope="col" className="py-2 pl-3 font-medium">Rule</th>
                <th scope="col" className="py-2 pl-3 font-medium">Group</th>
                <th scope="col" className="py-2 pl-3 font-medium">State</th>
                <th scope="col" className="py-2 pl-3 font-medium">Last match (UTC)</th>
                <th scope="col" className="py-2 pr-4 pl-3 text-right font-medium">Matches</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id} className="border-b border-slate-100 align-top last:border-0 hover:bg-slate-50" data-rule-id={a.ruleId}>
                  <td className="py-2 pl-4"><SeverityBadge severity={a.severity} /></td>
                  <td className="py-2 pl-3">
                    <Link href={`/alerts/${a.id}`} className="font-medium text-sky-800 hover:underline">{a.ruleTitle}</Link>
                    <div className="font-mono text-xs text-slate-500">{a.ruleId}{a.techniques.length ? ` · ${a.techniques.join(", ")}` : ""}</div>
                  </td>
                  <td className="max-w-md py-2 pl-3 font-mono text-xs break-all text-slate-700">{a.groupKey}</td>
                  <td className="py-2 pl-3"><AlertStateLabel state={a.state} /></td>
                  <td className="py-2 pl-3 text-xs whitespace-nowrap tabular-nums text-slate-600">{formatUtc(a.lastSeen)}</td>
                  <td className="py-2 pr-4 pl-3 text-right tabular-nums">{formatInteger(a.matchCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
