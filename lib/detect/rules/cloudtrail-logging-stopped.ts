import { call, succeeded, all } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const stopLogging = cloudTrailEvent({
  eventSource: "cloudtrail.amazonaws.com",
  eventName: "StopLogging",
  requestParameters: { name: "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events" },
  responseElements: null,
});

export default defineRule({
  id: "cloudtrail-logging-stopped",
  title: "CloudTrail trail stopped, deleted or updated",
  description:
    "An attacker who stops, deletes or reconfigures a trail blinds every detection that depends on it (DETECTIONS.md B1). Legitimate changes are rare and planned.",
  response:
    "Confirm the change with the principal's owner; if unplanned, run StartLogging on the trail at once, then review what the principal did before and after.",
  severity: "high",
  techniques: ["T1562.008"],
  source: "cloudtrail",
  match: all(call("cloudtrail.amazonaws.com", ["StopLogging", "DeleteTrail", "UpdateTrail"]), succeeded()),
  examples: [
    { name: "StopLogging by an IAM user", fires: true, records: [stopLogging] },
    {
      name: "DeleteTrail by an assumed role",
      fires: true,
      records: [cloudTrailEvent({ eventSource: "cloudtrail.amazonaws.com", eventName: "DeleteTrail", userIdentity: assumedRole("admin"), requestParameters: { name: "management-events" } })],
    },
    { name: "StopLogging that failed (AccessDenied)", fires: false, records: [failed(stopLogging)] },
    { name: "StartLogging (the opposite)", fires: false, records: [{ ...stopLogging, eventName: "StartLogging" }] },
  ],
});
