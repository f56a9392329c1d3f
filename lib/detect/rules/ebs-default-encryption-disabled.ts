import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** DisableEbsEncryptionByDefault takes no parameters; the response says the new setting. */
const disable = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "DisableEbsEncryptionByDefault",
  requestParameters: { DisableEbsEncryptionByDefaultRequest: "" },
  responseElements: {
    DisableEbsEncryptionByDefaultResponse: { xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/", ebsEncryptionByDefault: false, requestId: "5e1b1f3a-1d7e-4a4c-9f58-EXAMPLE" },
  },
});

export default defineRule({
  id: "ebs-default-encryption-disabled",
  title: "EBS encryption by default disabled",
  description:
    "Turning off EBS encryption by default means new volumes and snapshot copies in the region are created unencrypted, so they can be shared or copied out without a KMS key grant (DETECTIONS.md B13). The setting is normally switched on once and left alone.",
  response:
    "Re-enable it (EnableEbsEncryptionByDefault) in that region unless a documented exception exists, then list volumes and snapshots created unencrypted since the call and who created them.",
  severity: "medium",
  techniques: ["T1486"],
  source: "cloudtrail",
  match: all(call("ec2.amazonaws.com", ["DisableEbsEncryptionByDefault"]), succeeded()),
  examples: [
    { name: "DisableEbsEncryptionByDefault by an IAM user", fires: true, records: [disable] },
    { name: "DisableEbsEncryptionByDefault by an assumed role", fires: true, records: [{ ...disable, userIdentity: assumedRole("admin") }] },
    { name: "DisableEbsEncryptionByDefault that failed (UnauthorizedOperation)", fires: false, records: [failed(disable, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "EnableEbsEncryptionByDefault (the opposite)", fires: false, records: [{ ...disable, eventName: "EnableEbsEncryptionByDefault" }] },
    {
      name: "GetEbsEncryptionByDefault (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "ec2.amazonaws.com", eventName: "GetEbsEncryptionByDefault", readOnly: true, requestParameters: { GetEbsEncryptionByDefaultRequest: "" } })],
    },
  ],
});
