import type { Metadata } from "next";
import { listApiTokens } from "../../../lib/auth/api-tokens";
import { requirePage } from "../../../lib/auth/require-page";
import { getPool } from "../../../lib/db/pool";
import { formatUtc } from "../../../components/format";
import { revokeTokenAction } from "../actions";
import { AdminTabs } from "../admin-tabs";
import { CreateTokenForm } from "./create-token-form";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

/** Admin only: API tokens (for the JSON API and scripts), each scoped to a role; create (shown once) and revoke. */
export default async function TokensPage() {
  await requirePage("/admin/tokens");
  const tokens = await listApiTokens(getPool());
  return (
    <div className="space-y-6">
      <AdminTabs current="/admin/tokens" title="API tokens" description="Send as Authorization: Bearer <token> to the JSON API. Stored hashed: a token is shown only when it is made." />
      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"><CreateTokenForm /></section>
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-sm" data-testid="tokens-table">
          <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
            <tr><th className="px-3 py-2">Name</th><th className="px-3 py-2">Role</th><th className="px-3 py-2">Token</th><th className="px-3 py-2">Created (UTC)</th><th className="px-3 py-2">Last used</th><th className="px-3 py-2">Status</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((t) => (
              <tr key={t.id} data-testid={`token-${t.name}`}>
                <td className="px-3 py-2 font-medium text-slate-900">{t.name}</td>
                <td className="px-3 py-2">{t.role}</td>
                <td className="px-3 py-2 font-mono text-xs text-slate-600">{t.prefix}…</td>
                <td className="px-3 py-2 text-slate-600">{formatUtc(t.createdAt)} by {t.createdBy}</td>
                <td className="px-3 py-2 text-slate-600">{t.lastUsedAt ? formatUtc(t.lastUsedAt) : "never"}</td>
                <td className="px-3 py-2">
                  {t.revokedAt ? <span className="text-slate-500">revoked {formatUtc(t.revokedAt)}</span> : (
                    <form action={revokeTokenAction}>
                      <input type="hidden" name="id" value={t.id} />
                      <button type="submit" className="rounded border border-red-300 bg-white px-2 py-0.5 text-xs font-medium text-red-700 hover:bg-red-50">Revoke</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
