"use client";

import Link from "next/link";
import type { Routing } from "../../lib/notify/channel-schema";
import { routesRule } from "../../lib/notify/routes-rule";
import type { Severity } from "../../lib/detect/rule-schema";

/** What the rule editor knows of a channel: no settings, no secrets. */
export interface EditorChannel {
  id: number;
  name: string;
  kind: string;
  routing: Routing;
}

/**
 * The rule editor's routing: which channels this rule notifies. Routing is
 * stored on the channel (its rule list): a checked channel gets this rule added
 * to its list on save, an unchecked one loses it. Channels that take every rule
 * are shown checked and fixed (change them on the channel). Each line says
 * whether the channel would send this rule's alerts as it now stands (enabled,
 * minimum severity against the rule's severity, events).
 */
export function RuleRouting({ ruleId, severity, channels, picked, onChange, editable }: { ruleId: string; severity: Severity; channels: EditorChannel[]; picked: Set<number>; onChange: (picked: Set<number>) => void; /** Routing changes channels: admins only (the action checks again). */ editable: boolean }) {
  return (
    <section id="routing" className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="routing-heading">
      <h2 id="routing-heading" className="text-sm font-semibold text-slate-900">Notifications <span className="font-normal text-slate-500">· the channels this rule&apos;s alerts go to</span></h2>
      {editable ? <input type="hidden" name="routing" value="1" /> : <p className="mt-1 text-xs text-slate-500" data-testid="routing-read-only">Only an admin can change which channels a rule notifies.</p>}
      {channels.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No channels yet: <Link href="/channels" className="text-sky-800 hover:underline">add one</Link>.</p>
      ) : (
        <ul className="mt-2 space-y-1 text-sm" data-testid="rule-channels">
          {channels.map((c) => {
            const everyRule = c.routing.ruleIds === null;
            const checked = everyRule || picked.has(c.id);
            const routing = { ...c.routing, ruleIds: checked ? [ruleId] : [] };
            const why = !checked ? "not notified" : !c.routing.enabled ? "channel disabled: not sent" : !routesRule(routing, ruleId, severity) ? `below its minimum severity (${c.routing.minSeverity}): not sent` : `notified on ${c.routing.events.join(", ")}`;
            return (
              <li key={c.id} className="flex flex-wrap items-center gap-2" data-channel={c.name}>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    name={everyRule ? undefined : "channel"}
                    value={c.id}
                    checked={checked}
                    disabled={everyRule || !editable}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.target.checked) next.add(c.id);
                      else next.delete(c.id);
                      onChange(next);
                    }}
                  />
                  <span className="font-medium text-slate-800">{c.name}</span>
                </label>
                <span className="text-xs text-slate-500">{c.kind}{everyRule ? " · takes every rule (change on the channel)" : ""}</span>
                <span className="text-xs text-slate-700" data-testid="channel-verdict">· {why}</span>
                <Link href={`/channels/${c.id}`} className="text-xs text-sky-800 hover:underline">channel</Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
