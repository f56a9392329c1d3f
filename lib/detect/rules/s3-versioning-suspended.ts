import { all, any, call, eq, isIn, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** PutBucketVersioning as S3 records it (Panther's test events). */
const putVersioning = (configuration: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "s3.amazonaws.com",
    eventName: "PutBucketVersioning",
    requestParameters: {
      bucketName: "critical-data-bucket",
      Host: "critical-data-bucket.s3.us-east-1.amazonaws.com",
      versioning: "",
      VersioningConfiguration: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", ...configuration },
    },
    responseElements: null,
    additionalEventData: { SignatureVersion: "SigV4", AuthenticationMethod: "AuthHeader", bytesTransferredIn: 127, bytesTransferredOut: 0 },
  });

const suspend = putVersioning({ Status: "Suspended" });

export default defineRule({
  id: "s3-versioning-suspended",
  title: "S3 bucket versioning suspended or MFA delete disabled",
  description:
    "Suspending versioning, or turning off MFA delete, lets overwritten and deleted objects be lost for good: the usual preparation for ransomware or destructive deletion in S3 (DETECTIONS.md B10).",
  response:
    "Check whether the bucket holds data that must be recoverable; if the change was not planned, re-enable versioning (and MFA delete where used), then look for object deletions or overwrites in the bucket since the call.",
  severity: "medium",
  techniques: ["T1490"],
  source: "cloudtrail",
  match: all(
    call("s3.amazonaws.com", ["PutBucketVersioning"]),
    succeeded(),
    any(
      // "Disabled" is not a documented Status, but Panther tests it; harmless to catch.
      isIn("requestParameters.VersioningConfiguration.Status", ["Suspended", "Disabled"]),
      eq("requestParameters.VersioningConfiguration.MfaDelete", "Disabled"),
    ),
  ),
  examples: [
    { name: "versioning suspended by an IAM user", fires: true, records: [suspend] },
    { name: "MFA delete disabled by an assumed role", fires: true, records: [{ ...putVersioning({ Status: "Enabled", MfaDelete: "Disabled" }), userIdentity: assumedRole("admin") }] },
    { name: "versioning suspension that failed (AccessDenied)", fires: false, records: [failed(suspend)] },
    { name: "versioning enabled (Status=Enabled)", fires: false, records: [putVersioning({ Status: "Enabled" })] },
    { name: "versioning enabled with MFA delete enabled", fires: false, records: [putVersioning({ Status: "Enabled", MfaDelete: "Enabled" })] },
  ],
});
