import { all, call, exists, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** ModifySnapshotAttribute as EC2 records it (Elastic's and Panther's samples). */
const modifySnapshot = (createVolumePermission: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName: "ModifySnapshotAttribute",
    requestParameters: { snapshotId: "snap-0a392d80692e2526a", attributeType: "CREATE_VOLUME_PERMISSION", createVolumePermission },
    responseElements: { _return: true, requestId: "9d0ea279-9a66-4d4c-b6e2-91c9fb291ee1" },
  });

const shareWithAccount = modifySnapshot({ add: { items: [{ userId: "444455556666" }] } });

export default defineRule({
  id: "ebs-snapshot-shared",
  title: "EBS snapshot shared with another account or made public",
  description:
    "ModifySnapshotAttribute adding a createVolumePermission lets another account (userId) or everyone (group all) create a volume from the snapshot: a quiet way to copy a disk out of the account (DETECTIONS.md B14). Removing a permission does not fire; calls AWS services make (AWS Backup cross-account copies, userIdentity.invokedBy) are left out.",
  response:
    "Check the snapshot's source volume and whether the receiving account is yours; if not, remove the permission at once (ModifySnapshotAttribute remove), and look for CopySnapshot or CreateVolume from that account (SharedSnapshot events).",
  severity: "high",
  techniques: ["T1537"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["ModifySnapshotAttribute"]),
    succeeded(),
    exists("requestParameters.createVolumePermission.add.items"),
    notByAwsService(),
  ),
  examples: [
    { name: "snapshot shared with account 444455556666", fires: true, records: [shareWithAccount] },
    { name: "snapshot made public (group all)", fires: true, records: [{ ...modifySnapshot({ add: { items: [{ group: "all" }] } }), userIdentity: assumedRole("admin") }] },
    { name: "snapshot share that failed (UnauthorizedOperation)", fires: false, records: [failed(shareWithAccount, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "public permission removed (Elastic's sample)", fires: false, records: [modifySnapshot({ remove: { items: [{ group: "all" }] } })] },
    {
      name: "AWS Backup sharing for a cross-account copy (invokedBy)",
      fires: false,
      records: [
        {
          ...shareWithAccount,
          userIdentity: { ...assumedRole("AWSBackupDefaultServiceRole", "AWSBackup-AWSBackupDefaultServiceRole"), invokedBy: "backup.amazonaws.com" },
          sourceIPAddress: "backup.amazonaws.com",
          userAgent: "backup.amazonaws.com",
        },
      ],
    },
  ],
});
