import type { Metadata } from "next";
import Link from "next/link";
import { listAudit, type AuditFilter } from "../../../lib/audit/list-audit";
import { requirePage } from "../../../lib/auth/require-page";
import { getPool } from "../../../lib/db/pool";
import { formatUtc } from "../../../components/format";
import { AdminTabs } from "../admin-tabs";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const instant = (v: string | undefined) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);

/**
 * Admin only: every change made in Trailwatch and every sign-in attempt, newest first; filters in the
 * URL (`actor`, `action` or its prefix, `from` / `to` as ISO 8601 UTC), keyset pages (`before`).
 */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("/admin/audit");
  const params = await searchParams;
  const filter: AuditFilter = { actor: one(params.actor), action: one(params.action), from: instant(one(params.from)), to: instant(one(params.to)), before: Number(one(params.before)) || undefined };
  const { rows, nextBefore } = await listAudit(getPool(), filter);
  const older = new URLSearchParams(Object.entries({ actor: filter.actor, action: filter.action, from: one(params.from), to: one(params.to) }).filter((e): e is [string, string] => Boolean(e[1])));
  if (nextBefore) older.set("before", String(nextBefore));
  const input = "mt-1 block rounded border border-slate-300 px-2 py-1 text-sm";
  return (
    <div className="space-y-6">
      <AdminTabs current="/admin/audit" title="Audit log" description="Who did what in Trailwatch, when and from where: sign-ins, users, roles, tokens, rules, channels, alerts." />
      <form method="get" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <label className="text-xs font-medium text-slate-600">Actor<input name="actor" defaultValue={filter.actor} placeholder="email or token:name" className={input} /></label>
        <label className="text-xs font-medium text-slate-600">Action<input name="action" defaultValue={filter.action} placeholder="sign-in, rule.update…" className={input} /></label>
        <label className="text-xs font-medium text-slate-600">From (UTC)<input name="from" defaultValue={one(params.from)} placeholder="2026-12-01T00:00Z" className={input} /></label>
        <label className="text-xs font-medium text-slate-600">To (UTC)<input name="to" defaultValue={one(params.to)} className={input} /></label>
        <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">Filter</button>
      </form>
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
            <tr><th className="px-3 py-2">When (UTC)</th><th className="px-3 py-2">Actor</th><th className="px-3 py-2">Action</th><th className="px-3 py-2">Target</th><th className="px-3 py-2">Details</th><th className="px-3 py-2">From</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id} data-testid="audit-row">
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatUtc(r.at)}</td>
                <td className="px-3 py-2 font-medium text-slate-900">{r.actor}</td>
                <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
                <td className="px-3 py-2">{r.target ?? ""}</td>
                <td className="max-w-md truncate px-3 py-2 font-mono text-xs text-slate-600">{r.details ? JSON.stringify(r.details) : ""}</td>
                <td className="px-3 py-2 text-xs text-slate-600" title={r.userAgent ?? undefined}>{r.ip ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="px-4 py-6 text-sm text-slate-500">No entries match.</p> : null}
      </section>
      {nextBefore ? <Link href={`/admin/audit?${older}`} className="text-sm font-medium text-sky-700 hover:underline">Older entries →</Link> : null}
    </div>
  );
}
