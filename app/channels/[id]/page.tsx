import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChangeHistory } from "../../../components/change-history";
import { formatUtc } from "../../../components/format";
import { getPool } from "../../../lib/db/pool";
import type { ChannelView } from "../../../lib/notify/channel-schema";
import { channelHistory, getChannelView } from "../../../lib/notify/channels";
import { deleteChannelAction, setChannelEnabledAction } from "../actions";
import { ChannelForm } from "../channel-form";
import { TestSendButton } from "../test-send-button";
import { requirePage } from "../../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Channel" };

/** A channel's settings and routing as history shows them (secrets only by name). */
function summary(c: ChannelView | null): string {
  if (!c) return "—";
  return JSON.stringify({ name: c.name, kind: c.kind, config: c.config, secretsSet: c.secretsSet, routing: c.routing }, null, 2);
}

/** One channel: edit it (secrets write-only), turn it on or off, delete it, and its change history. */
export default async function ChannelPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePage("/channels/[id]");
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id)) notFound();
  const db = getPool();
  const channel = await getChannelView(db, id);
  if (!channel) notFound();
  const history = await channelHistory(db, { channelId: id });
  const button = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100";
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm"><Link href="/channels" className="text-sky-800 hover:underline">Channels</Link> / {channel.name}</p>
          <h1 className="mt-1 text-xl font-semibold tracking-tight text-slate-900">{channel.name}</h1>
          <p className="mt-1 text-sm" data-testid="channel-state">{channel.kind} · {channel.routing.enabled ? "Enabled" : "Disabled"} · changed {formatUtc(channel.updatedAt)} by {channel.updatedBy}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <TestSendButton id={channel.id} />
          <form action={setChannelEnabledAction}>
            <input type="hidden" name="id" value={channel.id} />
            <input type="hidden" name="enabled" value={String(!channel.routing.enabled)} />
            <button type="submit" className={button}>{channel.routing.enabled ? "Disable" : "Enable"}</button>
          </form>
          <form action={deleteChannelAction}>
            <input type="hidden" name="id" value={channel.id} />
            <button type="submit" className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50">Delete</button>
          </form>
        </div>
      </div>

      <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="edit-channel">
        <h2 id="edit-channel" className="mb-3 text-sm font-semibold text-slate-900">Settings and routing</h2>
        <ChannelForm channel={channel} />
      </section>

      <ChangeHistory entries={history.map((h) => ({ ...h, before: summary(h.before), after: summary(h.after) }))} empty="No changes recorded." testId="channel-history" />
    </div>
  );
}
