"use client";

import { useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

interface Preview {
  alerts: number;
  matches: number;
  overTime: { start: string; alerts: number; matches: number }[];
  topGroups: { groupKey: string; alerts: number; matches: number }[];
  topPrincipals: { principal: string; events: number }[];
  durationMs: number;
}

/** Runs the editor's current rule over stored history (POST /api/rules/preview); cancellable. */
export function RulePreview({ draft }: { draft: () => unknown }) {
  const [range, setRange] = useState("7d");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const run = async () => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setRunning(true);
    setError(null);
    try {
      const res = await fetch("/api/rules/preview", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rule: draft(), range }), signal: c.signal });
      const body = (await res.json()) as Preview & { error?: string; issues?: { path: string; message: string }[] };
      if (!res.ok) {
        setPreview(null);
        setError(body.issues ? `${body.error}: ${body.issues.map((i) => `${i.path || "rule"}: ${i.message}`).join("; ")}` : (body.error ?? `failed (${res.status})`));
      } else setPreview(body);
    } catch (e) {
      setError((e as Error).name === "AbortError" ? "Preview cancelled." : "The preview failed.");
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby="preview" data-testid="rule-preview">
      <h2 id="preview" className="text-sm font-semibold text-slate-900">Preview on stored history</h2>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <label className="text-xs font-medium text-slate-600">
          Range{" "}
          <select value={range} onChange={(e) => setRange(e.target.value)} className="rounded border border-slate-300 px-2 py-1 text-sm" aria-label="Preview range">
            <option value="24h">last 24 hours</option>
            <option value="7d">last 7 days</option>
            <option value="30d">last 30 days</option>
          </select>
        </label>
        <button type="button" onClick={run} disabled={running} className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50">Run preview</button>
        {running ? <button type="button" onClick={() => controller.current?.abort()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">Cancel</button> : null}
      </div>
      {error ? <p role="alert" className="mt-2 text-sm text-red-700">{error}</p> : null}
      {preview ? (
        <div className="mt-3 space-y-3">
          <p className="text-sm text-slate-800" data-testid="preview-summary" data-alerts={preview.alerts}>
            Would have raised <strong>{preview.alerts}</strong> alert{preview.alerts === 1 ? "" : "s"} from {preview.matches} matching event{preview.matches === 1 ? "" : "s"}
            <span className="text-slate-500"> · {preview.durationMs} ms</span>
          </p>
          <div className="h-40">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={preview.overTime.map((b) => ({ ...b, label: b.start.slice(5, range === "24h" ? 13 : 10).replace("T", " ") }))}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" fontSize={10} />
                <YAxis allowDecimals={false} fontSize={10} width={30} />
                <Tooltip />
                <Bar dataKey="alerts" fill="#0369a1" name="alerts" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            <table className="text-xs" data-testid="preview-groups">
              <thead><tr className="text-left text-slate-500"><th className="font-medium">Top group keys</th><th className="text-right font-medium">Alerts</th></tr></thead>
              <tbody>{preview.topGroups.map((g) => <tr key={g.groupKey}><td className="pr-3 font-mono break-all">{g.groupKey}</td><td className="text-right tabular-nums">{g.alerts}</td></tr>)}</tbody>
            </table>
            <table className="text-xs" data-testid="preview-principals">
              <thead><tr className="text-left text-slate-500"><th className="font-medium">Top principals</th><th className="text-right font-medium">Events</th></tr></thead>
              <tbody>{preview.topPrincipals.map((p) => <tr key={p.principal}><td className="pr-3 font-mono break-all">{p.principal}</td><td className="text-right tabular-nums">{p.events}</td></tr>)}</tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}
