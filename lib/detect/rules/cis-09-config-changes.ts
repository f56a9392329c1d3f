import { SERVICE_LINKED_ROLES, all, call, eq, not, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, awsService, cloudTrailEvent, failed } from "./examples";

const config = (eventName: string, requestParameters: Record<string, unknown> | null, fields: ExampleRecord = {}) =>
  cloudTrailEvent({ eventSource: "config.amazonaws.com", eventName, requestParameters, responseElements: null, ...fields });

const stopRecorder = config("StopConfigurationRecorder", { configurationRecorderName: "default" });

export default defineRule({
  id: "cis-09-config-changes",
  title: "AWS Config recording or delivery changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.9 (also DETECTIONS.md B5): the Config recorder was stopped, changed or deleted, or a delivery channel was changed or deleted (DeleteConfigurationRecorder added to the CIS list, as it removes recording outright). Without Config the account loses its history of resource changes and compliance findings, which an attacker may want before making changes. Calls made on a principal's behalf (e.g. Control Tower via CloudFormation) still alert; allow-list a landing-zone role if it is noisy.",
  response:
    "Check the recorder status and delivery channel now (DescribeConfigurationRecorderStatus); if the change was not planned, restart recording, restore the channel's bucket, and review the principal's actions around that time.",
  severity: "medium",
  techniques: ["T1562.001"],
  source: "cloudtrail",
  match: all(
    call("config.amazonaws.com", ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder", "DeleteConfigurationRecorder"]),
    succeeded(),
    not(eq("userIdentity.type", "AWSService")),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "recorder stopped", fires: true, records: [stopRecorder] },
    { name: "delivery channel deleted by an assumed role", fires: true, records: [config("DeleteDeliveryChannel", { deliveryChannelName: "default" }, { userIdentity: assumedRole("admin") })] },
    {
      name: "recorder reconfigured to record nothing global",
      fires: true,
      records: [
        config("PutConfigurationRecorder", {
          configurationRecorder: {
            name: "default",
            roleARN: "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: ["AWS::S3::Bucket"] },
          },
        }),
      ],
    },
    { name: "StopConfigurationRecorder that failed (AccessDenied)", fires: false, records: [failed(stopRecorder, "AccessDeniedException")] },
    { name: "StartConfigurationRecorder (the opposite)", fires: false, records: [config("StartConfigurationRecorder", { configurationRecorderName: "default" })] },
    { name: "DescribeConfigurationRecorderStatus (read-only)", fires: false, records: [config("DescribeConfigurationRecorderStatus", null, { readOnly: true })] },
    { name: "an AWS service identity", fires: false, records: [config("PutDeliveryChannel", { deliveryChannel: { name: "default", s3BucketName: "config-bucket-111122223333" } }, { userIdentity: awsService("config.amazonaws.com") })] },
  ],
});
