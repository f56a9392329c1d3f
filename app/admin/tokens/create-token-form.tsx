"use client";

import { useActionState } from "react";
import { createTokenAction, type AdminFormResult } from "../actions";

const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/** New API token: name and role; the token is shown here once. */
export function CreateTokenForm() {
  const [result, act, pending] = useActionState<AdminFormResult, FormData>(createTokenAction, {});
  return (
    <form action={act} aria-label="Create API token" className="grid grid-cols-1 gap-3 sm:grid-cols-3 sm:items-end">
      <label className="text-xs font-medium text-slate-600">Name<input name="name" required maxLength={100} className={input} /></label>
      <label className="text-xs font-medium text-slate-600">Role
        <select name="role" defaultValue="viewer" className={input}>
          <option value="viewer">viewer</option><option value="analyst">analyst</option><option value="admin">admin</option>
        </select>
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50">Create token</button>
      {result.error ? <p role="alert" className="text-sm text-red-700 sm:col-span-3">{result.error}</p> : null}
      {result.token ? (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 sm:col-span-3">
          {result.message} <code data-testid="new-token" className="mt-1 block break-all font-mono text-xs">{result.token}</code>
        </div>
      ) : null}
    </form>
  );
}
