import type { Metadata } from "next";
import { requirePage } from "../../../lib/auth/require-page";
import { ROLES } from "../../../lib/auth/roles";
import { listUsers } from "../../../lib/auth/users";
import { getPool } from "../../../lib/db/pool";
import { formatUtc } from "../../../components/format";
import { setUserDisabledAction, setUserRoleAction, signOutEverywhereAction, unlockUserAction } from "../actions";
import { AdminTabs } from "../admin-tabs";
import { CreateUserForm } from "./create-user-form";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const small = "rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-50";

/** Admin only: every user, their role and sessions; create, change role, disable, sign out everywhere, unlock. */
export default async function UsersPage() {
  const caller = await requirePage("/admin/users");
  const users = await listUsers(getPool());
  return (
    <div className="space-y-6">
      <AdminTabs current="/admin/users" title="Users" description="Admins manage users, tokens and channels; analysts edit rules and alerts; viewers read." />
      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"><CreateUserForm /></section>
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-sm" data-testid="users-table">
          <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
            <tr><th className="px-3 py-2">Email</th><th className="px-3 py-2">Role</th><th className="px-3 py-2">Status</th><th className="px-3 py-2">Sessions</th><th className="px-3 py-2">Last sign-in (UTC)</th><th className="px-3 py-2">Actions</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => {
              const self = caller.kind === "user" && caller.id === u.id;
              return (
                <tr key={u.id} data-testid={`user-${u.email}`}>
                  <td className="px-3 py-2 font-medium text-slate-900">{u.email}</td>
                  <td className="px-3 py-2">
                    {self ? u.role : (
                      <form action={setUserRoleAction} className="flex items-center gap-1">
                        <input type="hidden" name="userId" value={u.id} />
                        <select name="role" defaultValue={u.role} aria-label={`Role of ${u.email}`} className="rounded border border-slate-300 px-1 py-0.5 text-xs">
                          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                        </select>
                        <button type="submit" className={small}>Set</button>
                      </form>
                    )}
                  </td>
                  <td className="px-3 py-2">{u.disabled ? <span className="text-red-700">disabled</span> : "active"}</td>
                  <td className="px-3 py-2 tabular-nums">{u.activeSessions}</td>
                  <td className="px-3 py-2 text-slate-600">{u.lastSignInAt ? formatUtc(u.lastSignInAt) : "never"}</td>
                  <td className="flex flex-wrap gap-1 px-3 py-2">
                    <form action={signOutEverywhereAction}><input type="hidden" name="userId" value={u.id} /><button type="submit" className={small}>Sign out everywhere</button></form>
                    <form action={unlockUserAction}><input type="hidden" name="userId" value={u.id} /><button type="submit" className={small}>Unlock</button></form>
                    {self ? null : (
                      <form action={setUserDisabledAction}>
                        <input type="hidden" name="userId" value={u.id} /><input type="hidden" name="disabled" value={u.disabled ? "false" : "true"} />
                        <button type="submit" className={small}>{u.disabled ? "Enable" : "Disable"}</button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
