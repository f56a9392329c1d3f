import { SERVICE_LINKED_ROLES, all, any, eq, not, notByAwsService, prefix, suffix } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, at, cloudTrailEvent, times } from "./examples";

/** A denied call, `minute` minutes after 10:00 (AWS writes AccessDenied for IAM/S3, AccessDeniedException for JSON APIs). */
const denied = (minute: number, errorCode = "AccessDenied", fields: Record<string, unknown> = {}) =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", minute),
    eventSource: "iam.amazonaws.com",
    eventName: "ListRoles",
    readOnly: true,
    requestParameters: null,
    errorCode,
    errorMessage: "User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::111122223333:role/ because no identity-based policy allows the iam:ListRoles action",
    ...fields,
  });

/** EC2's spelling of a denial. */
const ec2Denied = (minute: number) =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", minute),
    eventSource: "ec2.amazonaws.com",
    eventName: "RunInstances",
    userIdentity: assumedRole("build-agent", "i-0abc123def4567890"),
    requestParameters: { instancesSet: { items: [{ imageId: "ami-0123456789abcdef0", minCount: 1, maxCount: 1 }] }, instanceType: "p4d.24xlarge" },
    errorCode: "Client.UnauthorizedOperation",
    errorMessage: "You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLE",
  });

export default defineRule({
  id: "cis-02-unauthorized-api-calls",
  title: "Burst of unauthorized API calls",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.2: calls refused with *UnauthorizedOperation or AccessDenied*. Ten or more from one principal within 5 minutes look like stolen credentials probing what they may do, or a deployment gone wrong; single denials are everyday noise, so this is a threshold rule per principal, not the per-event CIS filter. Noisy: misconfigured applications retry denied calls; by default it ignores calls by AWS services (type AWSService, invokedBy, service-linked roles) and, as CIS does, log delivery (delivery.logs.amazonaws.com) and HeadBucket.",
  response:
    "Look at which actions and resources were denied and from which address and user agent; if the principal is a person's or a workload's that should not probe, rotate its credentials and check what its successful calls did in the same window.",
  severity: "medium",
  techniques: ["T1580", "T1078.004"],
  source: "cloudtrail",
  match: all(
    any(suffix("errorCode", "UnauthorizedOperation"), prefix("errorCode", "AccessDenied")),
    not(eq("sourceIPAddress", "delivery.logs.amazonaws.com")),
    not(eq("eventName", "HeadBucket")),
    notByAwsService(),
  ),
  groupBy: ["recipientAccountId", "userIdentity.arn", "userIdentity.principalId"],
  aggregation: {
    statistic: "count",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 10,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "12 AccessDenied in three minutes from one user", fires: true, records: times(12, (i) => denied(i * 0.25)) },
    {
      name: "10 AccessDeniedException from KMS and Secrets Manager",
      fires: true,
      records: times(10, (i) => denied(i * 0.2, "AccessDeniedException", { eventSource: i % 2 ? "kms.amazonaws.com" : "secretsmanager.amazonaws.com", eventName: i % 2 ? "Decrypt" : "GetSecretValue" })),
    },
    { name: "10 Client.UnauthorizedOperation from one role session", fires: true, records: times(10, (i) => ec2Denied(i * 0.3)) },
    { name: "5 denials: below the threshold", fires: false, records: times(5, (i) => denied(i * 0.5)) },
    { name: "12 ThrottlingException: not an authorization error", fires: false, records: times(12, (i) => denied(i * 0.25, "ThrottlingException", { errorMessage: "Rate exceeded" })) },
    { name: "12 denials spread over an hour", fires: false, records: times(12, (i) => denied(i * 5)) },
    {
      name: "12 denials to HeadBucket (excluded, as in CIS)",
      fires: false,
      records: times(12, (i) => denied(i * 0.25, "AccessDenied", { eventSource: "s3.amazonaws.com", eventName: "HeadBucket", requestParameters: { bucketName: "example-bucket", Host: "example-bucket.s3.us-east-1.amazonaws.com" } })),
    },
  ],
});
