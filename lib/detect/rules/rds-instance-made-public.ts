import { all, any, call, eq, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** ModifyDBInstance as RDS records it (Panther's test events). */
const modify = (request: ExampleRecord, response: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "rds.amazonaws.com",
    eventName: "ModifyDBInstance",
    userIdentity: assumedRole("admin"),
    requestParameters: { dBInstanceIdentifier: "production-db", applyImmediately: true, ...request },
    responseElements: { dBInstanceIdentifier: "production-db", dBInstanceStatus: "available", engine: "postgres", ...response },
  });

const makePublic = modify({ publiclyAccessible: true }, { publiclyAccessible: true, pendingModifiedValues: { publiclyAccessible: true } });

export default defineRule({
  id: "rds-instance-made-public",
  title: "RDS instance made publicly accessible",
  description:
    "ModifyDBInstance with publiclyAccessible=true, or CreateDBInstance producing a publicly accessible instance, gives the database an internet-resolvable address: one security-group rule away from exposure (DETECTIONS.md B18). For ModifyDBInstance only the request counts: its response repeats the current setting on every change, so an unrelated change to an already public instance does not fire.",
  response:
    "Check the instance's security groups for inbound rules from 0.0.0.0/0 or ::/0; if public access is not intended, set publiclyAccessible=false, then review the instance's connections and the principal's other RDS changes.",
  severity: "high",
  techniques: ["T1133"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "rds.amazonaws.com"),
    succeeded(),
    any(
      all(eq("eventName", "ModifyDBInstance"), eq("requestParameters.publiclyAccessible", true)),
      all(eq("eventName", "CreateDBInstance"), any(eq("requestParameters.publiclyAccessible", true), eq("responseElements.publiclyAccessible", true))),
    ),
  ),
  examples: [
    { name: "ModifyDBInstance setting publiclyAccessible=true", fires: true, records: [makePublic] },
    {
      name: "CreateDBInstance of a public instance",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "rds.amazonaws.com",
          eventName: "CreateDBInstance",
          requestParameters: { dBInstanceIdentifier: "test-instance", dBInstanceClass: "db.t3.micro", engine: "mysql", masterUsername: "admin", masterUserPassword: "HIDDEN_DUE_TO_SECURITY_REASONS", allocatedStorage: 20, publiclyAccessible: true },
          responseElements: { dBInstanceIdentifier: "test-instance", dBInstanceStatus: "creating", publiclyAccessible: true },
        }),
      ],
    },
    { name: "ModifyDBInstance making it public that failed (AccessDenied)", fires: false, records: [failed(makePublic)] },
    { name: "ModifyDBInstance making it private", fires: false, records: [modify({ publiclyAccessible: false }, { publiclyAccessible: false })] },
    { name: "storage change on an already public instance", fires: false, records: [modify({ allocatedStorage: 200 }, { publiclyAccessible: true, pendingModifiedValues: { allocatedStorage: 200 } })] },
  ],
});
