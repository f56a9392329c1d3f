import { all, any, eq, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const DETECTOR = "12abc34d567e8fa901bc2d34e56789f0";

const deleteDetector = cloudTrailEvent({
  eventSource: "guardduty.amazonaws.com",
  eventName: "DeleteDetector",
  requestParameters: { detectorId: DETECTOR },
  responseElements: null,
});

/** UpdateDetector with enable=false: GuardDuty suspended, findings kept. */
const suspend = cloudTrailEvent({
  eventSource: "guardduty.amazonaws.com",
  eventName: "UpdateDetector",
  userIdentity: assumedRole("admin"),
  requestParameters: { detectorId: DETECTOR, enable: false, findingPublishingFrequency: "SIX_HOURS" },
  responseElements: null,
});

export default defineRule({
  id: "guardduty-detector-disabled",
  title: "GuardDuty detector deleted or suspended",
  description:
    "Deleting the GuardDuty detector (which also discards its findings) or suspending it with UpdateDetector enable=false switches off threat detection for the region, a classic step before noisy activity (DETECTIONS.md B3). Other UpdateDetector calls (features, publishing frequency) are left out.",
  response:
    "Check with the principal's owner; if unplanned, re-enable GuardDuty in that region (CreateDetector or UpdateDetector enable=true), review the principal's recent activity and restrict guardduty:DeleteDetector/UpdateDetector with an SCP.",
  severity: "high",
  techniques: ["T1562.001"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "guardduty.amazonaws.com"),
    succeeded(),
    any(eq("eventName", "DeleteDetector"), all(eq("eventName", "UpdateDetector"), eq("requestParameters.enable", false))),
  ),
  examples: [
    { name: "DeleteDetector by an IAM user", fires: true, records: [deleteDetector] },
    { name: "UpdateDetector with enable=false", fires: true, records: [suspend] },
    { name: "DeleteDetector that failed (AccessDenied)", fires: false, records: [failed(deleteDetector)] },
    {
      name: "UpdateDetector re-enabling the detector",
      fires: false,
      records: [{ ...suspend, requestParameters: { detectorId: DETECTOR, enable: true } }],
    },
    {
      name: "UpdateDetector changing only the publishing frequency",
      fires: false,
      records: [{ ...suspend, requestParameters: { detectorId: DETECTOR, findingPublishingFrequency: "FIFTEEN_MINUTES" } }],
    },
    {
      name: "GetDetector (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "guardduty.amazonaws.com", eventName: "GetDetector", readOnly: true, requestParameters: { detectorId: DETECTOR } })],
    },
  ],
});
