import { SERVICE_LINKED_ROLES, all, call, eq, not, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}`;

const kms = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "kms.amazonaws.com",
    eventName,
    requestParameters,
    responseElements: null,
    resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: KEY_ARN }],
    ...fields,
  });

const scheduleDeletion = kms(
  "ScheduleKeyDeletion",
  { keyId: KEY_ID, pendingWindowInDays: 7 },
  { responseElements: { keyId: KEY_ARN, deletionDate: "Nov 9, 2026, 10:00:00 AM", keyState: "PendingDeletion", pendingWindowInDays: 7 } },
);

export default defineRule({
  id: "cis-07-kms-key-disabled-or-deleted",
  title: "KMS key disabled or scheduled for deletion",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.7 (also DETECTIONS.md B32): a customer-managed KMS key was disabled or scheduled for deletion. Everything encrypted under it becomes unreadable, and after the waiting period irrecoverably so: a destructive or ransom move as much as a clean-up.",
  response:
    "Identify what the key protects (aliases, grants, key policy, services using it); if the change was not planned, run EnableKey or CancelKeyDeletion at once while the waiting period lasts, then review the principal's other actions.",
  severity: "high",
  techniques: ["T1485"],
  source: "cloudtrail",
  match: all(call("kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion"]), succeeded(), not(eq("userIdentity.type", "AWSService"))),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "key scheduled for deletion in 7 days", fires: true, records: [scheduleDeletion] },
    { name: "key disabled by an assumed role", fires: true, records: [kms("DisableKey", { keyId: KEY_ID }, { userIdentity: assumedRole("admin") })] },
    { name: "ScheduleKeyDeletion that failed (AccessDeniedException)", fires: false, records: [failed(scheduleDeletion, "AccessDeniedException")] },
    { name: "CancelKeyDeletion (the opposite)", fires: false, records: [kms("CancelKeyDeletion", { keyId: KEY_ID }, { responseElements: { keyId: KEY_ARN } })] },
    { name: "DescribeKey (read-only)", fires: false, records: [kms("DescribeKey", { keyId: KEY_ID }, { readOnly: true })] },
  ],
});
