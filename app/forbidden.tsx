import Link from "next/link";

/** Shown (HTTP 403) when the signed-in user's role does not allow a page (lib/auth/access-policy.ts). */
export default function Forbidden() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center" data-testid="forbidden">
      <h1 className="text-lg font-semibold text-slate-900">Not allowed</h1>
      <p className="mt-2 text-sm text-slate-600">Your role does not allow this page. An admin can change your role.</p>
      <Link href="/overview" className="mt-4 inline-block text-sm font-medium text-sky-700 hover:underline">Back to the overview</Link>
    </div>
  );
}
