import type { CloudTrailRow } from "./types";

/**
 * Flattens one parsed CloudTrail record into the hot columns of `cloudtrail_events`.
 *
 * Field meanings: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 *
 * - `record` is the value `JSON.parse(rawText)` gave; `rawText` is the record's
 *   text as delivered, kept as `raw` (not re-serialised, so drill-down shows what
 *   AWS wrote) with every JSON escape `\u0000` replaced by `\uFFFD`, which
 *   Postgres `jsonb` cannot hold.
 * - Returns a rejection reason (a string, without the `record N:` prefix) when
 *   the record is not an object, has no string `eventID`, or has no valid
 *   `eventTime` (ISO 8601; UTC is assumed when it carries no offset, as in
 *   CloudTrail Lake results).
 * - Any other field of the wrong type (e.g. an object where a string belongs)
 *   becomes null; absent fields are null and nothing is invented (Root and
 *   AssumedRole identities usually have no `userName`; Insight events have no
 *   `userIdentity` at all).
 * - `readOnly` and `managementEvent` arrive as booleans or as strings "true"/"false"
 *   (any letter case); anything else is null.
 * - Every string column has U+0000 replaced by U+FFFD (Postgres text cannot hold it).
 * Never throws.
 */
export function normalizeRecord(record: unknown, rawText: string): CloudTrailRow | string {
  if (!isObject(record)) return `not a JSON object (it is ${describe(record)})`;

  const eventId = record.eventID;
  if (eventId === undefined || eventId === null) return "no eventID";
  if (typeof eventId !== "string") return `eventID is ${describe(eventId)}, not a string`;
  if (eventId === "") return "eventID is empty";

  const eventTime = parseEventTime(record.eventTime);
  if (typeof eventTime === "string") return eventTime;

  const identity = objectOrEmpty(record.userIdentity);
  const issuer = objectOrEmpty(objectOrEmpty(identity.sessionContext).sessionIssuer);
  const userIdentityAccountId = text(identity.accountId);

  return {
    recipientAccountId: text(record.recipientAccountId) || userIdentityAccountId || "",
    eventId: clean(eventId),
    eventTime,
    eventVersion: text(record.eventVersion),
    eventName: text(record.eventName),
    eventSource: text(record.eventSource),
    awsRegion: text(record.awsRegion),
    sourceIpAddress: text(record.sourceIPAddress),
    userAgent: text(record.userAgent),
    userIdentityType: text(identity.type),
    userIdentityArn: text(identity.arn),
    userIdentityPrincipalId: text(identity.principalId),
    userIdentityAccountId,
    userIdentityUserName: text(identity.userName),
    userIdentityAccessKeyId: text(identity.accessKeyId),
    userIdentityInvokedBy: text(identity.invokedBy),
    sessionIssuerType: text(issuer.type),
    sessionIssuerArn: text(issuer.arn),
    sessionIssuerUserName: text(issuer.userName),
    errorCode: text(record.errorCode),
    errorMessage: text(record.errorMessage),
    readOnly: bool(record.readOnly),
    eventType: text(record.eventType),
    eventCategory: text(record.eventCategory),
    managementEvent: bool(record.managementEvent),
    requestId: text(record.requestID),
    sharedEventId: text(record.sharedEventID),
    vpcEndpointId: text(record.vpcEndpointId),
    raw: rawForJsonb(rawText),
  };
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectOrEmpty(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" ? clean(value) : null;
}

/** A boolean, or its spelling as a string ("true", "False": some exporters write Python's). */
function bool(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return null;
  const lower = value.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : null;
}

function clean(value: string): string {
  return value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
}

/**
 * Replaces the JSON escape `\u0000` with `\uFFFD`, leaving `\\u0000` (an
 * escaped backslash followed by the letters `u0000`) alone: the regex consumes
 * escapes pair by pair from the left, so it never starts inside an `\\`.
 * A literal U+0000 cannot occur in valid JSON text, but is replaced too.
 */
function rawForJsonb(rawText: string): string {
  let raw = clean(rawText);
  if (raw.includes("\\u0000")) raw = raw.replace(/\\(\\|u0000)/g, (escape, what) => (what === "\\" ? escape : "\\uFFFD"));
  return raw;
}

/** `2014-03-06T21:22:54Z`, with optional fraction and offset; `T` may be a space (CloudTrail Lake). */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

function parseEventTime(value: unknown): Date | string {
  if (value === undefined || value === null) return "no eventTime";
  if (typeof value !== "string") return `eventTime is ${describe(value)}, not an ISO 8601 time`;
  const m = ISO_TIME.exec(value);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const hour = Number(m[4]);
    const minute = Number(m[5]);
    const second = Number(m[6]);
    // Checked here because Date would roll Feb 31 over to Mar 3: not what AWS wrote.
    const valid =
      month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second < 60;
    if (valid) {
      const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
      const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
      if (year < 100) date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
      const offset = m[8];
      if (offset !== undefined && offset.toUpperCase() !== "Z") {
        const digits = offset.slice(1).replace(":", "");
        const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
        date.setTime(date.getTime() - (offset.startsWith("-") ? -minutes : minutes) * 60_000);
      }
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  return `eventTime ${JSON.stringify(clean(value).slice(0, 64))} is not a valid ISO 8601 time`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}
