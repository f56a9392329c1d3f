"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "../../lib/auth/auth";
import { publicAction } from "../../lib/auth/guard-action";
import { countUsers, createUser, UserInputError } from "../../lib/auth/users";
import { getPool } from "../../lib/db/pool";

export interface SetupResult {
  error?: string;
}

/**
 * First run only: creates the first admin (fields `email`, `password`, `confirm`) and signs them in.
 * Refused as soon as any user exists, so the page cannot be used to add an admin later.
 */
export const setupAction = publicAction("setupAction", async (ctx, _previous: SetupResult, form: FormData): Promise<SetupResult> => {
  if ((await countUsers(getPool())) > 0) return { error: "Trailwatch is already set up: sign in instead." };
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  if (password !== String(form.get("confirm") ?? "")) return { error: "The two passwords differ." };
  try {
    const user = await createUser(getPool(), { email, role: "admin", password });
    await ctx.audit({ actor: user.email, action: "user.create", target: user.email, details: { role: "admin", via: "setup" } });
    await auth().api.signInEmail({ body: { email: user.email, password }, headers: await headers() });
    await ctx.audit({ actor: user.email, action: "sign-in.success" });
  } catch (error) {
    if (error instanceof UserInputError) return { error: error.message };
    throw error;
  }
  redirect("/overview");
});
