"use client";

import { useActionState } from "react";
import { signInAction, type SignInResult } from "./actions";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-none";

/** Email + password form; the server answers with the reason a sign-in was refused. */
export function SignInForm() {
  const [result, act, pending] = useActionState<SignInResult, FormData>(signInAction, {});
  return (
    <form action={act} className="space-y-4" aria-label="Sign in">
      <label className="block text-sm font-medium text-slate-700">
        Email
        <input name="email" type="email" autoComplete="username" required className={input} />
      </label>
      <label className="block text-sm font-medium text-slate-700">
        Password
        <input name="password" type="password" autoComplete="current-password" required className={input} />
      </label>
      {result.error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{result.error}</p> : null}
      <button type="submit" disabled={pending} className="w-full rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-50">
        Sign in
      </button>
    </form>
  );
}
