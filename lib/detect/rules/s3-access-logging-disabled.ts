import { all, call, exists, missing, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** PutBucketLogging as S3 records it (Elastic's and Panther's samples). */
const putLogging = (status: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "s3.amazonaws.com",
    eventName: "PutBucketLogging",
    requestParameters: {
      bucketName: "critical-data-bucket",
      Host: "critical-data-bucket.s3.us-east-1.amazonaws.com",
      logging: "",
      BucketLoggingStatus: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", ...status },
    },
    responseElements: null,
    resources: [{ ARN: "arn:aws:s3:::critical-data-bucket", accountId: "111122223333", type: "AWS::S3::Bucket" }],
  });

/** An empty BucketLoggingStatus: server access logging switched off. */
const disable = putLogging({});

export default defineRule({
  id: "s3-access-logging-disabled",
  title: "S3 server access logging disabled",
  description:
    "PutBucketLogging with an empty BucketLoggingStatus (no LoggingEnabled) switches off server access logging for the bucket, the record of every object request when CloudTrail data events are not on (DETECTIONS.md B11).",
  response:
    "Check the bucket's purpose; if logging was not meant to stop, restore it with PutBucketLogging to the previous target bucket, and check the bucket's access (data events, GetObject volume) since the call.",
  severity: "high",
  techniques: ["T1562.008"],
  source: "cloudtrail",
  match: all(
    call("s3.amazonaws.com", ["PutBucketLogging"]),
    succeeded(),
    exists("requestParameters.BucketLoggingStatus"),
    missing("requestParameters.BucketLoggingStatus.LoggingEnabled"),
  ),
  examples: [
    { name: "logging disabled by an IAM user", fires: true, records: [disable] },
    { name: "logging disabled by an assumed role", fires: true, records: [{ ...disable, userIdentity: assumedRole("admin") }] },
    { name: "logging disable that failed (AccessDenied)", fires: false, records: [failed(disable)] },
    {
      name: "logging enabled to a log bucket",
      fires: false,
      records: [putLogging({ LoggingEnabled: { TargetBucket: "logging-bucket", TargetPrefix: "logs/" } })],
    },
    {
      name: "GetBucketLogging (the read-only twin)",
      fires: false,
      records: [
        cloudTrailEvent({
          eventSource: "s3.amazonaws.com",
          eventName: "GetBucketLogging",
          readOnly: true,
          requestParameters: { bucketName: "critical-data-bucket", Host: "critical-data-bucket.s3.us-east-1.amazonaws.com", logging: "" },
        }),
      ],
    },
  ],
});
