import { all, any, call, exists, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** ModifyDBInstance as RDS records it (Panther's test events; the password itself is masked). */
const modify = (request: ExampleRecord, pending: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "rds.amazonaws.com",
    eventName: "ModifyDBInstance",
    userIdentity: assumedRole("admin"),
    requestParameters: { dBInstanceIdentifier: "my-database", applyImmediately: true, allowMajorVersionUpgrade: false, ...request },
    responseElements: { dBInstanceIdentifier: "my-database", dBInstanceStatus: "available", publiclyAccessible: true, pendingModifiedValues: pending },
  });

const passwordChange = modify({ masterUserPassword: "****" }, { masterUserPassword: "****" });

export default defineRule({
  id: "rds-master-password-changed",
  title: "RDS master password changed",
  description:
    "Setting a new master user password through the RDS API (ModifyDBInstance or ModifyDBCluster with masterUserPassword) gives whoever chose it full access to the database without knowing the old one: the step after restoring or exposing a copy (DETECTIONS.md B19).",
  response:
    "Ask the database owner whether the reset was planned; if not, reset the password again (or switch to Secrets Manager-managed credentials), check the instance's public access and security groups, and review connections since the change.",
  severity: "medium",
  techniques: ["T1098"],
  source: "cloudtrail",
  match: all(
    call("rds.amazonaws.com", ["ModifyDBInstance", "ModifyDBCluster"]),
    succeeded(),
    any(exists("requestParameters.masterUserPassword"), exists("responseElements.pendingModifiedValues.masterUserPassword")),
  ),
  examples: [
    { name: "ModifyDBInstance with a new master password", fires: true, records: [passwordChange] },
    {
      name: "ModifyDBCluster with a new master password",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "rds.amazonaws.com",
          eventName: "ModifyDBCluster",
          requestParameters: { dBClusterIdentifier: "aurora-prod", masterUserPassword: "****", applyImmediately: true },
          responseElements: { dBClusterIdentifier: "aurora-prod", status: "available" },
        }),
      ],
    },
    { name: "master password change that failed (AccessDenied)", fires: false, records: [failed(passwordChange)] },
    { name: "allocated storage modified (Panther's near miss)", fires: false, records: [modify({ allocatedStorage: 22, maxAllocatedStorage: 1000 }, { allocatedStorage: 22 })] },
  ],
});
