/** Placeholder while a report's queries run (30-day ranges over raw rows take a moment). */
export function ReportLoading({ label }: { label: string }) {
  return (
    <div className="animate-pulse space-y-6" aria-busy="true" aria-label={label}>
      <div className="h-10 w-1/3 rounded bg-slate-200" />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-[88px] rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="h-72 rounded-lg bg-slate-200" />
      <div className="grid gap-4 lg:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} className="h-56 rounded-lg bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
