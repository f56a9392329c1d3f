/** An S3 object announced by a notification, ready to fetch. */
export interface ObjectRef {
  bucket: string;
  /** The object key, URL-decoded (S3 notifications form-encode it: `+` is a space). */
  key: string;
  /** Size in bytes when the notification states it. */
  size: number | null;
  /** ETag without quotes, when the notification states it. */
  etag: string | null;
  versionId: string | null;
  sequencer: string | null;
}

/**
 * What one SQS message body means:
 * - `objects`: fetch these objects (S3 notification direct, via SNS, via EventBridge, CloudTrail's SNS message);
 * - `test`: an `s3:TestEvent` (acknowledge and record, never an error);
 * - `ignored`: understood, but announces nothing to ingest (e.g. `ObjectRemoved:*`, `Object Deleted`), with why;
 * - `rejected`: not understood; `shape` names what it looked like and `reason` says what was wrong.
 */
export type DecodedMessage =
  | { type: "objects"; shape: MessageShape; objects: ObjectRef[] }
  | { type: "test"; shape: MessageShape; bucket: string | null }
  | { type: "ignored"; shape: MessageShape; reason: string }
  | { type: "rejected"; shape: MessageShape; reason: string };

export type MessageShape =
  | "s3-notification"
  | "sns/s3-notification"
  | "sns/cloudtrail"
  | "eventbridge"
  | "s3-test-event"
  | "sns/s3-test-event"
  | "not-json"
  | "unknown";

/** What an object is, decided from its key (and, when the key says nothing, its first bytes). */
export type ObjectKind = "cloudtrail" | "cloudtrail-digest" | "cloudtrail-insight" | "vpcflow" | "unknown";
