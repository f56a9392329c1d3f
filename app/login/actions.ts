"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "../../lib/auth/auth";
import { guardAction, publicAction } from "../../lib/auth/guard-action";
import { loginRefusal, type LoginRefusal } from "../../lib/auth/login-throttle";
import { config } from "../../lib/config";
import { getPool } from "../../lib/db/pool";

export interface SignInResult {
  error?: string;
}

function refusalMessage(refusal: LoginRefusal): string {
  if (refusal.reason === "rate-limited") return "Too many sign-in attempts from your address. Wait a minute, then try again.";
  const until = refusal.until.toISOString().slice(11, 16);
  return `Too many failed sign-ins: this account is locked until ${until} UTC. Try again then, or ask an admin to unlock it.`;
}

/**
 * Signs in with email + password (form fields `email`, `password`) through Better Auth, which sets the
 * session cookie. Refused before the password is checked while the account is locked or the address
 * is over its rate (lib/auth/login-throttle.ts); every attempt is in the audit log with its address.
 */
export const signInAction = publicAction("signInAction", async (ctx, _previous: SignInResult, form: FormData): Promise<SignInResult> => {
  const email = String(form.get("email") ?? "").trim().toLowerCase().slice(0, 320);
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password." };
  const refusal = await loginRefusal(getPool(), { email, ip: ctx.origin.ip }, config());
  if (refusal) {
    await ctx.audit({ actor: email, action: "sign-in.refused", details: { reason: refusal.reason } });
    return { error: refusalMessage(refusal) };
  }
  try {
    await auth().api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    await ctx.audit({ actor: email, action: "sign-in.failure", details: { reason: error.message } });
    const now = await loginRefusal(getPool(), { email, ip: null }, config());
    return { error: now ? refusalMessage(now) : "Wrong email or password." };
  }
  await ctx.audit({ actor: email, action: "sign-in.success" });
  redirect("/overview");
});

/** Signs the current browser out (deletes its session) and returns to the sign-in page. */
export const signOutAction = guardAction("signOutAction", async (ctx): Promise<void> => {
  await auth().api.signOut({ headers: await headers() });
  await ctx.audit("sign-out", null);
  redirect("/login");
});
