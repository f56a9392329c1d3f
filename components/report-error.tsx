"use client";

/** The error state of a report page (usually: the database is unreachable). Details stay in the server log. */
export function ReportError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String((error as Error & { digest?: string }).digest ?? "") : "";
  return (
    <section role="alert" className="rounded-lg border border-red-200 bg-red-50 px-6 py-8">
      <h1 className="text-base font-semibold text-red-900">{title}</h1>
      <p className="mt-1 text-sm text-red-800">
        Check that the database is reachable (<code className="font-mono text-xs">/api/health</code>) and try again.
        {digest ? <span className="ml-1 font-mono text-xs text-red-700">Error {digest}</span> : null}
      </p>
      <button
        type="button"
        onClick={() => retry()}
        className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </section>
  );
}
