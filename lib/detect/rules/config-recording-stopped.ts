import { all, call, not, notByAwsService, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const stopRecorder = cloudTrailEvent({
  eventSource: "config.amazonaws.com",
  eventName: "StopConfigurationRecorder",
  requestParameters: { configurationRecorderName: "default" },
  responseElements: null,
});

const deleteRule = cloudTrailEvent({
  eventSource: "config.amazonaws.com",
  eventName: "DeleteConfigRule",
  userIdentity: assumedRole("admin"),
  requestParameters: { configRuleName: "s3-bucket-public-read-prohibited" },
  responseElements: null,
});

export default defineRule({
  id: "config-recording-stopped",
  title: "AWS Config recording stopped or its channel or rule deleted",
  description:
    "Stopping or deleting the configuration recorder, deleting the delivery channel or deleting a Config rule ends the record of resource changes and the compliance checks built on it (DETECTIONS.md B5). Calls AWS services make themselves are left out by default (Security Hub and conformance packs delete their own Config rules through service-linked roles, with userIdentity.invokedBy set).",
  response:
    "Confirm the change with the principal's owner; if unplanned, StartConfigurationRecorder (or recreate the recorder, channel or rule), then review what changed in the account while Config was not recording.",
  severity: "high",
  techniques: ["T1562.001"],
  source: "cloudtrail",
  match: all(
    call("config.amazonaws.com", ["StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel", "DeleteConfigRule"]),
    succeeded(),
    notByAwsService(),
  ),
  examples: [
    { name: "StopConfigurationRecorder by an IAM user", fires: true, records: [stopRecorder] },
    {
      name: "DeleteDeliveryChannel",
      fires: true,
      records: [cloudTrailEvent({ eventSource: "config.amazonaws.com", eventName: "DeleteDeliveryChannel", requestParameters: { deliveryChannelName: "default" } })],
    },
    { name: "DeleteConfigRule by an admin role", fires: true, records: [deleteRule] },
    {
      name: "DeleteDeliveryChannel that failed (NoSuchDeliveryChannelException)",
      fires: false,
      records: [
        failed(
          cloudTrailEvent({ eventSource: "config.amazonaws.com", eventName: "DeleteDeliveryChannel", requestParameters: { deliveryChannelName: "default" } }),
          "NoSuchDeliveryChannelException",
          "Cannot find delivery channel with specified name 'default'.",
        ),
      ],
    },
    { name: "StartConfigurationRecorder (the opposite)", fires: false, records: [{ ...stopRecorder, eventName: "StartConfigurationRecorder" }] },
    {
      name: "Security Hub deleting its own Config rule (invokedBy)",
      fires: false,
      records: [
        {
          ...deleteRule,
          userIdentity: { ...assumedRole("AWSServiceRoleForSecurityHub", "securityhub"), invokedBy: "securityhub.amazonaws.com" },
          sourceIPAddress: "securityhub.amazonaws.com",
          userAgent: "securityhub.amazonaws.com",
          requestParameters: { configRuleName: "securityhub-s3-bucket-public-read-prohibited-a1b2c3" },
        },
      ],
    },
  ],
});
