import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatInteger, formatUtc } from "../../../components/format";
import { getPool } from "../../../lib/db/pool";
import { getRule, ruleHistory } from "../../../lib/detect/manage-rules";
import { ruleAlertStats } from "../../../lib/detect/rule-stats";
import { routesRule } from "../../../lib/notify/routes-rule";
import { listChannels } from "../../../lib/notify/channels";
import { listMutes } from "../../../lib/notify/mutes";
import { ChangeHistory } from "../../../components/change-history";
import { SeverityBadge } from "../../alerts/severity-badge";
import { deleteRuleAction, muteAction, resetRuleAction, setRuleEnabledAction, unmuteAction } from "../actions";
import { requirePage } from "../../../lib/auth/require-page";
import { canAct, canOpen, type ActionKey } from "../../../lib/auth/access-policy";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Rule" };

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  const caller = await requirePage("/rules/[id]");
  // Buttons a role may not use are not shown; each action checks the role again on the server.
  const can = (action: ActionKey) => canAct(caller.role, action);
  const id = decodeURIComponent((await params).id);
  const db = getPool();
  const record = await getRule(db, id);
  if (!record) notFound();
  const { rule } = record;
  const [history, mutes, stats, channels] = await Promise.all([ruleHistory(db, id), listMutes(db, { ruleId: id }), ruleAlertStats(db, new Date(Date.now() - 7 * 86_400_000)), listChannels(db)]);
  // The channels whose routing takes this rule's alerts (stored on the channel; edited there or in this rule's editor).
  const routedTo = channels.filter((c) => routesRule(c.routing, id, rule.severity));
  const s = stats.get(id);
  const button = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100";
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm"><Link href="/rules" className="text-sky-800 hover:underline">Rules</Link> / {rule.id}</p>
          <h1 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-slate-900"><SeverityBadge severity={rule.severity} /> {rule.title}</h1>
          <p className="mt-1 font-mono text-xs text-slate-500">
            {rule.id} · {rule.source} · {record.origin}{record.overridden ? " (changed by your team)" : ""}{rule.techniques.length ? ` · ATT&CK ${rule.techniques.join(", ")}` : ""}
          </p>
          <p className="mt-1 text-sm" data-testid="rule-state">{rule.enabled ? "Enabled" : "Disabled"} · {formatInteger(s?.alertsSince ?? 0)} alerts in 7 days · last fired {s?.lastFired ? formatUtc(s.lastFired) : "never"}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {can("setRuleEnabledAction") ? (
            <form action={setRuleEnabledAction}>
              <input type="hidden" name="id" value={rule.id} />
              <input type="hidden" name="enabled" value={String(!rule.enabled)} />
              <button type="submit" className={rule.enabled ? button : "rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800"}>{rule.enabled ? "Disable" : "Enable"}</button>
            </form>
          ) : null}
          {canOpen(caller.role, "/rules/[id]/edit") ? <Link href={`/rules/${encodeURIComponent(rule.id)}/edit`} className={button}>Edit</Link> : null}
          {canOpen(caller.role, "/rules/new") ? <Link href={`/rules/new?clone=${encodeURIComponent(rule.id)}`} className={button}>Clone</Link> : null}
          {!can("resetRuleAction") || !can("deleteRuleAction") ? null : record.origin === "built-in" ? (
            record.overridden ? <form action={resetRuleAction}><input type="hidden" name="id" value={rule.id} /><button type="submit" className={button}>Reset to shipped</button></form> : null
          ) : (
            <form action={deleteRuleAction}><input type="hidden" name="id" value={rule.id} /><button type="submit" className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50">Delete</button></form>
          )}
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="space-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 shadow-sm lg:col-span-2">
          <p>{rule.description}</p>
          <p><span className="font-medium text-slate-900">Response: </span>{rule.response}</p>
          <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-testid="rule-json">{JSON.stringify({ match: rule.match, groupBy: rule.groupBy, aggregation: rule.aggregation, allow: rule.allow, correlation: rule.correlation, dedupMinutes: rule.dedupMinutes }, null, 2)}</pre>
          <p><Link href={`/alerts?rule=${encodeURIComponent(rule.id)}&state=all`} className="text-sky-800 hover:underline">Alerts of this rule</Link></p>
          <p data-testid="rule-routing">
            <span className="font-medium text-slate-900">Notified through: </span>
            {routedTo.length ? routedTo.map((c) => `${c.name} (on ${c.routing.events.join(", ")})`).join("; ") : "no channel"}
            {" · "}<Link href={`/rules/${encodeURIComponent(rule.id)}/edit#routing`} className="text-sky-800 hover:underline">change</Link>
          </p>
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="mutes">
          <h2 id="mutes" className="text-sm font-semibold text-slate-900">Mute notifications</h2>
          <p className="text-xs text-slate-500">Alerts are still raised; channels are not told until the mute ends.</p>
          {can("muteAction") ? <form action={muteAction} className="mt-2 space-y-2 text-xs">
            <input type="hidden" name="ruleId" value={rule.id} />
            <label className="block font-medium text-slate-600">Group key (empty: the whole rule)<input name="groupKey" className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 font-mono" /></label>
            <label className="block font-medium text-slate-600">For<select name="hours" defaultValue="4" className="mt-1 block rounded border border-slate-300 px-2 py-1"><option value="1">1 hour</option><option value="4">4 hours</option><option value="24">1 day</option><option value="168">1 week</option></select></label>
            <label className="block font-medium text-slate-600">Reason<input name="reason" className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" /></label>
            <button type="submit" className="rounded-md bg-slate-900 px-3 py-1 font-medium text-white">Mute</button>
          </form> : null}
          <ul className="mt-3 space-y-1 text-xs" data-testid="mutes">
            {mutes.map((m) => (
              <li key={m.id} className="flex items-start justify-between gap-2">
                <span><span className="font-mono break-all">{m.groupKey ?? "every group"}</span> until {formatUtc(m.until)} by {m.createdBy}{m.reason ? ` — ${m.reason}` : ""}</span>
                {can("unmuteAction") ? <form action={unmuteAction}><input type="hidden" name="id" value={m.id} /><input type="hidden" name="ruleId" value={rule.id} /><button type="submit" className="text-red-700 hover:underline">End</button></form> : null}
              </li>
            ))}
          </ul>
        </section>
      </div>

      <ChangeHistory entries={history.map((h) => ({ ...h, before: JSON.stringify(h.before, null, 2), after: JSON.stringify(h.after, null, 2) }))} empty="No changes since it was shipped." testId="rule-history" />
    </div>
  );
}
