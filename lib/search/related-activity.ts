import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import type { Actor } from "./describe-actor";
import { parseSearch } from "./parse-search";
import { searchCount } from "./search-records";
import { eventSearchHref, exactValue, searchParams, type SearchLink } from "./search-url";

/**
 * Pivots from one event: the same actor, access key, session, role and source IP
 * within ±1 hour, each as a search link (lib/search/search-url.ts) with the number
 * of events that search finds. The count runs the very search the link opens, so
 * the two always agree.
 */

export type RelatedKey = "actor" | "accessKey" | "session" | "role" | "sourceIp";

export interface RelatedLink {
  key: RelatedKey;
  /** e.g. "Same access key". */
  label: string;
  /** The value pivoted on (attacker-controlled text). */
  value: string;
  href: string;
  /** Events the link lists, this one included. */
  count: number;
}

/** Half-width of the window around the event, ms. */
export const RELATED_WINDOW_MS = 3_600_000;

export async function relatedActivity(
  event: { eventTime: Date; sourceIPAddress: string | null },
  actor: Actor,
  db: Queryable = getPool(),
): Promise<RelatedLink[]> {
  const from = new Date(event.eventTime.getTime() - RELATED_WINDOW_MS);
  const to = new Date(event.eventTime.getTime() + RELATED_WINDOW_MS);
  const pivots: { key: RelatedKey; label: string; value: string; include: NonNullable<SearchLink["include"]> }[] = [];
  if (actor.arn) pivots.push({ key: "actor", label: "Same actor", value: actor.arn, include: { "userIdentity.arn": exactValue(actor.arn) } });
  if (actor.accessKeyId) pivots.push({ key: "accessKey", label: "Same access key", value: actor.accessKeyId, include: { "userIdentity.accessKeyId": exactValue(actor.accessKeyId) } });
  if (actor.arn && actor.sessionCreated) {
    pivots.push({
      key: "session",
      label: "Same session",
      value: `${actor.sessionName ?? actor.name}, began ${actor.sessionCreated}`,
      include: { "userIdentity.arn": exactValue(actor.arn), "userIdentity.sessionContext.attributes.creationDate": exactValue(actor.sessionCreated) },
    });
  }
  if (actor.role?.arn) pivots.push({ key: "role", label: "Same role (any session)", value: actor.role.arn, include: { "userIdentity.sessionContext.sessionIssuer.arn": exactValue(actor.role.arn) } });
  if (event.sourceIPAddress) pivots.push({ key: "sourceIp", label: "Same source IP", value: event.sourceIPAddress, include: { sourceIPAddress: exactValue(event.sourceIPAddress) } });
  return Promise.all(
    pivots.map(async (p) => {
      const link: SearchLink = { from, to, include: p.include };
      const count = await searchCount(parseSearch("cloudtrail", searchParams(link)), db);
      return { key: p.key, label: p.label, value: p.value, href: eventSearchHref(link), count };
    }),
  );
}
