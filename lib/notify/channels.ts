import type pg from "pg";
import { ZodError } from "zod";
import { inTransaction } from "../db/in-transaction";
import type { Queryable } from "../db/queryable";
import { channelInputSchema, KIND_SCHEMAS, routingSchema, type Channel, type ChannelInput, type ChannelKind, type ChannelView } from "./channel-schema";
import { openSecrets, sealSecrets } from "./channel-secrets";

/**
 * The channel store. Secrets are sealed at rest (channel-secrets.ts) and only
 * `getChannelForSending` / `toChannel` ever open them; listings carry only the
 * names of the secrets that are set. Every change is recorded in
 * `channel_history` (who, when, the channel view before and after) in the same
 * transaction.
 */

interface ChannelRow {
  id: string | number;
  name: string;
  kind: ChannelKind;
  config: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  enabled: boolean;
  min_severity: string;
  all_rules: boolean;
  rule_ids: string[];
  events: string[];
  renotify_minutes: number | null;
  updated_at: Date;
  updated_by: string;
}

const VIEW_COLUMNS = `id, name, kind, config, enabled, min_severity, all_rules, rule_ids, events, renotify_minutes, updated_at, updated_by,
  ARRAY(SELECT k FROM jsonb_object_keys(secrets) AS k ORDER BY k) AS secret_names`;

/** What a channel change was. `routing`: its rule list changed from a rule's editor. */
export type ChannelChangeAction = "created" | "updated" | "routing" | "deleted";

export class ChannelNotFoundError extends Error {
  override name = "ChannelNotFoundError";
}

/** Every channel, by name, without secrets (only the names of the secrets that are set). */
export async function listChannels(db: Queryable): Promise<ChannelView[]> {
  const { rows } = await db.query<ChannelRow & { secret_names: string[] }>(`SELECT ${VIEW_COLUMNS} FROM notification_channels ORDER BY name`);
  return rows.map(toView);
}

/** One channel without secrets, or null. */
export async function getChannelView(db: Queryable, id: number): Promise<ChannelView | null> {
  const { rows } = await db.query<ChannelRow & { secret_names: string[] }>(`SELECT ${VIEW_COLUMNS} FROM notification_channels WHERE id = $1`, [id]);
  return rows[0] ? toView(rows[0]) : null;
}

/** One channel with its secrets opened with `key` (channelSecretsKey), for sending (server side only), or null. */
export async function getChannelForSending(db: Queryable, id: number, key: Buffer): Promise<Channel | null> {
  const { rows } = await db.query<ChannelRow>(`SELECT * FROM notification_channels WHERE id = $1`, [id]);
  return rows[0] ? toChannel(rows[0], key) : null;
}

/**
 * Creates (no `id`) or replaces (with `id`) a channel, recording the change.
 * Secrets left out of an edit (or empty) keep their stored values; the merged
 * secrets must satisfy the kind's schema and are stored sealed with `key`.
 * Throws ZodError (paths point at the field) for invalid input,
 * ChannelNotFoundError for an unknown id; a duplicate name violates the
 * unique index (pg error 23505). Returns the channel's id.
 */
export async function saveChannel(pool: pg.Pool, input: ChannelInput, options: { actor: string; key: Buffer; id?: number }): Promise<number> {
  const parsed = channelInputSchema.parse(input);
  const { actor, key, id } = options;
  return inTransaction(pool, async (client) => {
    let secrets: Record<string, unknown> = parsed.secrets;
    let before: ChannelView | null = null;
    if (id !== undefined) {
      const stored = await client.query<{ kind: string; secrets: Record<string, unknown> }>("SELECT kind, secrets FROM notification_channels WHERE id = $1 FOR UPDATE", [id]);
      if (!stored.rows[0]) throw new ChannelNotFoundError(`no channel ${id}`);
      before = await getChannelView(client, id);
      // A kind change drops the old kind's secrets: they mean nothing to the new one.
      const kept = stored.rows[0].kind === parsed.kind ? openSecrets(key, stored.rows[0].secrets) : {};
      secrets = { ...kept, ...Object.fromEntries(Object.entries(parsed.secrets).filter(([, v]) => v !== undefined && v !== "")) };
    }
    const complete = KIND_SCHEMAS[parsed.kind].secrets.safeParse(secrets);
    if (!complete.success) throw new ZodError(complete.error.issues.map((i) => ({ ...i, path: ["secrets", ...i.path] })));
    const r = parsed.routing;
    const values = [parsed.name, parsed.kind, parsed.config, sealSecrets(key, complete.data), r.enabled, r.minSeverity, r.ruleIds === null, r.ruleIds ?? [], r.events, r.renotifyMinutes, actor];
    let channelId = id;
    if (channelId === undefined) {
      const { rows } = await client.query<{ id: string | number }>(
        `INSERT INTO notification_channels (name, kind, config, secrets, enabled, min_severity, all_rules, rule_ids, events, renotify_minutes, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        values,
      );
      channelId = Number(rows[0]!.id);
    } else {
      await client.query(
        `UPDATE notification_channels SET name = $1, kind = $2, config = $3, secrets = $4, enabled = $5, min_severity = $6, all_rules = $7, rule_ids = $8,
                events = $9, renotify_minutes = $10, updated_by = $11, updated_at = now() WHERE id = $12`,
        [...values, channelId],
      );
    }
    await record(client, channelId, actor, before ? "updated" : "created", before, await getChannelView(client, channelId));
    return channelId;
  });
}

/** Turns a channel on or off, recording the change. Throws ChannelNotFoundError when there is none. */
export async function setChannelEnabled(pool: pg.Pool, id: number, enabled: boolean, actor: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    const before = await getChannelView(client, id);
    if (!before) throw new ChannelNotFoundError(`no channel ${id}`);
    await client.query("UPDATE notification_channels SET enabled = $2, updated_by = $3, updated_at = now() WHERE id = $1", [id, enabled, actor]);
    await record(client, id, actor, "updated", before, await getChannelView(client, id));
  });
}

/** Deletes a channel and its delivery records (its history stays). Throws ChannelNotFoundError when there is none. */
export async function deleteChannel(pool: pg.Pool, id: number, actor: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    const before = await getChannelView(client, id);
    if (!before) throw new ChannelNotFoundError(`no channel ${id}`);
    await client.query("DELETE FROM notification_channels WHERE id = $1", [id]);
    await record(client, id, actor, "deleted", before, null);
  });
}

/**
 * Routes rule `ruleId` to exactly the channels `channelIds` among those with a
 * rule list: adds the rule to the lists of those channels and removes it from
 * the others' (channels taking every rule are left as they are: change them on
 * the channel). Runs on `db`, which should be inside the caller's transaction;
 * each changed channel is recorded as a `routing` change. Throws
 * ChannelNotFoundError for an unknown channel id.
 */
export async function setRuleChannels(db: Queryable, ruleId: string, channelIds: number[], actor: string): Promise<void> {
  const wanted = new Set(channelIds);
  const { rows } = await db.query<{ id: string }>("SELECT id FROM notification_channels WHERE id = ANY($1::bigint[])", [channelIds]);
  const missing = channelIds.filter((id) => !rows.some((r) => Number(r.id) === id));
  if (missing.length) throw new ChannelNotFoundError(`no channel ${missing.join(", ")}`);
  const channels = await db.query<{ id: string }>("SELECT id FROM notification_channels WHERE NOT all_rules ORDER BY id FOR UPDATE");
  for (const { id } of channels.rows) {
    const before = await getChannelView(db, Number(id));
    if (!before?.routing.ruleIds) continue;
    const has = before.routing.ruleIds.includes(ruleId);
    if (has === wanted.has(Number(id))) continue;
    const ruleIds = has ? before.routing.ruleIds.filter((r) => r !== ruleId) : [...before.routing.ruleIds, ruleId];
    await db.query("UPDATE notification_channels SET rule_ids = $2, updated_by = $3, updated_at = now() WHERE id = $1", [id, ruleIds, actor]);
    await record(db, Number(id), actor, "routing", before, await getChannelView(db, Number(id)));
  }
}

/** Removes a deleted rule from every channel's rule list (inside the deleting transaction), recording each change. */
export async function forgetRuleInChannels(db: Queryable, ruleId: string, actor: string): Promise<void> {
  await setRuleChannels(db, ruleId, [], actor);
}

/** One change of a channel; `before` / `after` are views (no secrets), null when absent. */
export interface ChannelHistoryEntry {
  id: number;
  channelId: number;
  at: Date;
  actor: string;
  action: ChannelChangeAction;
  before: ChannelView | null;
  after: ChannelView | null;
}

/** Changes to channels (one, when `channelId` is given), newest first, at most `limit` (default 50). */
export async function channelHistory(db: Queryable, options: { channelId?: number; limit?: number } = {}): Promise<ChannelHistoryEntry[]> {
  const { rows } = await db.query<ChannelHistoryEntry>(
    `SELECT id::int AS id, channel_id::int AS "channelId", at, actor, action, before, after FROM channel_history
      WHERE ($1::bigint IS NULL OR channel_id = $1) ORDER BY at DESC, id DESC LIMIT $2`,
    [options.channelId ?? null, options.limit ?? 50],
  );
  return rows;
}

async function record(db: Queryable, id: number, actor: string, action: ChannelChangeAction, before: ChannelView | null, after: ChannelView | null): Promise<void> {
  await db.query(`INSERT INTO channel_history (channel_id, actor, action, before, after) VALUES ($1, $2, $3, $4, $5)`, [id, actor, action, before, after]);
}

function routingOf(row: ChannelRow) {
  return routingSchema.parse({ enabled: row.enabled, minSeverity: row.min_severity, ruleIds: row.all_rules ? null : row.rule_ids, events: row.events, renotifyMinutes: row.renotify_minutes });
}

function toView(row: ChannelRow & { secret_names: string[] }): ChannelView {
  return { id: Number(row.id), name: row.name, kind: row.kind, config: row.config, secretsSet: row.secret_names, routing: routingOf(row), updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/** A stored row as a typed channel, its secrets opened with `key`; stored settings are re-validated (a hand-edited row fails loudly here, at send time). */
export function toChannel(row: ChannelRow, key: Buffer): Channel {
  const kind = KIND_SCHEMAS[row.kind];
  if (!kind) throw new Error(`channel ${row.id} has unknown kind "${row.kind}"`);
  return {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    config: kind.config.parse(row.config),
    secrets: kind.secrets.parse(openSecrets(key, row.secrets ?? {})),
    routing: routingOf(row),
  } as Channel;
}
