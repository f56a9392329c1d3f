import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatInteger, formatUtc } from "../../../components/format";
import { actorActivity, getAlert, type AlertDetail } from "../../../lib/detect/alerts";
import { loadRules } from "../../../lib/detect/load-rules";
import { getPool } from "../../../lib/db/pool";
import { listDeliveries } from "../../../lib/notify/deliveries";
import { eventSearchHref, flowSearchHref } from "../../../lib/search/search-url";
import { AlertStateLabel, SeverityBadge } from "../severity-badge";
import { LifecycleForm } from "./lifecycle-form";
import { safeHref } from "../../../lib/http/safe-href";
import { requirePage } from "../../../lib/auth/require-page";
import { canAct } from "../../../lib/auth/access-policy";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Alert" };

const EVENT_LIMIT = 500;

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const caller = await requirePage("/alerts/[id]");
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id < 1) notFound();
  const db = getPool();
  const alert = await getAlert(db, id, EVENT_LIMIT);
  if (!alert) notFound();
  const rule = (await loadRules(db)).find((r) => r.id === alert.ruleId);
  const activity = await actorActivity(db, alert);
  const deliveries = await listDeliveries(db, { alertId: alert.id });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm"><Link href="/alerts" className="text-sky-800 hover:underline">Alerts</Link> / #{alert.id}</p>
          <h1 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-slate-900">
            <SeverityBadge severity={alert.severity} /> {alert.ruleTitle}
          </h1>
          <p className="mt-1 font-mono text-xs text-slate-500">
            {alert.ruleId}{alert.techniques.length ? ` · ATT&CK ${alert.techniques.join(", ")}` : ""}
          </p>
        </div>
        <div className="text-right text-sm">
          <div>State: <AlertStateLabel state={alert.state} /></div>
          <div className="text-xs text-slate-500 tabular-nums">{formatUtc(alert.firstSeen)} → {formatUtc(alert.lastSeen)} UTC</div>
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm lg:col-span-2" aria-labelledby="why">
          <h2 id="why" className="text-sm font-semibold text-slate-900">Why it fired</h2>
          <WhyItFired alert={alert} />
          {rule ? (
            <div className="mt-3 space-y-2 text-sm text-slate-700">
              <p>{rule.description}</p>
              <p><span className="font-medium text-slate-900">Response: </span>{rule.response}</p>
            </div>
          ) : null}
          <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" data-testid="group-values">
            {Object.entries(alert.groupValues).map(([field, value]) => (
              <div key={field} className="contents">
                <dt className="font-mono text-xs text-slate-500">{field}</dt>
                <dd className="font-mono text-xs break-all text-slate-900">{value ?? "—"}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="lifecycle">
          <h2 id="lifecycle" className="mb-2 text-sm font-semibold text-slate-900">Lifecycle</h2>
          {canAct(caller.role, "changeAlertStateAction") ? <LifecycleForm id={alert.id} state={alert.state} /> : <p className="text-xs text-slate-500">Analysts and admins move alerts through their lifecycle.</p>}
          <ol className="mt-4 space-y-2 border-t border-slate-100 pt-3 text-xs" data-testid="alert-history">
            {alert.history.map((h, i) => (
              <li key={i}>
                <span className="font-medium text-slate-900">{h.action}</span> by {h.actor}
                <span className="text-slate-500 tabular-nums"> · {formatUtc(h.at)}</span>
                {h.comment ? <p className="mt-0.5 break-words whitespace-pre-wrap text-slate-700">{h.comment}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      </div>

      <EventsTable alert={alert} />

      {deliveries.length ? (
        <section className="rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby="notifications">
          <h2 id="notifications" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">Notifications</h2>
          <ul className="divide-y divide-slate-100 text-xs" data-testid="alert-deliveries">
            {deliveries.map((d) => (
              <li key={d.id} className="px-4 py-1.5">
                {formatUtc(d.createdAt)} · {d.event} → {d.channelName} ({d.channelKind}): <span className="font-medium">{d.status}</span>
                {d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}{d.lastError ? ` · ${d.lastError}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {activity ? (
        <section className="rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby="activity">
          <h2 id="activity" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">
            The actor&apos;s surrounding activity <span className="font-normal text-slate-500">· from an hour before the first match to an hour after the last</span>
            <span className="block font-mono text-xs font-normal break-all text-slate-600">{activity.principal}</span>
          </h2>
          {activity.events.length === 0 ? (
            <p className="px-4 py-4 text-sm text-slate-500">No events by this principal in the window.</p>
          ) : (
            <table className="w-full text-sm" data-testid="actor-activity">
              <tbody>
                {activity.events.map((e) => (
                  <tr key={`${e.account}/${e.eventId}`} className="border-b border-slate-100 last:border-0">
                    <td className="py-1.5 pl-4 text-xs whitespace-nowrap tabular-nums text-slate-600">{formatUtc(e.time)}</td>
                    <td className="py-1.5 pl-3 font-mono text-xs">
                      <Link href={`/events/${encodeURIComponent(e.account)}/${encodeURIComponent(e.eventId)}`} className="text-sky-800 hover:underline">{e.eventName ?? "—"}</Link>
                    </td>
                    <td className="py-1.5 pl-3 font-mono text-xs text-slate-600">{e.eventSource}</td>
                    <td className="py-1.5 pl-3 font-mono text-xs text-slate-600">{e.sourceIp}</td>
                    <td className="py-1.5 pr-4 pl-3 font-mono text-xs text-red-700">{e.errorCode}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="border-t border-slate-100 px-4 py-2 text-xs">
            <Link
              href={safeHref(eventSearchHref({ from: new Date(alert.firstSeen.getTime() - 3_600_000), to: new Date(alert.lastSeen.getTime() + 3_600_000), include: { [activity.field]: activity.principal } }))}
              className="text-sky-800 hover:underline"
            >
              Search all of this principal&apos;s events in that window
            </Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}

function WhyItFired({ alert }: { alert: AlertDetail }) {
  const reason = alert.reason;
  if (reason.kind === "match") {
    return <p className="mt-1 text-sm text-slate-700">{formatInteger(alert.matchCount)} event{alert.matchCount === 1 ? "" : "s"} matched the rule&apos;s conditions.</p>;
  }
  const stat = reason.statistic === "count" ? "count of matching records" : `${reason.statistic === "sum" ? "sum" : "distinct count"} of ${reason.field}`;
  return (
    <div className="mt-1 text-sm text-slate-700" data-testid="threshold-reason">
      <p>
        ALARM: the {stat} per {reason.periodSeconds / 60}-minute period was {COMPARISON_WORDS[reason.comparison]} {reason.threshold} in{" "}
        {reason.datapointsToAlarm} of {reason.evaluationPeriods} period{reason.evaluationPeriods === 1 ? "" : "s"}.
      </p>
      {reason.datapoints.length ? (
        <table className="mt-2 text-xs">
          <thead>
            <tr className="text-left text-slate-500"><th className="pr-6 font-medium">Period start (UTC)</th><th className="font-medium">Value</th></tr>
          </thead>
          <tbody>
            {reason.datapoints.map((d) => (
              <tr key={d.periodStart}><td className="pr-6 tabular-nums">{formatUtc(new Date(d.periodStart))}</td><td className="tabular-nums font-medium">{d.value}</td></tr>
            ))}
          </tbody>
        </table>
      ) : <p className="mt-1 text-xs text-slate-500">No records arrived in the evaluated periods.</p>}
    </div>
  );
}

const COMPARISON_WORDS = {
  GreaterThanOrEqualToThreshold: "at least",
  GreaterThanThreshold: "more than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "at most",
} as const;

function EventsTable({ alert }: { alert: AlertDetail }) {
  const cloudtrail = alert.source === "cloudtrail";
  return (
    <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby="events">
      <h2 id="events" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">
        Events behind this alert <span className="font-normal text-slate-500">· {formatInteger(alert.matchCount)} matched{alert.events.length < alert.matchCount ? `, first ${formatInteger(alert.events.length)} listed` : ""}</span>
      </h2>
      <table className="w-full text-sm" data-testid="alert-events">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="py-2 pl-4 font-medium">Time (UTC)</th>
            <th scope="col" className="py-2 pl-3 font-medium">{cloudtrail ? "Event" : "Flow"}</th>
            <th scope="col" className="py-2 pl-3 font-medium">{cloudtrail ? "Principal" : "Interface"}</th>
            <th scope="col" className="py-2 pr-4 pl-3 font-medium">Source IP</th>
          </tr>
        </thead>
        <tbody>
          {alert.events.map((e) => (
            <tr key={`${e.account}/${e.ref}`} className="border-b border-slate-100 last:border-0">
              <td className="py-1.5 pl-4 text-xs whitespace-nowrap tabular-nums text-slate-600">{e.time ? formatUtc(e.time) : "—"}</td>
              <td className="py-1.5 pl-3 font-mono text-xs break-all">
                {cloudtrail ? (
                  <Link href={`/events/${encodeURIComponent(e.account)}/${encodeURIComponent(e.ref)}`} className="text-sky-800 hover:underline">{e.summary ?? e.ref}</Link>
                ) : e.time ? (
                  <Link href={safeHref(flowSearchHref({ from: e.time, to: new Date(e.time.getTime() + 1000), include: { srcaddr: e.sourceIp ?? "", "interface-id": e.principal ?? "" } }))} className="text-sky-800 hover:underline">{e.summary ?? e.ref}</Link>
                ) : (e.summary ?? e.ref)}
              </td>
              <td className="py-1.5 pl-3 font-mono text-xs break-all text-slate-600">{e.principal}</td>
              <td className="py-1.5 pr-4 pl-3 font-mono text-xs text-slate-600">{e.sourceIp}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
