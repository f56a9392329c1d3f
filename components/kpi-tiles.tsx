import { formatCount, formatExact, formatValue } from "./format";
import { KpiCard } from "./kpi-card";

export interface KpiTile {
  label: string;
  value: number;
  href: string | null;
  /** One line under the number: what it counts. */
  hint: string;
  testId: string;
  unit?: "count" | "bytes";
}

/** A row of KPI tiles, each number linking to the records it counts. */
export function KpiTiles({ tiles }: { tiles: readonly KpiTile[] }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {tiles.map((t) => (
        <KpiCard
          key={t.testId}
          label={t.label}
          testId={t.testId}
          value={t.value}
          display={t.unit === "bytes" ? formatValue(t.value, "bytes") : formatCount(t.value)}
          title={formatExact(t.value, t.unit ?? "count")}
          hint={t.hint}
          href={t.href}
        />
      ))}
    </dl>
  );
}
