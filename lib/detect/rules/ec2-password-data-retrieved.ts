import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const getPasswordData = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "GetPasswordData",
  userIdentity: assumedRole("SampleRole", "leroy.jenkins"),
  requestParameters: { instanceId: "i-0abcdef1234567890" },
  responseElements: null,
  readOnly: true,
});

export default defineRule({
  id: "ec2-password-data-retrieved",
  title: "Windows administrator password data retrieved",
  description:
    "GetPasswordData returns a Windows instance's encrypted Administrator password; with the launch key pair's private key it gives full control of the instance. Attackers sweep it across instances after a compromise. Noisy: Windows admins retrieving passwords routinely fire too; allow-list their roles.",
  response:
    "Check that the caller administers the instance and holds its key pair; if not, rotate the instance's Administrator password, review RDP logons on it, and look for GetPasswordData on other instances by the same principal.",
  severity: "medium",
  techniques: ["T1552"],
  source: "cloudtrail",
  match: all(call("ec2.amazonaws.com", ["GetPasswordData"]), succeeded()),
  examples: [
    { name: "GetPasswordData by a role", fires: true, records: [getPasswordData] },
    { name: "GetPasswordData that failed (UnauthorizedOperation)", fires: false, records: [failed(getPasswordData, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "DescribeInstances on the same instance", fires: false, records: [{ ...getPasswordData, eventName: "DescribeInstances", requestParameters: { instancesSet: { items: [{ instanceId: "i-0abcdef1234567890" }] } } }] },
  ],
});
