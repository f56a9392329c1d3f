import { SERVICE_LINKED_ROLES, all, call, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const BUCKET = "example-bucket";

const s3 = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "s3.amazonaws.com",
    eventName,
    requestParameters: { bucketName: BUCKET, Host: `${BUCKET}.s3.us-east-1.amazonaws.com`, ...requestParameters },
    responseElements: null,
    additionalEventData: { SignatureVersion: "SigV4", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: 0, AuthenticationMethod: "AuthHeader", "x-amz-id-2": "EXAMPLE123=" },
    resources: [{ accountId: "111122223333", type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${BUCKET}` }],
    ...fields,
  });

const putBucketPolicy = s3("PutBucketPolicy", {
  policy: "",
  bucketPolicy: {
    Version: "2012-10-17",
    Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
  },
});

export default defineRule({
  id: "cis-08-s3-bucket-policy-changes",
  title: "S3 bucket policy, ACL, CORS, lifecycle or replication changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.8: a bucket's policy, ACL, CORS, lifecycle or replication configuration was put or deleted. These decide who can read a bucket, where its objects are copied and when they expire, so an unplanned change can expose, exfiltrate or destroy data. Noisy: infrastructure-as-code and CI roles apply bucket settings on every deploy; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy, service-linked roles).",
  response:
    "Read the new configuration in the event (public principals, foreign accounts, replication destination, short expirations) and whether a reviewed deployment made it; if not, restore the previous configuration and check the bucket's access since.",
  severity: "medium",
  techniques: ["T1530", "T1537", "T1485"],
  source: "cloudtrail",
  match: all(
    call("s3.amazonaws.com", [
      "PutBucketAcl",
      "PutBucketPolicy",
      "PutBucketCors",
      "PutBucketLifecycle",
      "PutBucketReplication",
      "DeleteBucketPolicy",
      "DeleteBucketCors",
      "DeleteBucketLifecycle",
      "DeleteBucketReplication",
    ]),
    succeeded(),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "bucket policy granting public read", fires: true, records: [putBucketPolicy] },
    {
      name: "lifecycle rule expiring everything after a day",
      fires: true,
      records: [
        s3("PutBucketLifecycle", {
          lifecycle: "",
          LifecycleConfiguration: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", Rule: { ID: "expire-all", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 1 } } },
        }, { userIdentity: assumedRole("admin") }),
      ],
    },
    { name: "replication configuration deleted", fires: true, records: [s3("DeleteBucketReplication", { replication: "" })] },
    { name: "PutBucketPolicy that failed (AccessDenied)", fires: false, records: [failed(putBucketPolicy, "AccessDenied", "Access Denied")] },
    { name: "GetBucketPolicy (the read-only twin)", fires: false, records: [s3("GetBucketPolicy", { policy: "" }, { readOnly: true })] },
    { name: "PutBucketTagging (not a CIS-watched setting)", fires: false, records: [s3("PutBucketTagging", { tagging: "", Tagging: { TagSet: { Tag: { Key: "team", Value: "data" } } } })] },
  ],
});
