/**
 * Builds the S3 event notification body that Amazon S3 sends to SQS for an
 * `ObjectCreated:Put`, in AWS's exact format (event version 2.1), for local
 * servers that emit none. The key is URL-encoded the way S3 does it: form
 * encoding (space as `+`, `=` as `%3D`, UTF-8 percent-escapes) with `/` kept.
 * Format: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function s3ObjectCreatedNotification(input: {
  bucket: string;
  key: string;
  /** Bytes. */
  size: number;
  /** ETag without quotes. */
  etag: string;
  region?: string;
  /** UTC; defaults to now. */
  eventTime?: Date;
}): string {
  const region = input.region ?? "us-east-1";
  const time = input.eventTime ?? new Date();
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: region,
        eventTime: time.toISOString(),
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "AWS:AROAEXAMPLEDELIVERY:regionalDeliverySession" },
        requestParameters: { sourceIPAddress: "203.0.113.10" },
        responseElements: { "x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "trailwatch",
          bucket: { name: input.bucket, ownerIdentity: { principalId: "A3NL1KOZZKExample" }, arn: `arn:aws:s3:::${input.bucket}` },
          object: { key: encodeS3Key(input.key), size: input.size, eTag: input.etag, sequencer: time.getTime().toString(16).toUpperCase().padStart(18, "0") },
        },
      },
    ],
  });
}

/** S3's notification key encoding: form-style percent-encoding, `/` left as is. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");
}
