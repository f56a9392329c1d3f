import { ZodError } from "zod";
import type { Queryable } from "../db/queryable";
import { channelInputSchema, KIND_SCHEMAS, routingSchema, type Channel, type ChannelInput, type ChannelKind, type ChannelView } from "./channel-schema";

interface ChannelRow {
  id: string | number;
  name: string;
  kind: ChannelKind;
  config: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  enabled: boolean;
  min_severity: string;
  rule_ids: string[];
  events: string[];
  renotify_minutes: number | null;
  updated_at: Date;
  updated_by: string;
}

const VIEW_COLUMNS = `id, name, kind, config, enabled, min_severity, rule_ids, events, renotify_minutes, updated_at, updated_by,
  ARRAY(SELECT k FROM jsonb_object_keys(secrets) AS k ORDER BY k) AS secret_names`;

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

/** One channel with its secrets, for sending (server side only), or null. */
export async function getChannelForSending(db: Queryable, id: number): Promise<Channel | null> {
  const { rows } = await db.query<ChannelRow>(`SELECT * FROM notification_channels WHERE id = $1`, [id]);
  return rows[0] ? toChannel(rows[0]) : null;
}

/**
 * Creates (no `id`) or replaces (with `id`) a channel. Secrets left out of an
 * edit keep their stored values; the merged secrets must satisfy the kind's
 * schema. Throws ZodError (paths point at the field) for invalid input,
 * ChannelNotFoundError for an unknown id; a duplicate name violates the
 * unique index (pg error 23505). Returns the channel's id.
 */
export async function saveChannel(db: Queryable, input: ChannelInput, actor: string, id?: number): Promise<number> {
  const parsed = channelInputSchema.parse(input);
  let secrets: Record<string, unknown> = parsed.secrets;
  if (id !== undefined) {
    const stored = await db.query<{ kind: string; secrets: Record<string, unknown> }>("SELECT kind, secrets FROM notification_channels WHERE id = $1", [id]);
    if (!stored.rows[0]) throw new ChannelNotFoundError(`no channel ${id}`);
    // A kind change drops the old kind's secrets: they mean nothing to the new one.
    const kept = stored.rows[0].kind === parsed.kind ? stored.rows[0].secrets : {};
    secrets = { ...kept, ...Object.fromEntries(Object.entries(parsed.secrets).filter(([, v]) => v !== undefined && v !== "")) };
  }
  const complete = KIND_SCHEMAS[parsed.kind].secrets.safeParse(secrets);
  if (!complete.success) throw new ZodError(complete.error.issues.map((i) => ({ ...i, path: ["secrets", ...i.path] })));
  const r = parsed.routing;
  const values = [parsed.name, parsed.kind, parsed.config, complete.data, r.enabled, r.minSeverity, r.ruleIds, r.events, r.renotifyMinutes, actor];
  if (id === undefined) {
    const { rows } = await db.query<{ id: string | number }>(
      `INSERT INTO notification_channels (name, kind, config, secrets, enabled, min_severity, rule_ids, events, renotify_minutes, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      values,
    );
    return Number(rows[0]!.id);
  }
  await db.query(
    `UPDATE notification_channels SET name = $1, kind = $2, config = $3, secrets = $4, enabled = $5, min_severity = $6, rule_ids = $7,
            events = $8, renotify_minutes = $9, updated_by = $10, updated_at = now() WHERE id = $11`,
    [...values, id],
  );
  return id;
}

/** Deletes a channel and its delivery records. Throws ChannelNotFoundError when there is none. */
export async function deleteChannel(db: Queryable, id: number): Promise<void> {
  const { rowCount } = await db.query("DELETE FROM notification_channels WHERE id = $1", [id]);
  if (!rowCount) throw new ChannelNotFoundError(`no channel ${id}`);
}

function routingOf(row: ChannelRow) {
  return routingSchema.parse({ enabled: row.enabled, minSeverity: row.min_severity, ruleIds: row.rule_ids, events: row.events, renotifyMinutes: row.renotify_minutes });
}

function toView(row: ChannelRow & { secret_names: string[] }): ChannelView {
  return { id: Number(row.id), name: row.name, kind: row.kind, config: row.config, secretsSet: row.secret_names, routing: routingOf(row), updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/** A stored row as a typed channel; stored settings are re-validated (a hand-edited row fails loudly here, at send time). */
export function toChannel(row: ChannelRow): Channel {
  const kind = KIND_SCHEMAS[row.kind];
  if (!kind) throw new Error(`channel ${row.id} has unknown kind "${row.kind}"`);
  return {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    config: kind.config.parse(row.config),
    secrets: kind.secrets.parse(row.secrets ?? {}),
    routing: routingOf(row),
  } as Channel;
}
