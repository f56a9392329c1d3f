import { z } from "zod";
import type { Queryable } from "../db/queryable";

/** A mute: no notifications for a rule, or one group of it, until a time (alerts are still raised). */
export interface Mute {
  id: number;
  ruleId: string;
  /** null: every group of the rule. */
  groupKey: string | null;
  until: Date;
  reason: string | null;
  createdAt: Date;
  createdBy: string;
}

export const muteInputSchema = z
  .object({
    ruleId: z.string().min(1),
    groupKey: z.string().min(1).nullable().default(null),
    until: z.date(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type MuteInput = z.input<typeof muteInputSchema>;

/** Mutes (snoozes) a rule or group until `until` (must be after `now`). Throws ZodError on bad input. Returns the mute's id. */
export async function addMute(db: Queryable, input: MuteInput, actor: string, now: Date = new Date()): Promise<number> {
  const m = muteInputSchema.refine((v) => v.until > now, { message: "the mute must end in the future", path: ["until"] }).parse(input);
  const { rows } = await db.query<{ id: string | number }>(
    `INSERT INTO notification_mutes (rule_id, group_key, until, reason, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [m.ruleId, m.groupKey, m.until, m.reason || null, actor],
  );
  return Number(rows[0]!.id);
}

/** Mutes still in force at `now` (of one rule, when given), soonest ending first. */
export async function listMutes(db: Queryable, options: { ruleId?: string; now?: Date } = {}): Promise<Mute[]> {
  const { rows } = await db.query<Mute>(
    `SELECT id::int AS id, rule_id AS "ruleId", group_key AS "groupKey", until, reason, created_at AS "createdAt", created_by AS "createdBy"
       FROM notification_mutes WHERE until > $1 AND ($2::text IS NULL OR rule_id = $2) ORDER BY until, id`,
    [options.now ?? new Date(), options.ruleId ?? null],
  );
  return rows;
}

/** Ends a mute now (deletes it). Returns whether there was one. */
export async function removeMute(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM notification_mutes WHERE id = $1", [id]);
  return (rowCount ?? 0) > 0;
}
