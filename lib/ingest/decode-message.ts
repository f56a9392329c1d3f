import { z } from "zod";
import type { DecodedMessage, MessageShape, ObjectRef } from "./types";

/*
 * Schemas of the message bodies an ingest queue receives. Each validates only
 * the fields we use: AWS adds fields in minor versions and asks consumers to
 * ignore them (notification-content-structure.html, "eventVersion").
 */

/** S3 event notification: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html */
const s3NotificationSchema = z.object({ Records: z.array(z.unknown()) });

/** The part of a record read before deciding whether the record announces an object. */
const s3RecordHeadSchema = z.object({
  eventVersion: z.string(),
  eventSource: z.string(),
  eventName: z.string(),
});

const s3ObjectCreatedRecordSchema = z.object({
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      // The docs template says "null" when the bucket is not versioned; real messages omit it.
      versionId: z.string().nullish(),
      sequencer: z.string().optional(),
    }),
  }),
});

/** Sent once when a notification configuration is saved (same page, "test message"). */
const s3TestEventSchema = z.object({
  Service: z.literal("Amazon S3"),
  Event: z.literal("s3:TestEvent"),
  Bucket: z.string().optional(),
});

/** SNS → SQS envelope: https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html */
const snsEnvelopeSchema = z.object({
  Type: z.string(),
  TopicArn: z.string(),
  Message: z.string(),
});

/** CloudTrail's own notification: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html */
const cloudTrailNotificationSchema = z.object({
  s3Bucket: z.string().min(1),
  s3ObjectKey: z.array(z.string().min(1)),
});

/** S3 event via EventBridge: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html */
const eventBridgeEventSchema = z.object({
  source: z.string(),
  "detail-type": z.string(),
  detail: z.object({
    version: z.string().optional(),
    "event-version": z.string().optional(),
  }),
});

const eventBridgeObjectSchema = z.object({
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
      "version-id": z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

type Json = Record<string, unknown>;

/**
 * Decodes one SQS message body (the `Body` that `sqs:ReceiveMessage` returns)
 * into the S3 objects it announces. Pure; never throws: anything it cannot
 * understand comes back as `rejected` with a reason a person can act on.
 *
 * Shapes (`DecodedMessage.shape`):
 * - `s3-notification`: `{"Records":[{eventSource:"aws:s3", eventVersion:"2.x", eventName, s3:{bucket:{name}, object:{key,size,eTag,versionId,sequencer}}}]}`,
 *   sent to SQS directly or through SNS with raw message delivery
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 *   Only `ObjectCreated:*` records announce objects; a message with none is `ignored`.
 *   Keys are form-URL-encoded (`+` is a space) and are decoded.
 * - `sns/s3-notification`: the same as the JSON *string* `Message` of an SNS envelope
 *   (`{"Type":"Notification","TopicArn",…,"Message":"…"}`).
 * - `eventbridge`: `{"source":"aws.s3","detail-type":"Object Created","detail":{bucket:{name}, object:{key,size,etag,"version-id",sequencer}}}`
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html); other detail types are `ignored`;
 *   `detail.version` other than "0" or `detail["event-version"]` other than 1.x is `rejected`.
 *   Keys are form-decoded like notification keys (the page is silent; see the comment in the code for why).
 * - `sns/cloudtrail`: CloudTrail's own notification `{"s3Bucket":"…","s3ObjectKey":["…",…]}`, as an SNS
 *   `Message` or raw (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html);
 *   its keys are plain text, used verbatim.
 * - `s3-test-event` / `sns/s3-test-event`: `{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":…}` → `test`.
 * - `not-json` / `unknown`: `rejected`, including Lambda event-source wrappers
 *   (`{"Records":[{messageId, body, eventSource:"aws:sqs"}]}`), which are what a Lambda receives, not an SQS body.
 *
 * Objects are returned in message order without exact duplicates (same bucket, key, version and ETag).
 * Sizes are bytes; ETags lose surrounding quotes.
 */
export function decodeMessage(body: string): DecodedMessage {
  try {
    return decodeBody(body);
  } catch (error) {
    // Every branch below is written not to throw; this keeps the contract if one does.
    return rejected("unknown", `decoder failed unexpectedly (${String(error)}); this is a Trailwatch bug — keep the message and report it`);
  }
}

function decodeBody(body: string): DecodedMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return rejected("not-json", `message body is not JSON: ${preview(body)}`);
  }
  if (!isObject(value)) {
    return rejected("unknown", `message body is JSON but not an object: ${preview(body)}`);
  }

  if (Array.isArray(value.Records) && value.Records.some(isLambdaRecord)) {
    return rejected("unknown", lambdaWrapperReason(value.Records));
  }
  if ("Records" in value) return decodeS3Notification(value, "s3-notification");
  if ("TopicArn" in value && "Type" in value) return decodeSnsEnvelope(value);
  if ("detail-type" in value && "source" in value) return decodeEventBridge(value);
  if ("Event" in value && "Service" in value) return decodeTestEvent(value, "s3-test-event");
  // SNS raw message delivery hands CloudTrail's notification over without the envelope.
  if ("s3ObjectKey" in value || "s3Bucket" in value) return decodeCloudTrailNotification(value);

  return rejected(
    "unknown",
    `not an S3 event notification, SNS notification, S3 EventBridge event, s3:TestEvent or CloudTrail notification (top-level fields: ${fieldList(value)}); check what publishes to this queue`,
  );
}

function decodeSnsEnvelope(envelope: Json): DecodedMessage {
  const parsed = snsEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    return rejected("unknown", `SNS envelope without the fields we need (${issues(parsed.error)}); fields present: ${fieldList(envelope)}`);
  }
  const { Type: type, TopicArn: topic, Message: message } = parsed.data;
  if (type !== "Notification") {
    // E.g. SubscriptionConfirmation, sent once when a queue in another account subscribes.
    return rejected("unknown", `SNS ${type} message from ${topic}, not a Notification; if it is a SubscriptionConfirmation, confirm the subscription (SubscribeURL) and this message can be deleted`);
  }

  let inner: unknown;
  try {
    inner = JSON.parse(message);
  } catch {
    return rejected("unknown", `SNS notification from ${topic} carries a Message that is not JSON: ${preview(message)}; only S3 and CloudTrail notifications belong on this queue`);
  }
  if (isObject(inner)) {
    if ("Records" in inner) return decodeS3Notification(inner, "sns/s3-notification");
    if ("Event" in inner && "Service" in inner) return decodeTestEvent(inner, "sns/s3-test-event");
    if ("s3ObjectKey" in inner || "s3Bucket" in inner) return decodeCloudTrailNotification(inner);
  }
  return rejected(
    "unknown",
    `SNS notification from ${topic} carries a Message that is neither an S3 event notification, an s3:TestEvent nor a CloudTrail s3ObjectKey notification (${isObject(inner) ? `fields: ${fieldList(inner)}` : preview(message)}); check what publishes to that topic`,
  );
}

function decodeS3Notification(value: Json, shape: MessageShape): DecodedMessage {
  const parsed = s3NotificationSchema.safeParse(value);
  if (!parsed.success) return rejected(shape, `S3 event notification with malformed Records (${issues(parsed.error)})`);
  const records = parsed.data.Records;
  if (records.length === 0) return rejected(shape, "S3 event notification with an empty Records array: nothing to ingest and not a shape S3 sends");

  const objects: ObjectRef[] = [];
  const otherEvents: string[] = [];
  for (const [i, record] of records.entries()) {
    const head = s3RecordHeadSchema.safeParse(record);
    if (!head.success) return rejected(shape, `Records[${i}] is not an S3 event record (${issues(head.error)})`);
    const { eventSource, eventVersion, eventName } = head.data;
    if (eventSource !== "aws:s3") {
      return rejected(shape, `Records[${i}].eventSource is ${JSON.stringify(eventSource)}, expected "aws:s3": this is not an S3 event notification`);
    }
    // AWS: "do an equal-to comparison on the major version number" (notification-content-structure.html).
    if (majorVersion(eventVersion) !== "2") {
      return rejected(shape, `Records[${i}].eventVersion ${JSON.stringify(eventVersion)} is not supported (only 2.x); S3 changed the event structure incompatibly — update decode-message.ts`);
    }
    if (!eventName.startsWith("ObjectCreated:")) {
      otherEvents.push(eventName);
      continue;
    }
    const full = s3ObjectCreatedRecordSchema.safeParse(record);
    if (!full.success) return rejected(shape, `Records[${i}] (${eventName}) lacks what we need to fetch the object (${issues(full.error)})`);
    const { bucket, object } = full.data.s3;
    const key = formDecodeKey(object.key);
    if (!key.ok) return rejected(shape, `Records[${i}]: ${key.reason}`);
    objects.push({
      bucket: bucket.name,
      key: key.key,
      size: object.size ?? null,
      etag: cleanEtag(object.eTag),
      versionId: object.versionId ?? null,
      sequencer: object.sequencer ?? null,
    });
  }

  if (objects.length === 0) {
    return {
      type: "ignored",
      shape,
      reason: `no ObjectCreated:* record (got ${[...new Set(otherEvents)].join(", ")}); only ObjectCreated:* announces objects to ingest — the bucket's notification configuration can be narrowed to s3:ObjectCreated:*`,
    };
  }
  return { type: "objects", shape, objects: unique(objects) };
}

function decodeEventBridge(value: Json): DecodedMessage {
  const parsed = eventBridgeEventSchema.safeParse(value);
  if (!parsed.success) return rejected("eventbridge", `EventBridge event without the fields we need (${issues(parsed.error)})`);
  const { source, "detail-type": detailType, detail } = parsed.data;
  if (source !== "aws.s3") {
    return rejected(
      "eventbridge",
      `EventBridge event from ${JSON.stringify(source)} (detail-type ${JSON.stringify(detailType)}); only aws.s3 events announce objects — narrow the EventBridge rule to {"source":["aws.s3"],"detail-type":["Object Created"]}`,
    );
  }
  // ev-events.html: detail.version is "Currently 0 (zero) for all events"; newer pages add
  // detail["event-version"] for schema changes. As with S3's eventVersion we accept only the
  // major version we were written for (1.x, or none in events that predate the field) and
  // reject the rest loudly: guessing at a changed structure could fetch the wrong key.
  if (detail.version !== undefined && detail.version !== "0") {
    return rejected("eventbridge", `S3 EventBridge detail.version ${JSON.stringify(detail.version)} is not supported (only "0"); update decode-message.ts`);
  }
  const eventVersion = detail["event-version"];
  if (eventVersion !== undefined && majorVersion(eventVersion) !== "1") {
    return rejected("eventbridge", `S3 EventBridge detail["event-version"] ${JSON.stringify(eventVersion)} is not supported (only 1.x); S3 changed the event structure incompatibly — update decode-message.ts`);
  }
  if (detailType !== "Object Created") {
    return { type: "ignored", shape: "eventbridge", reason: `EventBridge ${JSON.stringify(detailType)} event; only "Object Created" announces objects to ingest — the EventBridge rule can be narrowed to "Object Created"` };
  }

  const object = eventBridgeObjectSchema.safeParse(value);
  if (!object.success) return rejected("eventbridge", `EventBridge "Object Created" event lacks what we need to fetch the object (${issues(object.error)})`);
  const { bucket, object: o } = object.data.detail;
  // EventBridge keys are decoded like notification keys. ev-events.html does not say how
  // detail.object.key is encoded; AWS's own Powertools for Lambda (Python,
  // S3EventBridgeNotificationObject.key) applies unquote_plus to it, and LocalStack, whose S3
  // notifications are snapshot-tested against AWS, URL-quotes it as for SQS. boogy/cloudtrail-rs
  // (its fixture eventbridge-object-created-plus-key.json) assumes verbatim keys instead. Decoding
  // is the safe side for the keys we ingest: the parts AWS writes (AWSLogs/…, file names) never
  // contain "+" or "%", while Hive-style flow-log keys contain "=" that an encoding S3 sends as "%3D".
  // Only a bucket prefix chosen with a literal "+" or "%" would be misread, and GetObject then fails
  // loudly (NoSuchKey in the ledger) rather than losing data silently.
  const key = formDecodeKey(o.key);
  if (!key.ok) return rejected("eventbridge", key.reason);
  return {
    type: "objects",
    shape: "eventbridge",
    objects: [
      {
        bucket: bucket.name,
        key: key.key,
        size: o.size ?? null,
        etag: cleanEtag(o.etag),
        versionId: o["version-id"] ?? null,
        sequencer: o.sequencer ?? null,
      },
    ],
  };
}

function decodeCloudTrailNotification(value: Json): DecodedMessage {
  const parsed = cloudTrailNotificationSchema.safeParse(value);
  if (!parsed.success) return rejected("sns/cloudtrail", `CloudTrail notification without a usable s3Bucket and s3ObjectKey list (${issues(parsed.error)})`);
  const { s3Bucket: bucket, s3ObjectKey: keys } = parsed.data;
  if (keys.length === 0) return rejected("sns/cloudtrail", `CloudTrail notification for bucket ${bucket} lists no s3ObjectKey: nothing to fetch`);
  // CloudTrail writes these keys as plain text (configure-sns-notifications-for-cloudtrail.html): no URL-decoding.
  const objects = keys.map((key) => ({ bucket, key, size: null, etag: null, versionId: null, sequencer: null }));
  return { type: "objects", shape: "sns/cloudtrail", objects: unique(objects) };
}

function decodeTestEvent(value: Json, shape: MessageShape): DecodedMessage {
  const parsed = s3TestEventSchema.safeParse(value);
  if (!parsed.success) {
    return rejected(shape, `has Service/Event fields but is not an S3 s3:TestEvent (${issues(parsed.error)})`);
  }
  return { type: "test", shape, bucket: parsed.data.Bucket ?? null };
}

/**
 * S3 writes notification keys form-URL-encoded ("red flower.jpg" → "red+flower.jpg",
 * "=" → "%3D", UTF-8 percent-encoded): `+` becomes a space first, then percent-decoding.
 */
function formDecodeKey(raw: string): { ok: true; key: string } | { ok: false; reason: string } {
  let key: string;
  try {
    key = decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return { ok: false, reason: `object key ${JSON.stringify(raw)} is not valid URL encoding (a "%" not followed by two hex digits, or not UTF-8); S3 would not send it — check what produced this message` };
  }
  return { ok: true, key };
}

function isLambdaRecord(record: unknown): boolean {
  if (!isObject(record)) return false;
  return record.eventSource === "aws:sqs" || record.EventSource === "aws:sns" || "Sns" in record || ("messageId" in record && "body" in record);
}

function lambdaWrapperReason(records: unknown[]): string {
  const sns = records.some((r) => isObject(r) && (r.EventSource === "aws:sns" || "Sns" in r));
  return sns
    ? "this is a Lambda SNS event (Records[].Sns): what a Lambda function receives from an SNS trigger, not an SQS message body; an SQS subscription delivers the Sns object itself as the body"
    : "this is a Lambda SQS event (Records[] with messageId and body): what a Lambda function receives from an SQS event source mapping, not an SQS message body; decode each Records[].body instead";
}

function majorVersion(version: string): string {
  return version.split(".")[0] ?? "";
}

function cleanEtag(etag: string | undefined): string | null {
  if (etag === undefined) return null;
  const bare = etag.replace(/^"(.*)"$/, "$1");
  return bare === "" ? null : bare;
}

/** Drops exact repeats (CloudTrail's notification may list a key twice): one message, one fetch per object. */
function unique(objects: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const id = JSON.stringify([o.bucket, o.key, o.versionId, o.etag]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function rejected(shape: MessageShape, reason: string): DecodedMessage {
  return { type: "rejected", shape, reason };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldList(value: Json): string {
  const keys = Object.keys(value);
  const shown = keys.slice(0, 10).join(", ");
  return keys.length === 0 ? "none" : keys.length > 10 ? `${shown}, …` : shown;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? pathText(issue.path) : "body"}: ${issue.message}`)
    .join("; ");
}

function pathText(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}
