/** Placeholder while the report's queries run (30-day ranges over raw rows take a moment). */
export default function Loading() {
  return (
    <div className="animate-pulse space-y-6" aria-busy="true" aria-label="Loading the overview">
      <div className="h-10 w-1/3 rounded bg-slate-200" />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-[88px] rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="h-80 rounded-lg bg-slate-200" />
    </div>
  );
}
