"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "../../lib/auth/api-tokens";
import { guardAction } from "../../lib/auth/guard-action";
import { roleSchema } from "../../lib/auth/roles";
import { createUser, findUser, revokeUserSessions, setUserDisabled, setUserRole, UserInputError } from "../../lib/auth/users";
import { getPool } from "../../lib/db/pool";

export interface AdminFormResult {
  message?: string;
  error?: string;
  /** A new API token, shown once. */
  token?: string;
}

/** Creates a user (fields email, name?, role, password). Admin only. */
export const createUserAction = guardAction("createUserAction", async (ctx, _previous: AdminFormResult, form: FormData): Promise<AdminFormResult> => {
  const role = roleSchema.safeParse(form.get("role"));
  if (!role.success) return { error: "choose a role" };
  try {
    const user = await createUser(getPool(), { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") || undefined, role: role.data, password: String(form.get("password") ?? "") });
    await ctx.audit("user.create", user.email, { role: user.role });
    revalidatePath("/admin/users");
    return { message: `Created ${user.email} (${user.role}).` };
  } catch (error) {
    if (error instanceof UserInputError) return { error: error.message };
    throw error;
  }
});

/** The user a form names (field userId), or an error naming why not; one's own account is refused where noted. */
async function targetUser(form: FormData, callerId: string, notSelf: string | null) {
  const user = await findUser(getPool(), String(form.get("userId") ?? ""));
  if (!user) return { error: "unknown user" } as const;
  if (notSelf && user.id === callerId) return { error: notSelf } as const;
  return { user } as const;
}

/** Changes a user's role (fields userId, role). Admin only; not one's own (there must stay an admin). */
export const setUserRoleAction = guardAction("setUserRoleAction", async (ctx, form: FormData): Promise<void> => {
  const role = roleSchema.safeParse(form.get("role"));
  const target = await targetUser(form, ctx.caller.id, "you cannot change your own role");
  if (!role.success || "error" in target) return;
  await setUserRole(getPool(), target.user.id, role.data);
  await ctx.audit("user.set-role", target.user.email, { from: target.user.role, to: role.data });
  revalidatePath("/admin/users");
});

/** Disables (signing them out everywhere) or enables a user (fields userId, disabled = "true" | "false"). Admin only; not oneself. */
export const setUserDisabledAction = guardAction("setUserDisabledAction", async (ctx, form: FormData): Promise<void> => {
  const target = await targetUser(form, ctx.caller.id, "you cannot disable yourself");
  if ("error" in target) return;
  const disabled = form.get("disabled") === "true";
  await setUserDisabled(getPool(), target.user.id, disabled);
  await ctx.audit(disabled ? "user.disable" : "user.enable", target.user.email);
  revalidatePath("/admin/users");
});

/** Signs a user out everywhere (field userId): deletes all their sessions. Admin only. */
export const signOutEverywhereAction = guardAction("signOutEverywhereAction", async (ctx, form: FormData): Promise<void> => {
  const target = await targetUser(form, ctx.caller.id, null);
  if ("error" in target) return;
  const sessions = await revokeUserSessions(getPool(), target.user.id);
  await ctx.audit("user.sign-out-everywhere", target.user.email, { sessions });
  revalidatePath("/admin/users");
});

/** Lifts a sign-in lockout before it expires (field userId). Admin only. */
export const unlockUserAction = guardAction("unlockUserAction", async (ctx, form: FormData): Promise<void> => {
  const target = await targetUser(form, ctx.caller.id, null);
  if ("error" in target) return;
  // lib/auth/login-throttle.ts counts failures since the last success or unlock of this email.
  await ctx.audit("user.unlock", target.user.email);
  revalidatePath("/admin/users");
});

/** Creates an API token (fields name, role); the token is in the result, once. Admin only. */
export const createTokenAction = guardAction("createTokenAction", async (ctx, _previous: AdminFormResult, form: FormData): Promise<AdminFormResult> => {
  const role = roleSchema.safeParse(form.get("role"));
  if (!role.success) return { error: "choose a role" };
  try {
    const name = String(form.get("name") ?? "");
    const { id, token } = await createApiToken(getPool(), { name, role: role.data, createdBy: ctx.actor });
    await ctx.audit("token.create", name.trim(), { id: String(id), role: role.data });
    revalidatePath("/admin/tokens");
    return { token, message: "Copy the token now: it is not shown again." };
  } catch (error) {
    if (error instanceof RangeError) return { error: error.message };
    throw error;
  }
});

/** Revokes an API token (field id). Admin only. */
export const revokeTokenAction = guardAction("revokeTokenAction", async (ctx, form: FormData): Promise<void> => {
  const id = Number(form.get("id"));
  if (!Number.isSafeInteger(id)) return;
  const name = await revokeApiToken(getPool(), id, ctx.actor);
  if (name !== null) await ctx.audit("token.revoke", name, { id: String(id) });
  revalidatePath("/admin/tokens");
});
