import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc } from "../../components/format";
import { getPool } from "../../lib/db/pool";
import { listChannels } from "../../lib/notify/channels";
import { listDeliveries } from "../../lib/notify/deliveries";
import { deleteChannelAction } from "./actions";
import { ChannelForm } from "./channel-form";
import { TestSendButton } from "./test-send-button";
import { requirePage } from "../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Channels" };

const STATUS_STYLES: Record<string, string> = { sent: "text-emerald-700", failed: "text-red-700", retrying: "text-amber-700", pending: "text-slate-600", muted: "text-slate-500" };

export default async function ChannelsPage() {
  await requirePage("/channels");
  const db = getPool();
  const [channels, deliveries] = await Promise.all([listChannels(db), listDeliveries(db, { limit: 50 })]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Notification channels</h1>
        <p className="mt-0.5 text-sm text-slate-500">Where alerts are sent: webhook, Slack, email and SNS, each with its own routing. Secrets are write-only.</p>
      </div>

      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        {channels.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-500" data-testid="channels-empty">No channels yet: alerts are only shown here.</p>
        ) : (
          <table className="w-full text-sm" data-testid="channels-table">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="py-2 pl-4 font-medium">Name</th>
                <th scope="col" className="py-2 pl-3 font-medium">Type</th>
                <th scope="col" className="py-2 pl-3 font-medium">Routing</th>
                <th scope="col" className="py-2 pl-3 font-medium">Secrets</th>
                <th scope="col" className="py-2 pr-4 pl-3 font-medium" />
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr key={c.id} className="border-b border-slate-100 align-top last:border-0" data-channel={c.name}>
                  <td className="py-2 pl-4 font-medium"><Link href={`/channels/${c.id}`} className="text-sky-800 hover:underline">{c.name}</Link>{c.routing.enabled ? "" : <span className="ml-2 text-xs text-slate-500">(disabled)</span>}</td>
                  <td className="py-2 pl-3 text-xs">{c.kind}<div className="font-mono break-all text-slate-500">{String(c.config.url ?? c.config.topicArn ?? c.config.host ?? "")}</div></td>
                  <td className="py-2 pl-3 text-xs text-slate-700">
                    ≥ {c.routing.minSeverity} · on {c.routing.events.join(", ")}
                    {c.routing.ruleIds === null ? " · all rules" : c.routing.ruleIds.length ? ` · rules ${c.routing.ruleIds.join(", ")}` : " · no rule yet"}
                    {c.routing.renotifyMinutes ? ` · again every ${c.routing.renotifyMinutes} min while open` : ""}
                  </td>
                  <td className="py-2 pl-3 text-xs text-slate-500">{c.secretsSet.length ? c.secretsSet.map((s) => `${s}: set`).join(", ") : "—"}</td>
                  <td className="py-2 pr-4 pl-3 text-right whitespace-nowrap">
                    <TestSendButton id={c.id} />
                    <Link href={`/channels/${c.id}`} className="ml-2 text-xs text-sky-800 hover:underline">Edit</Link>
                    <form action={deleteChannelAction} className="ml-2 inline">
                      <input type="hidden" name="id" value={c.id} />
                      <button type="submit" className="text-xs text-red-700 hover:underline">Delete</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="new-channel">
        <h2 id="new-channel" className="mb-3 text-sm font-semibold text-slate-900">Add a channel</h2>
        <ChannelForm />
      </section>

      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby="deliveries">
        <h2 id="deliveries" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">Recent deliveries</h2>
        {deliveries.length === 0 ? <p className="px-4 py-4 text-sm text-slate-500">Nothing sent yet.</p> : (
          <table className="w-full text-sm" data-testid="deliveries-table">
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} className="border-b border-slate-100 last:border-0" data-status={d.status}>
                  <td className="py-1.5 pl-4 text-xs whitespace-nowrap tabular-nums text-slate-600">{formatUtc(d.createdAt)}</td>
                  <td className="py-1.5 pl-3 text-xs"><Link href={`/alerts/${d.alertId}`} className="text-sky-800 hover:underline">alert #{d.alertId}</Link> · {d.event}</td>
                  <td className="py-1.5 pl-3 text-xs">{d.channelName}</td>
                  <td className={`py-1.5 pl-3 text-xs font-medium ${STATUS_STYLES[d.status] ?? ""}`}>{d.status}{d.attempts > 1 ? ` (${d.attempts} attempts)` : ""}</td>
                  <td className="py-1.5 pr-4 pl-3 text-xs break-all text-slate-600">{d.lastError}{d.nextAttemptAt ? ` · next try ${formatUtc(d.nextAttemptAt)}` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
