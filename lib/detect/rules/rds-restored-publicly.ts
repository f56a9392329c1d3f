import { all, any, call, eq, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** RestoreDBInstanceFromDBSnapshot as RDS records it (Panther's test events, shortened). */
const restore = (publiclyAccessible: boolean, request: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "rds.amazonaws.com",
    eventName: "RestoreDBInstanceFromDBSnapshot",
    userIdentity: assumedRole("admin"),
    requestParameters: { dBInstanceIdentifier: "restored-db", dBSnapshotIdentifier: "prod-db-snapshot", dBInstanceClass: "db.t3.medium", ...request },
    responseElements: {
      dBInstanceIdentifier: "restored-db",
      dBInstanceClass: "db.t3.medium",
      engine: "mysql",
      dBInstanceStatus: "creating",
      publiclyAccessible,
      dBInstanceArn: "arn:aws:rds:us-east-1:111122223333:db:restored-db",
    },
  });

const publicRestore = restore(true, { publiclyAccessible: true });

export default defineRule({
  id: "rds-restored-publicly",
  title: "RDS instance restored with public access",
  description:
    "Restoring a snapshot (or a point in time) into a publicly accessible instance puts a copy of the database on the internet, where the attacker can reset its master password and read it (DETECTIONS.md B17). Fires on publiclyAccessible true in the request or, when the request left it to the default, in the response.",
  response:
    "Check who restored which snapshot and why; if unplanned, make the instance private (ModifyDBInstance publiclyAccessible=false) or delete it, and review its connections and any master-password change since the restore.",
  severity: "high",
  techniques: ["T1578"],
  source: "cloudtrail",
  match: all(
    call("rds.amazonaws.com", ["RestoreDBInstanceFromDBSnapshot", "RestoreDBInstanceToPointInTime"]),
    succeeded(),
    any(eq("requestParameters.publiclyAccessible", true), eq("responseElements.publiclyAccessible", true)),
  ),
  examples: [
    { name: "snapshot restored with publiclyAccessible=true", fires: true, records: [publicRestore] },
    { name: "restore left to a default that made it public (response only)", fires: true, records: [restore(true)] },
    { name: "public restore that failed (AccessDenied)", fires: false, records: [failed(publicRestore)] },
    { name: "snapshot restored privately", fires: false, records: [restore(false, { publiclyAccessible: false })] },
  ],
});
