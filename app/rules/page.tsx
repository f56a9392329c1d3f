import type { Metadata } from "next";
import Link from "next/link";
import { formatInteger, formatUtc } from "../../components/format";
import { getPool } from "../../lib/db/pool";
import { BUILT_IN_IDS, loadRules } from "../../lib/detect/load-rules";
import { SEVERITIES, SOURCES } from "../../lib/detect/rule-schema";
import { ruleAlertStats } from "../../lib/detect/rule-stats";
import { SeverityBadge } from "../alerts/severity-badge";
import { setRuleEnabledAction } from "./actions";
import { requirePage } from "../../lib/auth/require-page";
import { canAct, canOpen } from "../../lib/auth/access-policy";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Rules" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function RulesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const caller = await requirePage("/rules");
  const params = await searchParams;
  const one = (name: string) => [params[name] ?? []].flat()[0]?.trim() ?? "";
  const q = one("q").toLowerCase();
  const source = one("source");
  const severity = one("severity");
  const origin = one("origin");
  const state = one("state");
  const db = getPool();
  const [rules, stats] = await Promise.all([loadRules(db), ruleAlertStats(db, new Date(Date.now() - 7 * 86_400_000))]);
  const shown = rules.filter((r) =>
    (!q || `${r.id} ${r.title} ${r.techniques.join(" ")}`.toLowerCase().includes(q)) &&
    (!source || r.source === source) &&
    (!severity || r.severity === severity) &&
    (!origin || (origin === "custom") !== BUILT_IN_IDS.has(r.id)) &&
    (!state || (state === "enabled") === r.enabled));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Rules</h1>
          <p className="mt-0.5 text-sm text-slate-500">Built-in and custom detection rules: {formatInteger(rules.length)} in all, {formatInteger(rules.filter((r) => r.enabled).length)} enabled</p>
        </div>
        {canOpen(caller.role, "/rules/new") ? <Link href="/rules/new" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">New rule</Link> : null}
      </div>

      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-label="Filter rules">
        <label className="text-xs font-medium text-slate-600">
          Search
          <input name="q" defaultValue={q} placeholder="id, title, T1562" className="mt-1 block w-56 rounded border border-slate-300 px-2 py-1 text-sm" />
        </label>
        {[
          ["source", "Source", SOURCES, source],
          ["severity", "Severity", SEVERITIES, severity],
          ["origin", "Origin", ["built-in", "custom"], origin],
          ["state", "State", ["enabled", "disabled"], state],
        ].map(([name, label, options, value]) => (
          <label key={name as string} className="text-xs font-medium text-slate-600">
            {label as string}
            <select name={name as string} defaultValue={value as string} className="mt-1 block rounded border border-slate-300 px-2 py-1 text-sm">
              <option value="">any</option>
              {(options as readonly string[]).map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </label>
        ))}
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">Apply</button>
        <Link href="/rules" className="py-1.5 text-sm text-slate-600 hover:text-slate-900">Reset</Link>
      </form>

      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-sm" data-testid="rules-table">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-2 pl-4 font-medium">Severity</th>
              <th scope="col" className="py-2 pl-3 font-medium">Rule</th>
              <th scope="col" className="py-2 pl-3 font-medium">Source</th>
              <th scope="col" className="py-2 pl-3 font-medium">Kind</th>
              <th scope="col" className="py-2 pl-3 text-right font-medium">Alerts 7 d</th>
              <th scope="col" className="py-2 pl-3 font-medium">Last fired (UTC)</th>
              <th scope="col" className="py-2 pr-4 pl-3 font-medium">Enabled</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const s = stats.get(r.id);
              return (
                <tr key={r.id} className="border-b border-slate-100 align-top last:border-0 hover:bg-slate-50" data-rule-id={r.id}>
                  <td className="py-2 pl-4"><SeverityBadge severity={r.severity} /></td>
                  <td className="py-2 pl-3">
                    <Link href={`/rules/${encodeURIComponent(r.id)}`} className="font-medium text-sky-800 hover:underline">{r.title}</Link>
                    <div className="font-mono text-xs text-slate-500">{r.id}{r.techniques.length ? ` · ${r.techniques.join(", ")}` : ""}</div>
                  </td>
                  <td className="py-2 pl-3 text-xs">{r.source}</td>
                  <td className="py-2 pl-3 text-xs">{BUILT_IN_IDS.has(r.id) ? "built-in" : "custom"}{r.aggregation ? " · threshold" : ""}</td>
                  <td className="py-2 pl-3 text-right tabular-nums" data-alerts-7d={s?.alertsSince ?? 0}>{formatInteger(s?.alertsSince ?? 0)}</td>
                  <td className="py-2 pl-3 text-xs whitespace-nowrap tabular-nums text-slate-600">{s?.lastFired ? formatUtc(s.lastFired) : "—"}</td>
                  <td className="py-2 pr-4 pl-3">
                    {canAct(caller.role, "setRuleEnabledAction") ? (
                      <form action={setRuleEnabledAction}>
                        <input type="hidden" name="id" value={r.id} />
                        <input type="hidden" name="enabled" value={String(!r.enabled)} />
                        <button type="submit" aria-label={`${r.enabled ? "Disable" : "Enable"} ${r.id}`} className={`rounded px-2 py-0.5 text-xs font-medium ${r.enabled ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-600"}`}>
                          {r.enabled ? "enabled" : "disabled"}
                        </button>
                      </form>
                    ) : (
                      <span className="text-xs text-slate-600">{r.enabled ? "enabled" : "disabled"}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="px-4 py-6 text-sm text-slate-500" data-testid="rules-empty">No rules match these filters.</p> : null}
      </section>
    </div>
  );
}
