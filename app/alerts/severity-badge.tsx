import type { Severity } from "../../lib/detect/rule-schema";

const STYLES: Record<Severity, string> = {
  critical: "bg-red-700 text-white",
  high: "bg-red-100 text-red-800 ring-1 ring-red-200",
  medium: "bg-amber-100 text-amber-900 ring-1 ring-amber-200",
  low: "bg-sky-100 text-sky-900 ring-1 ring-sky-200",
  info: "bg-slate-100 text-slate-700 ring-1 ring-slate-200",
};

/** A rule's severity as a coloured label. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide ${STYLES[severity]}`}>{severity}</span>;
}

const STATE_STYLES: Record<string, string> = {
  open: "text-red-700",
  acknowledged: "text-amber-700",
  resolved: "text-emerald-700",
};

/** An alert's lifecycle state. */
export function AlertStateLabel({ state }: { state: string }) {
  return <span className={`text-xs font-medium ${STATE_STYLES[state] ?? "text-slate-600"}`}>{state}</span>;
}
