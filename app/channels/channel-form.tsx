"use client";

import { useActionState, useState } from "react";
import type { ChannelView } from "../../lib/notify/channel-schema";
import { saveChannelAction, type ChannelFormResult } from "./actions";

const SEVERITIES = ["info", "low", "medium", "high", "critical"];
const EVENTS = ["opened", "reopened", "acknowledged", "resolved"];
const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/**
 * The channel form, new (no `channel`) or editing one: type-specific settings,
 * write-only secrets (an edit shows only whether each is set; left blank, the
 * stored value is kept), routing (minimum severity, every rule or only listed
 * ones, events, re-notify interval, enabled).
 */
export function ChannelForm({ channel }: { channel?: ChannelView }) {
  const [result, act, pending] = useActionState<ChannelFormResult, FormData>(saveChannelAction, {});
  const [kind, setKind] = useState<string>(channel?.kind ?? "webhook");
  const [ruleMode, setRuleMode] = useState(channel && channel.routing.ruleIds !== null ? "only" : "all");
  const err = (path: string) => (result.fieldErrors?.[path] ? <span role="alert" className="mt-0.5 block text-xs text-red-700">{result.fieldErrors[path]}</span> : null);
  const cfg = (name: string) => (channel && channel.kind === kind ? channel.config[name] : undefined);
  const secretLabel = (name: string) => (channel && channel.kind === kind ? (channel.secretsSet.includes(name) ? " — set; leave blank to keep" : " — not set") : "");
  const routing = channel?.routing;
  return (
    <form action={act} className="grid gap-3 sm:grid-cols-2" aria-label={channel ? "Edit channel" : "New channel"}>
      {channel ? <input type="hidden" name="id" value={channel.id} /> : null}
      <label className="text-xs font-medium text-slate-600">
        Name
        <input name="name" required defaultValue={channel?.name} className={input} />
        {err("name")}
      </label>
      <label className="text-xs font-medium text-slate-600">
        Type
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} className={input}>
          <option value="webhook">Webhook (JSON)</option>
          <option value="slack">Slack</option>
          <option value="email">Email (SMTP)</option>
          <option value="sns">Amazon SNS topic</option>
        </select>
      </label>
      {kind === "webhook" ? (
        <>
          <label className="text-xs font-medium text-slate-600">URL<input name="url" defaultValue={String(cfg("url") ?? "")} className={input} placeholder="https://hooks.example.com/trailwatch" />{err("config.url")}</label>
          <label className="text-xs font-medium text-slate-600">Signing secret (optional, ≥ 16 characters){secretLabel("signingSecret")}<input name="signingSecret" type="password" autoComplete="off" className={input} />{err("secrets.signingSecret")}</label>
        </>
      ) : null}
      {kind === "slack" ? (
        <label className="text-xs font-medium text-slate-600 sm:col-span-2">Incoming-webhook URL (kept secret){secretLabel("webhookUrl")}<input name="webhookUrl" type="password" autoComplete="off" className={input} placeholder="https://hooks.slack.com/services/…" />{err("secrets.webhookUrl")}</label>
      ) : null}
      {kind === "email" ? (
        <>
          <label className="text-xs font-medium text-slate-600">SMTP host<input name="host" defaultValue={String(cfg("host") ?? "")} className={input} />{err("config.host")}</label>
          <label className="text-xs font-medium text-slate-600">Port<input name="port" type="number" defaultValue={Number(cfg("port") ?? 587)} className={input} />{err("config.port")}</label>
          <label className="text-xs font-medium text-slate-600">Username<input name="username" defaultValue={String(cfg("username") ?? "")} className={input} autoComplete="off" /></label>
          <label className="text-xs font-medium text-slate-600">Password{secretLabel("password")}<input name="password" type="password" autoComplete="off" className={input} /></label>
          <label className="text-xs font-medium text-slate-600">From<input name="from" defaultValue={String(cfg("from") ?? "")} className={input} />{err("config.from")}</label>
          <label className="text-xs font-medium text-slate-600">To (comma-separated)<input name="to" defaultValue={((cfg("to") as string[] | undefined) ?? []).join(", ")} className={input} />{err("config.to")}</label>
          <label className="flex items-center gap-2 text-xs font-medium text-slate-600"><input name="secure" type="checkbox" defaultChecked={cfg("secure") === true} /> TLS from the start (port 465)</label>
        </>
      ) : null}
      {kind === "sns" ? (
        <label className="text-xs font-medium text-slate-600 sm:col-span-2">Topic ARN<input name="topicArn" defaultValue={String(cfg("topicArn") ?? "")} className={input} placeholder="arn:aws:sns:us-east-1:111122223333:security-alerts" />{err("config.topicArn")}</label>
      ) : null}
      <fieldset className="rounded border border-slate-200 px-3 py-2 sm:col-span-2">
        <legend className="px-1 text-xs font-semibold text-slate-700">Routing</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          <label className="text-xs font-medium text-slate-600">
            Minimum severity
            <select name="minSeverity" defaultValue={routing?.minSeverity ?? "info"} className={input}>{SEVERITIES.map((s) => <option key={s}>{s}</option>)}</select>
          </label>
          <div className="text-xs font-medium text-slate-600">
            Rules
            <div className="mt-1 flex gap-3">
              <label className="flex items-center gap-1"><input type="radio" name="ruleMode" value="all" checked={ruleMode === "all"} onChange={() => setRuleMode("all")} /> All rules</label>
              <label className="flex items-center gap-1"><input type="radio" name="ruleMode" value="only" checked={ruleMode === "only"} onChange={() => setRuleMode("only")} /> Only these rules</label>
            </div>
            {ruleMode === "only" ? <input name="ruleIds" aria-label="Rule ids" defaultValue={(routing?.ruleIds ?? []).join(", ")} className={input} placeholder="rule ids (or pick channels in a rule's editor)" /> : null}
            {err("routing.ruleIds")}
          </div>
          <label className="text-xs font-medium text-slate-600">Re-notify while open (minutes, empty: never)<input name="renotifyMinutes" type="number" min={5} defaultValue={routing?.renotifyMinutes ?? ""} className={input} />{err("routing.renotifyMinutes")}</label>
        </div>
        <div className="mt-2 flex flex-wrap gap-4 text-xs text-slate-700">
          {EVENTS.map((e) => (
            <label key={e} className="flex items-center gap-1"><input type="checkbox" name="events" value={e} defaultChecked={routing ? routing.events.includes(e as never) : e === "opened" || e === "reopened"} /> on {e}</label>
          ))}
          <label className="flex items-center gap-1"><input type="checkbox" name="enabled" defaultChecked={routing?.enabled ?? true} /> enabled</label>
        </div>
        {err("routing.events")}
      </fieldset>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50">{channel ? "Save channel" : "Add channel"}</button>
        {result.ok ? <span className="text-sm text-emerald-700" role="status">Saved.</span> : null}
        {result.error ? <span role="alert" className="text-sm text-red-700">{result.error}</span> : null}
      </div>
    </form>
  );
}
