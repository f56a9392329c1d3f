// CloudTrail records for the search and event-page browser tests (e2e/search.spec.ts), delivered by
// e2e/stack.ts through S3 + SQS like every other object. Times are minutes before the stack's `end`.
import { gzipSync } from "node:zlib";

export const SEARCH_FIXTURE = {
  account: "111122223333",
  aliceArn: "arn:aws:iam::111122223333:user/e2e-alice",
  aliceKey: "AKIAE2EALICE00000001",
  aliceIp: "198.51.100.77",
  policyName: "e2e-reports",
  /** The second PutUserPolicy: adds iam:PassRole, drops the Deny of s3:DeleteObject. */
  putPolicyV2: "e2e-put-user-policy-2",
  sessionEvent: "e2e-session-describe",
  ssoEvent: "e2e-sso-list-buckets",
  xssEvent: "e2e-xss-1",
  xssUserAgent: "<img src=x onerror=alert(1)>",
  xssBucket: "<script>alert(2)</script>",
} as const;

/** The fixture file as an S3 object of the stack (same shape as the demo's objects). */
export function searchFixtureObject(end: Date): { key: string; body: Buffer; kind: "cloudtrail"; records: number } {
  const f = SEARCH_FIXTURE;
  const at = (minutesBefore: number) => new Date(end.getTime() - minutesBefore * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const alice = { type: "IAMUser", principalId: "AIDAE2EALICE", arn: f.aliceArn, accountId: f.account, accessKeyId: f.aliceKey, userName: "e2e-alice" };
  const base = (id: string, minutesBefore: number, identity: object) => ({
    eventVersion: "1.09", eventID: id, eventTime: at(minutesBefore), awsRegion: "us-east-1", recipientAccountId: f.account,
    eventType: "AwsApiCall", managementEvent: true, eventCategory: "Management", requestID: `req-${id}`, userIdentity: identity,
  });
  const byAlice = (id: string, minutesBefore: number, source: string, name: string, readOnly: boolean, request: object | null, response: object | null = null) => ({
    ...base(id, minutesBefore, alice), eventSource: source, eventName: name, readOnly, sourceIPAddress: f.aliceIp,
    userAgent: `aws-cli/2.17.0 md/command#${source.split(".")[0]}.${name}`, requestParameters: request, responseElements: response,
  });
  const v1 = { Version: "2012-10-17", Statement: [
    { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::e2e-reports/*" },
    { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
  ] };
  const v2 = { Version: "2012-10-17", Statement: [
    { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::e2e-reports/*" },
    { Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
  ] };
  const sessionArn = "arn:aws:sts::111122223333:assumed-role/e2e-deployer/alice-deploy";
  const session = {
    type: "AssumedRole", principalId: "AROAE2EDEPLOYER:alice-deploy", arn: sessionArn, accountId: f.account, accessKeyId: "ASIAE2ESESSION000001",
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: "AROAE2EDEPLOYER", arn: "arn:aws:iam::111122223333:role/e2e-deployer", accountId: f.account, userName: "e2e-deployer" },
      attributes: { creationDate: at(50), mfaAuthenticated: "true" }, sourceIdentity: "alice@example.com",
    },
  };
  const sso = {
    type: "AssumedRole", principalId: "AROAE2ESSO:jane@example.com", arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DevAdmin_0123456789abcdef/jane@example.com",
    accountId: f.account, accessKeyId: "ASIAE2ESSO0000000001",
    sessionContext: { sessionIssuer: { type: "Role", principalId: "AROAE2ESSO", arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DevAdmin_0123456789abcdef", accountId: f.account, userName: "AWSReservedSSO_DevAdmin_0123456789abcdef" }, attributes: { creationDate: at(48), mfaAuthenticated: "false" } },
  };
  const records = [
    byAlice("e2e-assume-role", 50, "sts.amazonaws.com", "AssumeRole", true,
      { roleArn: "arn:aws:iam::111122223333:role/e2e-deployer", roleSessionName: "alice-deploy", sourceIdentity: "alice@example.com", serialNumber: "arn:aws:iam::111122223333:mfa/e2e-alice" },
      { credentials: { accessKeyId: session.accessKeyId, expiration: "Nov 22, 2026, 1:00:00 PM" }, assumedRoleUser: { assumedRoleId: session.principalId, arn: sessionArn }, sourceIdentity: "alice@example.com" }),
    byAlice("e2e-put-user-policy-1", 40, "iam.amazonaws.com", "PutUserPolicy", false, { userName: "e2e-bob", policyName: f.policyName, policyDocument: JSON.stringify(v1) }),
    byAlice("e2e-list-users", 35, "iam.amazonaws.com", "ListUsers", true, null),
    // As CloudTrail writes IAM policy documents: URL-encoded JSON text.
    byAlice(f.putPolicyV2, 30, "iam.amazonaws.com", "PutUserPolicy", false, { userName: "e2e-bob", policyName: f.policyName, policyDocument: encodeURIComponent(JSON.stringify(v2, null, 2)) }),
    byAlice("e2e-create-access-key", 25, "iam.amazonaws.com", "CreateAccessKey", false, { userName: "e2e-bob" }, { accessKey: { userName: "e2e-bob", accessKeyId: "AKIAE2EBOB0000000001", status: "Active", createDate: "Nov 22, 2026, 11:35:00 AM" } }),
    { ...base(f.sessionEvent, 15, session), eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances", readOnly: true, sourceIPAddress: "198.51.100.78", userAgent: "aws-cli/2.17.0", requestParameters: { instancesSet: {}, filterSet: {} }, responseElements: null },
    { ...base(f.ssoEvent, 12, sso), eventSource: "s3.amazonaws.com", eventName: "ListBuckets", readOnly: true, sourceIPAddress: "198.51.100.79", userAgent: "aws-cli/2.17.0", requestParameters: { Host: "s3.us-east-1.amazonaws.com" }, responseElements: null },
    // Every field an attacker can write, written to attack the page.
    { ...base(f.xssEvent, 20, { type: "IAMUser", principalId: "AIDAE2EMALLORY", arn: "arn:aws:iam::111122223333:user/e2e-mallory", accountId: f.account, accessKeyId: "AKIAE2EMALLORY000001", userName: "e2e-mallory" }),
      eventSource: "s3.amazonaws.com", eventName: "PutBucketPolicy", readOnly: false, sourceIPAddress: "203.0.113.99", userAgent: f.xssUserAgent,
      requestParameters: { bucketName: f.xssBucket, bucketPolicy: { Version: "2012-10-17", Statement: [{ Sid: "<script>window.__xss=1</script>", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${f.xssBucket}/*` }] } },
      errorCode: "<img src=y onerror=alert(3)>", errorMessage: "<script>alert(4)</script>", responseElements: null },
  ];
  return {
    key: `AWSLogs/${f.account}/CloudTrail/us-east-1/search-fixtures.json.gz`,
    body: gzipSync(JSON.stringify({ Records: records })),
    kind: "cloudtrail",
    records: records.length,
  };
}
