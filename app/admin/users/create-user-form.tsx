"use client";

import { useActionState } from "react";
import { createUserAction, type AdminFormResult } from "../actions";

const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/** New user: email, optional name, role, initial password (12+ characters, checked on the server). */
export function CreateUserForm() {
  const [result, act, pending] = useActionState<AdminFormResult, FormData>(createUserAction, {});
  return (
    <form action={act} aria-label="Create user" className="grid grid-cols-1 gap-3 sm:grid-cols-5 sm:items-end">
      <label className="text-xs font-medium text-slate-600">Email<input name="email" type="email" required className={input} /></label>
      <label className="text-xs font-medium text-slate-600">Name<input name="name" className={input} /></label>
      <label className="text-xs font-medium text-slate-600">Role
        <select name="role" defaultValue="viewer" className={input}>
          <option value="viewer">viewer</option><option value="analyst">analyst</option><option value="admin">admin</option>
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">Password<input name="password" type="password" autoComplete="new-password" required className={input} /></label>
      <button type="submit" disabled={pending} className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50">Create user</button>
      {result.error ? <p role="alert" className="text-sm text-red-700 sm:col-span-5">{result.error}</p> : null}
      {result.message ? <p role="status" className="text-sm text-emerald-700 sm:col-span-5">{result.message}</p> : null}
    </form>
  );
}
