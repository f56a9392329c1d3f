import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import type { Actor } from "./describe-actor";
import { eventHref } from "./search-url";

/**
 * The STS call that began a temporary-credentials session (AssumeRole,
 * AssumeRoleWithSAML, AssumeRoleWithWebIdentity, GetFederationToken,
 * GetSessionToken), when it is stored: first by the session's access key id,
 * which STS returns in `responseElements.credentials.accessKeyId` (exact; an
 * expression index serves it), else by the session ARN in
 * `responseElements.assumedRoleUser.arn` within a minute of the session's
 * `creationDate`.
 */
export interface SessionStart {
  recipientAccountId: string;
  eventId: string;
  eventName: string;
  /** UTC. */
  eventTime: Date;
  href: string;
  /** Who called STS: `userIdentity.arn`, else its type (SAMLUser, WebIdentityUser…), else null. */
  caller: string | null;
  sourceIPAddress: string | null;
  /** `requestParameters.serialNumber`: the MFA device used to assume the role. */
  mfaSerial: string | null;
  /** `requestParameters.sourceIdentity`. */
  sourceIdentity: string | null;
  /** SAML / web identity: `responseElements.subject` (for IAM Identity Center, the user). */
  subject: string | null;
  /** `responseElements.provider` or `requestParameters.principalArn` (the identity provider). */
  provider: string | null;
  matchedBy: "access key" | "session ARN and creation time";
}

const SESSION_TYPES = new Set(["AssumedRole", "FederatedUser"]);

/** The call that began `actor`'s session, or null (not a session, or that call is not stored). */
export async function findSessionStart(actor: Actor, db: Queryable = getPool()): Promise<SessionStart | null> {
  if (!actor.type || !SESSION_TYPES.has(actor.type)) return null;
  const columns = `recipient_account_id, event_id, event_name, event_time, source_ip_address, user_identity_arn, user_identity_type, raw`;
  if (actor.accessKeyId) {
    // The expression must read exactly as in the index cloudtrail_events_sts_issued_key_idx.
    const { rows } = await db.query(
      `SELECT ${columns} FROM cloudtrail_events
        WHERE event_source = 'sts.amazonaws.com' AND ("raw" #>> '{responseElements,credentials,accessKeyId}') = $1 AND error_code IS NULL
        ORDER BY event_time DESC, event_id DESC LIMIT 1`,
      [actor.accessKeyId],
    );
    if (rows[0]) return toStart(rows[0], "access key");
  }
  const created = actor.sessionCreated ? new Date(actor.sessionCreated) : null;
  if (actor.arn && created && !Number.isNaN(created.getTime())) {
    const { rows } = await db.query(
      `SELECT ${columns} FROM cloudtrail_events
        WHERE event_time >= $2::timestamptz - interval '1 minute' AND event_time <= $2::timestamptz + interval '1 minute'
          AND event_source = 'sts.amazonaws.com' AND error_code IS NULL
          AND raw #>> '{responseElements,assumedRoleUser,arn}' = $1
        ORDER BY abs(extract(epoch FROM event_time - $2::timestamptz)), event_id LIMIT 1`,
      [actor.arn, created],
    );
    if (rows[0]) return toStart(rows[0], "session ARN and creation time");
  }
  return null;
}

function toStart(r: Record<string, unknown>, matchedBy: SessionStart["matchedBy"]): SessionStart {
  const raw = (r.raw ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const request = raw.requestParameters ?? {};
  const response = raw.responseElements ?? {};
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    recipientAccountId: String(r.recipient_account_id),
    eventId: String(r.event_id),
    eventName: String(r.event_name),
    eventTime: r.event_time as Date,
    href: eventHref(String(r.recipient_account_id), String(r.event_id)),
    caller: text(r.user_identity_arn) ?? text(r.user_identity_type),
    sourceIPAddress: text(r.source_ip_address),
    mfaSerial: text(request.serialNumber),
    sourceIdentity: text(request.sourceIdentity) ?? text(response.sourceIdentity),
    subject: text(response.subject),
    provider: text(response.provider) ?? text(request.principalArn),
    matchedBy,
  };
}
