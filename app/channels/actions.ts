"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { config } from "../../lib/config";
import { getPool } from "../../lib/db/pool";
import { ChannelNotFoundError, deleteChannel, saveChannel, setChannelEnabled } from "../../lib/notify/channels";
import type { ChannelInput } from "../../lib/notify/channel-schema";
import { channelSecretsKey } from "../../lib/notify/channel-secrets";
import { sendTestNotification } from "../../lib/notify/send-test-notification";
import { guardAction } from "../../lib/auth/guard-action";

export interface ChannelFormResult {
  ok?: boolean;
  /** Field path (e.g. `config.url`, `secrets.webhookUrl`) → message. */
  fieldErrors?: Record<string, string>;
  error?: string;
}

/**
 * Creates or edits a channel from the form (fields: id?, name, kind, per-kind
 * fields, routing: minSeverity, ruleMode = all | only, ruleIds, events,
 * renotifyMinutes, enabled). Secrets left empty keep their stored values.
 */
export const saveChannelAction = guardAction("saveChannelAction", async (ctx, _previous: ChannelFormResult, form: FormData): Promise<ChannelFormResult> => {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const optional = (name: string) => text(name) || undefined;
  const kind = text("kind");
  const list = (name: string) => text(name).split(/[\s,]+/).filter(Boolean);
  const base = {
    name: text("name"),
    routing: {
      enabled: form.get("enabled") === "on",
      minSeverity: text("minSeverity") || "info",
      ruleIds: text("ruleMode") === "only" ? list("ruleIds") : null,
      events: form.getAll("events").map(String),
      renotifyMinutes: text("renotifyMinutes") ? Number(text("renotifyMinutes")) : null,
    },
  };
  const byKind: Record<string, unknown> = {
    webhook: { ...base, kind, config: { url: text("url") }, secrets: { signingSecret: optional("signingSecret") } },
    slack: { ...base, kind, config: {}, secrets: { webhookUrl: optional("webhookUrl") } },
    email: {
      ...base, kind,
      config: { host: text("host"), port: Number(text("port") || 587), secure: form.get("secure") === "on", username: optional("username"), from: text("from"), to: list("to") },
      secrets: { password: optional("password") },
    },
    sns: { ...base, kind, config: { topicArn: text("topicArn") }, secrets: {} },
  };
  const input = byKind[kind];
  if (!input) return { error: "choose a channel type" };
  const id = text("id") ? Number(text("id")) : undefined;
  try {
    await saveChannel(getPool(), input as ChannelInput, { actor: ctx.actor, key: channelSecretsKey(config()), id });
  } catch (error) {
    if (error instanceof ZodError) return { fieldErrors: Object.fromEntries(error.issues.map((i) => [i.path.join("."), i.message])) };
    if ((error as { code?: string }).code === "23505") return { fieldErrors: { name: "a channel with this name exists" } };
    throw error;
  }
  await ctx.audit(id ? "channel.update" : "channel.create", text("name"), { kind });
  revalidatePath("/channels");
  if (id !== undefined) revalidatePath(`/channels/${id}`);
  return { ok: true };
});

/** Turns a channel on or off (fields: id, enabled = "true" | "false"). */
export const setChannelEnabledAction = guardAction("setChannelEnabledAction", async (ctx, form: FormData): Promise<void> => {
  const id = Number(form.get("id"));
  const enabled = form.get("enabled") === "true";
  await setChannelEnabled(getPool(), id, enabled, ctx.actor);
  await ctx.audit(enabled ? "channel.enable" : "channel.disable", String(id));
  revalidatePath("/channels");
  revalidatePath(`/channels/${id}`);
});

/** Deletes a channel (form field: id; one already gone is no error) and shows the channel list. */
export const deleteChannelAction = guardAction("deleteChannelAction", async (ctx, form: FormData): Promise<void> => {
  const id = String(form.get("id"));
  await deleteChannel(getPool(), Number(id), ctx.actor).catch((error: unknown) => {
    if (!(error instanceof ChannelNotFoundError)) throw error;
  });
  await ctx.audit("channel.delete", id);
  revalidatePath("/channels");
  redirect("/channels");
});

/** Sends a test notification through channel `id` now; the receiver's answer comes back. */
export const testChannelAction = guardAction("testChannelAction", async (ctx, id: number): Promise<{ ok: true } | { ok: false; error: string }> => {
  const result = await sendTestNotification(getPool(), id, config());
  await ctx.audit("channel.test", String(id), { ok: result.ok });
  return result;
});
