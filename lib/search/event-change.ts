import { SqlParams } from "../detect/compile-rule";
import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import { changeHistory, describeChange, type EventChange, type PreviousVersion } from "./describe-change";

/**
 * The change an event made (lib/search/describe-change.ts), with the policy version it replaced
 * looked up among the stored events: the latest successful event of the same account, before this one
 * (by time, then eventID), that wrote the same policy. Null when the event is no change this reads.
 */
export async function eventChange(
  event: { recipientAccountId: string; eventId: string; eventTime: Date; raw: unknown },
  db: Queryable = getPool(),
): Promise<EventChange | null> {
  const history = changeHistory(event.raw);
  if (!history) return describeChange(event.raw);
  const params = new SqlParams();
  const [account, time, id] = [params.add(event.recipientAccountId), params.add(event.eventTime), params.add(event.eventId)];
  // JSON paths travel as text[] parameters, like every value.
  const alternatives = history.candidates.map(
    (c) => `(e.event_name = ${params.add(c.eventName)} AND ${c.match.map((m) => `e.raw #>> ${params.add(m.path)}::text[] = ${params.add(m.value)}`).join(" AND ")})`,
  );
  const { rows } = await db.query(
    `SELECT e.recipient_account_id, e.event_id, e.event_name, e.event_time, e.raw
       FROM cloudtrail_events e
      WHERE e.recipient_account_id = ${account}
        AND e.event_time <= ${time}
        AND (e.event_time, e.event_id) < (${time}::timestamptz, ${id}::text)
        AND e.error_code IS NULL
        AND (${alternatives.join(" OR ")})
      ORDER BY e.event_time DESC, e.event_id DESC
      LIMIT 1`,
    params.values,
  );
  const r = rows[0];
  const previous: PreviousVersion | null = r
    ? { account: String(r.recipient_account_id), eventId: String(r.event_id), eventName: String(r.event_name), time: r.event_time as Date, raw: r.raw }
    : null;
  return describeChange(event.raw, previous);
}
