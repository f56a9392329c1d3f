import { SERVICE_LINKED_ROLES, all, call, eq, not, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";

const cloudtrail = (eventName: string, requestParameters: Record<string, unknown> | null, fields: ExampleRecord = {}) =>
  cloudTrailEvent({ eventSource: "cloudtrail.amazonaws.com", eventName, requestParameters, responseElements: null, ...fields });

const updateTrail = cloudtrail(
  "UpdateTrail",
  { name: "management-events", s3BucketName: "attacker-controlled-bucket" },
  { responseElements: { name: "management-events", s3BucketName: "attacker-controlled-bucket", trailARN: TRAIL_ARN, isMultiRegionTrail: true, logFileValidationEnabled: false, includeGlobalServiceEvents: true, isOrganizationTrail: false } },
);

export default defineRule({
  id: "cis-05-cloudtrail-config-changes",
  title: "CloudTrail configuration changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.5: a trail was created, updated, deleted, started or stopped. Changes to the audit trail are rare and planned; an unplanned one may be an attacker redirecting or silencing the record of what they do (the stop/delete/update subset alerts at high severity as cloudtrail-logging-stopped). Calls AWS services make on a principal's behalf (e.g. CloudFormation, Control Tower) still alert, since a stack can tamper as well as a person; allow-list a landing-zone role if it is noisy.",
  response:
    "Check which trail changed and how (bucket, multi-region, log file validation, logging on or off) and whether a change ticket covers it; if not, restore the trail settings and review the principal's other actions.",
  severity: "medium",
  techniques: ["T1562.008"],
  source: "cloudtrail",
  match: all(
    call("cloudtrail.amazonaws.com", ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]),
    succeeded(),
    not(eq("eventType", "AwsVpceEvent")),
    not(eq("userIdentity.type", "AWSService")),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "UpdateTrail pointing the trail at another bucket", fires: true, records: [updateTrail] },
    {
      name: "CreateTrail by an assumed role",
      fires: true,
      records: [
        cloudtrail(
          "CreateTrail",
          { name: "shadow-trail", s3BucketName: "example-bucket", isMultiRegionTrail: false },
          { userIdentity: assumedRole("admin"), responseElements: { name: "shadow-trail", s3BucketName: "example-bucket", trailARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/shadow-trail", isMultiRegionTrail: false } },
        ),
      ],
    },
    { name: "StopLogging", fires: true, records: [cloudtrail("StopLogging", { name: TRAIL_ARN })] },
    { name: "UpdateTrail that failed (AccessDenied)", fires: false, records: [failed(updateTrail)] },
    { name: "GetTrailStatus (read-only)", fires: false, records: [cloudtrail("GetTrailStatus", { name: TRAIL_ARN }, { readOnly: true })] },
    {
      name: "network activity event of the call through a VPC endpoint",
      fires: false,
      records: [
        cloudtrail("UpdateTrail", { name: "management-events", isMultiRegionTrail: false }, {
          eventType: "AwsVpceEvent",
          eventCategory: "NetworkActivity",
          managementEvent: false,
          sourceIPAddress: "10.0.0.1",
          vpcEndpointId: "vpce-1234abcd",
          vpcEndpointAccountId: "111122223333",
        }),
      ],
    },
  ],
});
