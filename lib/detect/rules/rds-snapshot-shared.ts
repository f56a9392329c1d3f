import { all, call, eq, exists, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** ModifyDBSnapshotAttribute as RDS records it (Panther's test events). */
const modifyDbSnapshot = (change: ExampleRecord, values: string[]) =>
  cloudTrailEvent({
    eventSource: "rds.amazonaws.com",
    eventName: "ModifyDBSnapshotAttribute",
    userIdentity: assumedRole("admin"),
    requestParameters: { dBSnapshotIdentifier: "prod-db-snapshot", attributeName: "restore", ...change },
    responseElements: { dBSnapshotIdentifier: "prod-db-snapshot", dBSnapshotAttributes: [{ attributeName: "restore", attributeValues: values }] },
  });

const shareWithAccount = modifyDbSnapshot({ valuesToAdd: ["193672423079"] }, ["193672423079"]);

export default defineRule({
  id: "rds-snapshot-shared",
  title: "RDS snapshot shared with another account or made public",
  description:
    "ModifyDBSnapshotAttribute or ModifyDBClusterSnapshotAttribute adding values to the restore attribute lets another account (or everyone, with all) restore the database from the snapshot: a full copy of its data (DETECTIONS.md B16). Removing values does not fire; calls AWS services make (AWS Backup, userIdentity.invokedBy) are left out.",
  response:
    "Check whether the account ids in requestParameters.valuesToAdd are yours; if not, remove them at once (valuesToRemove) and assume the data was copied: find out what the database held and who made the call.",
  severity: "high",
  techniques: ["T1537"],
  source: "cloudtrail",
  match: all(
    call("rds.amazonaws.com", ["ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute"]),
    succeeded(),
    eq("requestParameters.attributeName", "restore"),
    exists("requestParameters.valuesToAdd"),
    notByAwsService(),
  ),
  examples: [
    { name: "DB snapshot shared with another account", fires: true, records: [shareWithAccount] },
    {
      name: "cluster snapshot made public (all)",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "rds.amazonaws.com",
          eventName: "ModifyDBClusterSnapshotAttribute",
          requestParameters: { dBClusterSnapshotIdentifier: "aurora-prod-snapshot", attributeName: "restore", valuesToAdd: ["all"] },
          responseElements: { dBClusterSnapshotIdentifier: "aurora-prod-snapshot", dBClusterSnapshotAttributes: [{ attributeName: "restore", attributeValues: ["all"] }] },
        }),
      ],
    },
    { name: "snapshot share that failed (AccessDenied)", fires: false, records: [failed(shareWithAccount)] },
    { name: "sharing removed (valuesToRemove)", fires: false, records: [modifyDbSnapshot({ valuesToRemove: ["193672423079"] }, [])] },
    { name: "shared with no accounts (empty valuesToAdd, Panther's test)", fires: false, records: [modifyDbSnapshot({ valuesToAdd: [] }, [])] },
  ],
});
