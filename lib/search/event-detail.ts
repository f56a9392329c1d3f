import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import { describeActor, type Actor } from "./describe-actor";
import type { EventChange } from "./describe-change";
import { eventChange } from "./event-change";
import { getEvent, type StoredEvent } from "./get-event";
import { relatedActivity, type RelatedLink } from "./related-activity";
import { NO_ACCOUNT_SEGMENT } from "./search-url";
import { findSessionStart, type SessionStart } from "./session-start";
import { summarizeEvent } from "./summarize-event";

/** Everything the page of one event shows (and GET /api/events/<account>/<eventID> returns). */
export interface EventDetail {
  event: StoredEvent;
  /** One plain-language sentence (lib/search/summarize-event.ts). */
  summary: string;
  actor: Actor;
  /** The STS call that began the actor's session, when stored. */
  sessionStart: SessionStart | null;
  /** The permission or exposure change the event made, in words; null for other events. */
  change: EventChange | null;
  /** Same actor / key / session / role / source IP within ±1 hour, as search links with counts. */
  related: RelatedLink[];
}

/**
 * The detail of one CloudTrail event, or null when no event has this key. `recipientAccountId` may be
 * the URL's `-` for events stored without one.
 */
export async function eventDetail(recipientAccountId: string, eventId: string, db: Queryable = getPool()): Promise<EventDetail | null> {
  const account = recipientAccountId === NO_ACCOUNT_SEGMENT ? "" : recipientAccountId;
  const event = await getEvent(account, eventId, db);
  if (!event) return null;
  const actor = describeActor(event.raw);
  const sourceIp = typeof event.fields.sourceIPAddress === "string" ? event.fields.sourceIPAddress : null;
  const [sessionStart, change, related] = await Promise.all([
    findSessionStart(actor, db),
    eventChange(event, db),
    relatedActivity({ eventTime: event.eventTime, sourceIPAddress: sourceIp }, actor, db),
  ]);
  return { event, summary: summarizeEvent(event.raw), actor, sessionStart, change, related };
}
