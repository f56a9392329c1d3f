import { all, any, contains, eq, isIn, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const BUCKET = "example-bucket";
const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

const s3Call = (eventName: string, requestParameters: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "s3.amazonaws.com",
    eventName,
    userIdentity: assumedRole("admin"),
    requestParameters: { bucketName: BUCKET, Host: `${BUCKET}.s3.us-east-1.amazonaws.com`, ...requestParameters },
    responseElements: null,
    resources: [{ ARN: `arn:aws:s3:::${BUCKET}`, accountId: "111122223333", type: "AWS::S3::Bucket" }],
  });

/** PutBucketPolicy: CloudTrail records the policy parsed, as a JSON object (Panther's test events). */
const putPolicy = (statements: ExampleRecord[]) => s3Call("PutBucketPolicy", { policy: "", bucketPolicy: { Version: "2012-10-17", Statement: statements } });

const publicRead = putPolicy([
  { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` },
]);

const putAcl = (requestParameters: ExampleRecord) => s3Call("PutBucketAcl", { acl: "", ...requestParameters });

const PAB = "requestParameters.PublicAccessBlockConfiguration";
/** A policy principal of everyone: `"*"` or `{"AWS": "*"}`. Also the policy as a JSON string, in case a record carries it that way. */
const principalEveryone = any(
  eq("requestParameters.bucketPolicy.Statement.Principal", "*"),
  eq("requestParameters.bucketPolicy.Statement.Principal.AWS", "*"),
  contains("requestParameters.bucketPolicy", ['"Principal":"*"', '"AWS":"*"', '"AWS":["*"]']),
);
const allowStatement = any(eq("requestParameters.bucketPolicy.Statement.Effect", "Allow"), contains("requestParameters.bucketPolicy", '"Effect":"Allow"'));
const GRANT_HEADERS = ["x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"];

export default defineRule({
  id: "s3-bucket-made-public",
  title: "S3 bucket made public or its public access block removed",
  description:
    "A bucket policy allowing Principal \"*\", an ACL granting AllUsers or AuthenticatedUsers (canned public-read, public-read-write, authenticated-read, a Grant or an x-amz-grant header), or a removed or weakened Block Public Access setting (bucket or account) exposes data to the internet (DETECTIONS.md B12). Noisy: the engine cannot tie a statement's Principal to its own Effect or Condition, so a policy that allows a named principal and separately denies \"*\" (e.g. deny without TLS), or grants \"*\" only under an aws:SourceVpc / aws:PrincipalOrgID condition, also fires; allow-list the roles that deploy such policies.",
  response:
    "Read the bucket policy, ACL and Block Public Access now (GetBucketPolicyStatus tells whether it is public); if the exposure is not intended, restore Block Public Access, then check the bucket's data-event or access logs for outside reads since the call.",
  severity: "high",
  techniques: ["T1530"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "s3.amazonaws.com"),
    succeeded(),
    any(
      all(eq("eventName", "PutBucketPolicy"), principalEveryone, allowStatement),
      all(
        eq("eventName", "PutBucketAcl"),
        any(
          isIn("requestParameters.x-amz-acl", ["public-read", "public-read-write", "authenticated-read"]),
          isIn("requestParameters.AccessControlPolicy.AccessControlList.Grant.Grantee.URI", [ALL_USERS, AUTHENTICATED_USERS]),
          ...GRANT_HEADERS.map((h) => contains(`requestParameters.${h}`, ["acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers"])),
        ),
      ),
      isIn("eventName", ["DeleteBucketPublicAccessBlock", "DeleteAccountPublicAccessBlock"]),
      all(
        isIn("eventName", ["PutBucketPublicAccessBlock", "PutAccountPublicAccessBlock"]),
        any(
          eq(`${PAB}.BlockPublicAcls`, false),
          eq(`${PAB}.IgnorePublicAcls`, false),
          eq(`${PAB}.BlockPublicPolicy`, false),
          eq(`${PAB}.RestrictPublicBuckets`, false),
        ),
      ),
    ),
  ),
  examples: [
    { name: "bucket policy allowing Principal * to GetObject", fires: true, records: [publicRead] },
    {
      name: "bucket policy allowing {AWS: *} (Panther's test)",
      fires: true,
      records: [putPolicy([{ Sid: "Public Access", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${BUCKET}` }])],
    },
    {
      name: "ACL granting AllUsers READ",
      fires: true,
      records: [
        putAcl({
          AccessControlPolicy: {
            xmlns: "http://s3.amazonaws.com/doc/2006-03-01/",
            Owner: { ID: "d25639fbe9c19cd30a4c0f43fbf00e2d3f96400a9aa8dabfbbebe1906Example" },
            AccessControlList: {
              Grant: [
                { Grantee: { "xsi:type": "CanonicalUser", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", ID: "d25639fbe9c19cd30a4c0f43fbf00e2d3f96400a9aa8dabfbbebe1906Example" }, Permission: "FULL_CONTROL" },
                { Grantee: { "xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", URI: ALL_USERS }, Permission: "READ" },
              ],
            },
          },
        }),
      ],
    },
    { name: "canned ACL public-read", fires: true, records: [putAcl({ "x-amz-acl": ["public-read"] })] },
    { name: "DeleteBucketPublicAccessBlock", fires: true, records: [s3Call("DeleteBucketPublicAccessBlock", { publicAccessBlock: "" })] },
    {
      name: "PutBucketPublicAccessBlock turning the block off",
      fires: true,
      records: [
        s3Call("PutBucketPublicAccessBlock", {
          publicAccessBlock: "",
          PublicAccessBlockConfiguration: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", RestrictPublicBuckets: false, BlockPublicPolicy: false, BlockPublicAcls: false, IgnorePublicAcls: false },
        }),
      ],
    },
    { name: "public bucket policy that failed (AccessDenied)", fires: false, records: [failed(publicRead)] },
    {
      name: "bucket policy for a service principal only",
      fires: false,
      records: [
        putPolicy([
          { Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${BUCKET}` },
        ]),
      ],
    },
    { name: "canned ACL private", fires: false, records: [putAcl({ "x-amz-acl": ["private"] })] },
    {
      name: "PutBucketPublicAccessBlock turning the block on",
      fires: false,
      records: [
        s3Call("PutBucketPublicAccessBlock", {
          publicAccessBlock: "",
          PublicAccessBlockConfiguration: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", RestrictPublicBuckets: true, BlockPublicPolicy: true, BlockPublicAcls: true, IgnorePublicAcls: true },
        }),
      ],
    },
    { name: "DeleteBucketPublicAccessBlock that failed (AccessDenied)", fires: false, records: [failed(s3Call("DeleteBucketPublicAccessBlock", { publicAccessBlock: "" }))] },
  ],
});
