import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const pushKey = cloudTrailEvent({
  eventSource: "ec2-instance-connect.amazonaws.com",
  eventName: "SendSSHPublicKey",
  userIdentity: assumedRole("SampleRole", "bobson.dugnutt"),
  requestParameters: { instanceId: "i-0abcdef1234567890", instanceOSUser: "ec2-user", sSHPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY" },
  responseElements: { requestId: "25eac5d1-cd24-4156-a49b-f2bf3a20ec9d", success: true },
});

export default defineRule({
  id: "ec2-instance-connect-key-pushed",
  title: "SSH key pushed to an instance or its serial console",
  description:
    "SendSSHPublicKey and SendSerialConsoleSSHPublicKey install an SSH key on an instance (or its serial console) for 60 seconds: anyone with the permission and a network path gets a shell, without touching the instance's key pairs. Noisy: where EC2 Instance Connect is the normal way in, every connection fires; allow-list the operators' roles.",
  response:
    "Check that the caller administers the instance (requestParameters.instanceId, instanceOSUser) and where it connected from; for unexpected use, review the instance's auth logs and treat its instance-role credentials as exposed.",
  severity: "low",
  techniques: ["T1098.004"],
  source: "cloudtrail",
  match: all(call("ec2-instance-connect.amazonaws.com", ["SendSSHPublicKey", "SendSerialConsoleSSHPublicKey"]), succeeded()),
  examples: [
    { name: "SSH key pushed for ec2-user", fires: true, records: [pushKey] },
    { name: "key pushed to the serial console", fires: true, records: [{ ...pushKey, eventName: "SendSerialConsoleSSHPublicKey", requestParameters: { instanceId: "i-0abcdef1234567890", serialPort: 0, sSHPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY" } }] },
    { name: "SendSSHPublicKey that failed (AccessDenied)", fires: false, records: [failed(pushKey)] },
  ],
});
