import { all, call, eq, not, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const scheduleDeletion = cloudTrailEvent({
  eventSource: "kms.amazonaws.com",
  eventName: "ScheduleKeyDeletion",
  userIdentity: assumedRole("ops", "mallory"),
  requestParameters: { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", pendingWindowInDays: 7 },
  responseElements: { keyId: KEY_ARN, deletionDate: "Nov 9, 2026, 12:00:00 AM", keyState: "PendingDeletion", pendingWindowInDays: 7 },
  resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: KEY_ARN }],
});

export default defineRule({
  id: "kms-key-loss",
  title: "KMS key disabled, scheduled for deletion or its key material changed",
  description:
    "Disabling a KMS key, scheduling its deletion, or importing or deleting its key material makes everything encrypted under it unreadable: the cloud form of ransomware and of destroying data for good (DETECTIONS.md B32, CIS 7). AWS services acting on their own keys (userIdentity.type AWSService) are left out.",
  response:
    "Check which data the key protects and whether the change was planned; if not, run CancelKeyDeletion or EnableKey at once (deletion waits at least 7 days), and find out who else the caller's credentials reach.",
  severity: "high",
  techniques: ["T1485"],
  source: "cloudtrail",
  match: all(
    call("kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion", "ImportKeyMaterial", "DeleteImportedKeyMaterial"]),
    succeeded(),
    not(eq("userIdentity.type", "AWSService")),
  ),
  examples: [
    { name: "ScheduleKeyDeletion with a 7-day window", fires: true, records: [scheduleDeletion] },
    { name: "DisableKey", fires: true, records: [{ ...scheduleDeletion, eventName: "DisableKey", requestParameters: { keyId: KEY_ARN }, responseElements: null }] },
    { name: "DeleteImportedKeyMaterial", fires: true, records: [{ ...scheduleDeletion, eventName: "DeleteImportedKeyMaterial", requestParameters: { keyId: KEY_ARN }, responseElements: null }] },
    { name: "ScheduleKeyDeletion that failed (KMSInvalidStateException)", fires: false, records: [failed(scheduleDeletion, "KMSInvalidStateException", "arn is pending deletion.")] },
    { name: "CancelKeyDeletion (the opposite)", fires: false, records: [{ ...scheduleDeletion, eventName: "CancelKeyDeletion", responseElements: { keyId: KEY_ARN } }] },
    { name: "DescribeKey (the read-only twin)", fires: false, records: [{ ...scheduleDeletion, eventName: "DescribeKey", readOnly: true, responseElements: null }] },
  ],
});
