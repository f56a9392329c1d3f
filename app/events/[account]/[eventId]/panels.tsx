import Link from "next/link";
import type { ReactNode } from "react";
import { formatBytes, formatInteger, formatUtc } from "../../../../components/format";
import type { Actor } from "../../../../lib/search/describe-actor";
import type { ChangeItem, EventChange } from "../../../../lib/search/describe-change";
import type { SourceObject } from "../../../../lib/search/get-event";
import type { RelatedLink } from "../../../../lib/search/related-activity";
import { eventHref } from "../../../../lib/search/search-url";
import type { SessionStart } from "../../../../lib/search/session-start";
import { safeHref } from "../../../../lib/http/safe-href";

/** A titled card of the event page. */
export function Panel({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <section className="min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid={testId}>
      <h2 className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">{title}</h2>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

/** Term / value rows; values are text (attacker-controlled) and wrap anywhere. */
export function Facts({ rows }: { rows: readonly [string, ReactNode | null | undefined][] }) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== "");
  return (
    <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {shown.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-500">{term}</dt>
          <dd className="min-w-0 break-all font-mono text-xs leading-5 text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ActorPanel({ actor, sessionStart }: { actor: Actor; sessionStart: SessionStart | null }) {
  const sessionish = actor.type === "AssumedRole" || actor.type === "FederatedUser";
  return (
    <Panel title="Actor" testId="actor">
      <Facts
        rows={[
          ["Identity type", actor.type ?? "none (AWS itself)"],
          ["Name", actor.name],
          ["ARN", actor.arn],
          ["Account", actor.account],
          ["Access key", actor.accessKeyId],
          ["Role", actor.role ? `${actor.role.name}${actor.role.arn ? ` (${actor.role.arn})` : ""}` : null],
          ["Session name", actor.sessionName],
          ["Session began", actor.sessionCreated],
          ["MFA", actor.mfa === null ? null : actor.mfa ? "yes" : "no"],
          ["Source identity", actor.sourceIdentity],
          ["Identity Center user", actor.identityCenter ? `${actor.identityCenter.user}${actor.identityCenter.userId ? ` (user id ${actor.identityCenter.userId})` : ""}` : null],
          ["Permission set", actor.identityCenter?.permissionSet],
          ["Invoked by", actor.invokedBy],
          ["Web identity provider", actor.federatedProvider],
          ["Console session", actor.console ? "yes" : null],
        ]}
      />
      {sessionish ? (
        <div className="mt-3 border-t border-slate-100 pt-3 text-sm" data-testid="session-start">
          {sessionStart ? (
            <>
              <p className="text-slate-700">
                Session began with{" "}
                <Link href={safeHref(sessionStart.href)} className="font-medium text-sky-700 hover:underline">
                  {sessionStart.eventName}
                </Link>{" "}
                at <time dateTime={sessionStart.eventTime.toISOString()}>{formatUtc(sessionStart.eventTime)}</time>{" "}
                <span className="text-slate-500">(matched by {sessionStart.matchedBy})</span>
              </p>
              <Facts
                rows={[
                  ["Called by", sessionStart.caller],
                  ["From", sessionStart.sourceIPAddress],
                  ["MFA device", sessionStart.mfaSerial],
                  ["Source identity", sessionStart.sourceIdentity],
                  ["Federated subject", sessionStart.subject],
                  ["Identity provider", sessionStart.provider],
                ]}
              />
            </>
          ) : (
            <p className="text-slate-500">The call that began this session (AssumeRole…) is not stored.</p>
          )}
        </div>
      ) : null}
    </Panel>
  );
}

function Items({ items, sign, testId }: { items: readonly ChangeItem[]; sign: "+" | "−" | "="; testId: string }) {
  const tone = sign === "+" ? "border-emerald-200 bg-emerald-50 text-emerald-950" : sign === "−" ? "border-rose-200 bg-rose-50 text-rose-950" : "border-slate-200 bg-slate-50 text-slate-700";
  return (
    <ul className="space-y-1.5" data-testid={testId}>
      {items.map((item, i) => (
        <li key={i} className={`rounded border px-3 py-1.5 ${tone}`}>
          <span aria-hidden="true" className="mr-2 font-mono font-semibold">
            {sign}
          </span>
          <span className="break-words font-mono text-xs">{item.words}</span>
          {item.warnings.map((w) => (
            <span key={w} className="ml-2 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900">
              ⚠ {w}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

export function ChangePanel({ change }: { change: EventChange }) {
  const b = change.baseline;
  return (
    <Panel title="What changed" testId="change">
      <p className="text-sm text-slate-800" data-testid="change-subject">
        <span className="break-words">{change.subject}</span>
      </p>
      {change.failed ? <p className="mt-2 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">{change.failed}</p> : null}
      <div className="mt-3 space-y-3">
        {change.added.length > 0 ? (
          <div>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-emerald-800">Added</h3>
            <Items items={change.added} sign="+" testId="change-added" />
          </div>
        ) : null}
        {change.removed.length > 0 ? (
          <div>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-rose-800">Removed</h3>
            <Items items={change.removed} sign="−" testId="change-removed" />
          </div>
        ) : null}
        {change.added.length === 0 && change.removed.length === 0 ? <p className="text-sm text-slate-500">No statement or rule differs from the previous version.</p> : null}
        {change.unchanged.length > 0 ? (
          <details>
            <summary className="cursor-pointer text-xs text-slate-600">{formatInteger(change.unchanged.length)} unchanged</summary>
            <div className="mt-1">
              <Items items={change.unchanged} sign="=" testId="change-unchanged" />
            </div>
          </details>
        ) : null}
      </div>
      <p className="mt-3 text-xs text-slate-500" data-testid="change-baseline">
        {b.kind === "previous-event" ? (
          <>
            Compared with the version written by{" "}
            <Link href={safeHref(eventHref(b.account, b.eventId))} className="text-sky-700 hover:underline">
              {b.eventName} at {formatUtc(b.time)}
            </Link>
            .
          </>
        ) : b.kind === "none-stored" ? (
          "No earlier version of this policy is stored, so every statement is shown as added."
        ) : (
          "Decoded from the request."
        )}
      </p>
    </Panel>
  );
}

export function RelatedPanel({ related, source }: { related: readonly RelatedLink[]; source: SourceObject | null }) {
  return (
    <Panel title="Related activity (±1 hour)" testId="related">
      {related.length === 0 ? <p className="text-sm text-slate-500">This event names no actor, key or address to pivot on.</p> : null}
      <ul className="space-y-1.5">
        {related.map((r) => (
          <li key={r.key} className="flex items-start justify-between gap-3 text-sm">
            <Link href={safeHref(r.href)} className="min-w-0 text-sky-700 hover:underline" data-testid={`related-${r.key}`}>
              <span className="font-medium">{r.label}</span> <span className="break-all font-mono text-xs text-slate-600">{r.value}</span>
            </Link>
            <span className="shrink-0 tabular-nums text-slate-600" data-testid={`related-${r.key}-count`} data-value={r.count}>
              {formatInteger(r.count)} {r.count === 1 ? "event" : "events"}
            </span>
          </li>
        ))}
      </ul>
      <div className="mt-3 border-t border-slate-100 pt-3" data-testid="source-object">
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Source object</h3>
        {source ? (
          <Facts
            rows={[
              ["Bucket", source.bucket],
              ["Key", source.key],
              ["ETag", source.etag],
              ["Size", source.size === null ? null : `${formatBytes(source.size)} (${formatInteger(source.size)} bytes)`],
              ["Ledger", `#${source.id}, ${source.kind}, ${source.status}`],
              ["Ingested", source.finishedAt ? formatUtc(source.finishedAt) : formatUtc(source.firstSeenAt)],
            ]}
          />
        ) : (
          <p className="text-sm text-slate-500">Not recorded in the ledger.</p>
        )}
      </div>
    </Panel>
  );
}
