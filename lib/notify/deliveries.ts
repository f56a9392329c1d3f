import type { Queryable } from "../db/queryable";
import type { DeliveryStatus } from "./process-notifications";

/** One notification attempt record as the UI shows it. Times are UTC. */
export interface DeliveryRecord {
  id: number;
  alertId: number;
  channelId: number;
  channelName: string;
  channelKind: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** When it will be tried again (retrying only). */
  nextAttemptAt: Date | null;
}

/** Deliveries of one alert or one channel (or all), newest first, at most `limit` (default 100). */
export async function listDeliveries(db: Queryable, filter: { alertId?: number; channelId?: number; limit?: number } = {}): Promise<DeliveryRecord[]> {
  const { rows } = await db.query<DeliveryRecord>(
    `SELECT d.id::int AS id, d.alert_id::int AS "alertId", d.channel_id::int AS "channelId", c.name AS "channelName", c.kind AS "channelKind",
            d.event, d.status, d.attempts, d.last_error AS "lastError", d.created_at AS "createdAt", d.sent_at AS "sentAt",
            CASE WHEN d.status = 'retrying' THEN d.next_attempt_at END AS "nextAttemptAt"
       FROM notification_deliveries d JOIN notification_channels c ON c.id = d.channel_id
      WHERE ($1::bigint IS NULL OR d.alert_id = $1) AND ($2::bigint IS NULL OR d.channel_id = $2)
      ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
    [filter.alertId ?? null, filter.channelId ?? null, filter.limit ?? 100],
  );
  return rows;
}
