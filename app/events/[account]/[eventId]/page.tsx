import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatUtc } from "../../../../components/format";
import { eventDetail } from "../../../../lib/search/event-detail";
import { eventSearchHref, exactValue } from "../../../../lib/search/search-url";
import { ActorPanel, ChangePanel, Facts, Panel, RelatedPanel } from "./panels";
import { RawRecord } from "./raw-record";
import { safeHref } from "../../../../lib/http/safe-href";
import { requirePage } from "../../../../lib/auth/require-page";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Event" };

type Params = Promise<{ account: string; eventId: string }>;

/** One CloudTrail event: summary, actor, decoded change, related activity, the raw record. */
export default async function EventPage({ params }: { params: Params }) {
  await requirePage("/events/[account]/[eventId]");
  const { account, eventId } = await params;
  const detail = await eventDetail(account, eventId);
  if (!detail) notFound();
  const { event, actor } = detail;
  const f = event.fields;
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const sameName = eventSearchHref({ range: "24h", include: { eventName: exactValue(String(f.eventName ?? "")) } });
  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href="/events" className="text-sky-700 hover:underline">
          ← Events
        </Link>
      </nav>
      <header className="space-y-2">
        <p className="text-xs uppercase tracking-wide text-slate-500">
          <time dateTime={event.eventTime.toISOString()}>{formatUtc(event.eventTime)}</time> · {text(f.eventSource)} · {text(f.awsRegion)}
        </p>
        <h1 className="break-words text-lg font-semibold text-slate-900" data-testid="event-summary">
          {detail.summary}
        </h1>
        {f.errorCode ? (
          <p className="inline-block rounded bg-rose-50 px-2 py-1 text-sm text-rose-900">
            <span className="font-semibold">{text(f.errorCode)}</span>
            {f.errorMessage ? <span className="break-words">: {text(f.errorMessage)}</span> : null}
          </p>
        ) : null}
      </header>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Event" testId="event-facts">
          <Facts
            rows={[
              ["Event name", f.eventName ? <Link href={safeHref(sameName)} className="text-sky-700 hover:underline">{text(f.eventName)}</Link> : null],
              ["Event source", text(f.eventSource)],
              ["Time (UTC)", event.eventTime.toISOString()],
              ["Region", text(f.awsRegion)],
              ["Account", event.recipientAccountId || "(none)"],
              ["Source IP", text(f.sourceIPAddress)],
              ["User agent", text(f.userAgent)],
              ["Event type", text(f.eventType)],
              ["Category", text(f.eventCategory)],
              ["Read-only", f.readOnly === null ? null : String(f.readOnly)],
              ["Error", f.errorCode ? `${text(f.errorCode)}${f.errorMessage ? `: ${text(f.errorMessage)}` : ""}` : null],
              ["Event ID", event.eventId],
              ["Request ID", text(f.requestID)],
              ["Shared event ID", text(f.sharedEventID)],
              ["VPC endpoint", text(f.vpcEndpointId)],
              ["Stored", formatUtc(event.ingestedAt)],
            ]}
          />
        </Panel>
        <ActorPanel actor={actor} sessionStart={detail.sessionStart} />
      </div>

      {detail.change ? <ChangePanel change={detail.change} /> : null}

      <RelatedPanel related={detail.related} source={event.source} />

      <RawRecord
        text={JSON.stringify(event.raw, null, 2)}
        downloadHref={`/api/events/${encodeURIComponent(account)}/${encodeURIComponent(eventId)}?download=1`}
      />
    </div>
  );
}
