import type pg from "pg";
import type { StaticCredentials } from "../aws/clients";
import type { Config } from "../config";
import type { AlertSummary } from "../detect/alerts";
import { SEVERITIES } from "../detect/rule-schema";
import type { Queryable } from "../db/queryable";
import type { OutboxEvent } from "./channel-schema";
import { toChannel } from "./channels";
import { channelSecretsKey } from "./channel-secrets";
import { alertUrl, type NotificationMessage } from "./notification-message";
import { NotifyError, reasonOf } from "./notify-error";
import { sendNotification } from "./send-notification";

/** A delivery's state: `pending` (not tried), `retrying` (failed, will be tried again), `sent`, `failed` (gave up), `muted` (a mute covered it). */
export const DELIVERY_STATUSES = ["pending", "retrying", "sent", "failed", "muted"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Attempts per delivery before it is `failed`. */
export const MAX_ATTEMPTS = 6;
/** Delay before retry n (1-based): 30 s, 1 min, 2 min, 4 min, 8 min … capped at an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
}

export interface NotifyContext {
  pool: pg.Pool;
  config: Config;
  /** Fixed AWS credentials for local servers (tests); real AWS uses the default provider chain. */
  awsCredentials?: StaticCredentials;
}

export interface NotifyStats {
  /** Outbox events routed to channels. */
  routed: number;
  /** Re-notifications queued for alerts still open. */
  renotify: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * One notification pass at `now`: routes new outbox events to the channels
 * whose routing takes them (enabled, event, minimum severity, rules; muted
 * rules and groups are recorded as `muted`), queues re-notifications of alerts
 * still open, then sends every due delivery. Sends run concurrently, each
 * bounded by TRAILWATCH_NOTIFY_TIMEOUT_SECONDS, outside any transaction, so a
 * slow or failing channel never holds detection or other channels. A failed
 * send is retried with backoff (`retryDelayMs`) up to MAX_ATTEMPTS, unless the
 * receiver refused it permanently. Safe to run in several processes at once
 * (rows are claimed with SKIP LOCKED and leased while sending).
 */
export async function processNotifications(ctx: NotifyContext, now: Date = new Date()): Promise<NotifyStats> {
  const stats: NotifyStats = { routed: 0, renotify: 0, sent: 0, retrying: 0, failed: 0 };
  stats.routed += await routeOutbox(ctx.pool, now);
  stats.renotify = await enqueueRenotifications(ctx.pool, now);
  if (stats.renotify) stats.routed += await routeOutbox(ctx.pool, now);
  for (let round = 0; round < 20; round++) {
    const done = await deliverDue(ctx, now);
    if (done.claimed === 0) break;
    stats.sent += done.sent;
    stats.retrying += done.retrying;
    stats.failed += done.failed;
  }
  return stats;
}

const ROUTE_BATCH = 500;

/** Routes unrouted outbox events (oldest first) to channels, one delivery per event and channel. Returns the events routed. */
export async function routeOutbox(db: Queryable, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await db.query<{ routed: number }>(
      `WITH claimed AS (
         SELECT id FROM notification_outbox WHERE routed_at IS NULL ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
       ), routed AS (
         UPDATE notification_outbox o SET routed_at = $3 FROM claimed WHERE o.id = claimed.id RETURNING o.id, o.alert_id, o.event, o.channel_id
       ), inserted AS (
         INSERT INTO notification_deliveries (outbox_id, alert_id, channel_id, event, status, next_attempt_at, last_error)
         SELECT r.id, r.alert_id, c.id, r.event, CASE WHEN m.until IS NULL THEN 'pending' ELSE 'muted' END, $3,
                CASE WHEN m.until IS NULL THEN NULL ELSE 'muted until ' || to_char(m.until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END
           FROM routed r
           JOIN alerts a ON a.id = r.alert_id
           JOIN notification_channels c ON c.enabled
            AND (r.channel_id IS NULL OR r.channel_id = c.id)
            AND (r.event = 'renotify' OR r.event = ANY(c.events))
            AND (c.all_rules OR a.rule_id = ANY(c.rule_ids))
            AND array_position($1::text[], a.severity) >= array_position($1::text[], c.min_severity)
           LEFT JOIN LATERAL (
             SELECT max(until) AS until FROM notification_mutes mu
              WHERE mu.rule_id = a.rule_id AND (mu.group_key IS NULL OR mu.group_key = a.group_key) AND mu.until > $3
           ) m ON true
         ON CONFLICT (outbox_id, channel_id) DO NOTHING
       )
       SELECT count(*)::int AS routed FROM routed`,
      [SEVERITIES, ROUTE_BATCH, now],
    );
    const n = Number(rows[0]?.routed ?? 0);
    total += n;
    if (n < ROUTE_BATCH) return total;
  }
}

/**
 * Queues a `renotify` event for each open alert and channel with a re-notify
 * interval, when the channel has been sent this alert before and its last
 * delivery of it is older than the interval (and none is in flight).
 * Serialised by an advisory lock so two notifiers do not queue twice. Returns how many were queued.
 */
export async function enqueueRenotifications(pool: pg.Pool, now: Date): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('trailwatch-renotify'))");
    const { rowCount } = await client.query(
      `INSERT INTO notification_outbox (alert_id, event, channel_id, created_at)
       SELECT a.id, 'renotify', c.id, $2
         FROM alerts a
         JOIN notification_channels c ON c.enabled AND c.renotify_minutes IS NOT NULL
          AND (c.all_rules OR a.rule_id = ANY(c.rule_ids))
          AND array_position($1::text[], a.severity) >= array_position($1::text[], c.min_severity)
        WHERE a.state = 'open'
          AND EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.alert_id = a.id AND d.channel_id = c.id AND d.status = 'sent')
          AND NOT EXISTS (
            SELECT 1 FROM notification_deliveries d WHERE d.alert_id = a.id AND d.channel_id = c.id AND d.status <> 'muted'
               AND (d.status IN ('pending', 'retrying') OR coalesce(d.sent_at, d.updated_at) > $2::timestamptz - make_interval(mins => c.renotify_minutes)))
          AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.alert_id = a.id AND o.channel_id = c.id AND o.routed_at IS NULL)`,
      [SEVERITIES, now],
    );
    await client.query("COMMIT");
    return rowCount ?? 0;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const DELIVER_BATCH = 50;

interface ClaimedDelivery {
  id: string | number;
  alert_id: string | number;
  channel_id: string | number;
  event: OutboxEvent;
  attempts: number;
}

/** Claims up to DELIVER_BATCH due deliveries (times recorded are the pass's `now`) (leased for a little over the send timeout), sends them concurrently, records each outcome. */
async function deliverDue(ctx: NotifyContext, now: Date): Promise<{ claimed: number; sent: number; retrying: number; failed: number }> {
  const timeoutMs = ctx.config.TRAILWATCH_NOTIFY_TIMEOUT_SECONDS * 1000;
  const { rows: claimed } = await ctx.pool.query<ClaimedDelivery>(
    `UPDATE notification_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2::timestamptz + make_interval(secs => $3), updated_at = now()
      WHERE d.id IN (SELECT id FROM notification_deliveries WHERE status IN ('pending', 'retrying') AND next_attempt_at <= $2
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.alert_id, d.channel_id, d.event, d.attempts`,
    [DELIVER_BATCH, now, (timeoutMs * 2) / 1000 + 30],
  );
  const out = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return out;
  const alerts = await alertsById(ctx.pool, claimed.map((d) => Number(d.alert_id)));
  const channelRows = await ctx.pool.query(`SELECT * FROM notification_channels WHERE id = ANY($1::bigint[])`, [[...new Set(claimed.map((d) => String(d.channel_id)))]]);
  const channels = new Map(channelRows.rows.map((r) => [Number(r.id), r]));
  const key = channelSecretsKey(ctx.config);

  await Promise.all(
    claimed.map(async (d) => {
      let error: unknown = null;
      try {
        const alert = alerts.get(Number(d.alert_id));
        const row = channels.get(Number(d.channel_id));
        if (!alert || !row) throw new NotifyError("the alert or channel no longer exists", { permanent: true });
        const message = notificationMessage(alert, d.event, ctx.config.TRAILWATCH_PUBLIC_URL);
        await sendNotification(toChannel(row, key), message, { config: ctx.config, timeoutMs, deliveryId: String(d.id), awsCredentials: ctx.awsCredentials });
      } catch (e) {
        error = e;
      }
      if (error === null) {
        await ctx.pool.query(`UPDATE notification_deliveries SET status = 'sent', sent_at = $2, last_error = NULL, updated_at = $2 WHERE id = $1`, [d.id, now]);
        out.sent += 1;
        return;
      }
      const permanent = error instanceof NotifyError ? error.permanent : !(error instanceof Error) || error.name === "ZodError";
      const giveUp = permanent || d.attempts >= MAX_ATTEMPTS;
      await ctx.pool.query(
        `UPDATE notification_deliveries SET status = $2, last_error = $3, next_attempt_at = $4, updated_at = $5 WHERE id = $1`,
        [d.id, giveUp ? "failed" : "retrying", reasonOf(error), new Date(now.getTime() + (giveUp ? 0 : retryDelayMs(d.attempts))), now],
      );
      if (giveUp) out.failed += 1;
      else out.retrying += 1;
    }),
  );
  return out;
}

async function alertsById(db: Queryable, ids: number[]): Promise<Map<number, AlertSummary>> {
  const { rows } = await db.query<AlertSummary>(
    `SELECT id, rule_id AS "ruleId", rule_title AS "ruleTitle", severity, techniques, source, group_key AS "groupKey", group_values AS "groupValues",
            account_id AS "accountId", state, first_seen AS "firstSeen", last_seen AS "lastSeen", match_count AS "matchCount"
       FROM alerts WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id) }]));
}

/** The message every channel is given for `event` of `alert`. */
export function notificationMessage(alert: AlertSummary, event: NotificationMessage["event"], publicUrl: string, sentAt: Date = new Date()): NotificationMessage {
  return {
    event,
    alert: {
      id: alert.id,
      ruleId: alert.ruleId,
      ruleTitle: alert.ruleTitle,
      severity: alert.severity,
      techniques: alert.techniques,
      groupKey: alert.groupKey,
      groupValues: alert.groupValues,
      accountId: alert.accountId,
      state: alert.state,
      firstSeen: alert.firstSeen.toISOString(),
      lastSeen: alert.lastSeen.toISOString(),
      matchCount: alert.matchCount,
    },
    url: alertUrl(publicUrl, alert.id),
    sentAt: sentAt.toISOString(),
  };
}
