import { PRIVATE_NETWORKS, all, cidr, contains, eq, isIn, missing, not } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent } from "./examples";

/** Instance-profile credentials (session name = the instance id) used from an internet address. */
const fromInternet = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "DescribeInstances",
  userIdentity: assumedRole("MyAppRole", "i-0abcdef1234567890"),
  sourceIPAddress: "45.33.32.156",
  userAgent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64",
  requestParameters: { instancesSet: {}, filterSet: {} },
  readOnly: true,
});

export default defineRule({
  id: "instance-credentials-used-outside-instance",
  title: "EC2 instance credentials used from a public address",
  description:
    "Credentials stolen from the instance metadata service (SSRF, a compromised workload) keep working anywhere until they expire; calls signed with an instance-profile session (assumed-role ARN whose session name is an instance id i-…) from an outside address mean they left the instance (DETECTIONS.md B31). Approximation: without AWS's published IP ranges loaded, the rule treats a public IP address in sourceIPAddress (not a private range, not an AWS service name such as ec2.amazonaws.com or AWS Internal) as outside AWS. Noisy: instances that reach public AWS endpoints through a NAT gateway or their own public IP show that public address too; allow-list your NAT gateway and Elastic IP addresses (sourceCidrs) or use VPC endpoints. Calls made by AWS services on the instance's behalf (invokedBy) and the SSM agent's ssmmessages/ec2messages channels are left out.",
  response:
    "Check whether the source address belongs to your VPCs' NAT gateways or Elastic IPs; if not, revoke the role's sessions (an inline deny on aws:TokenIssueTime), look for SSRF or compromise on the instance and review what the credentials did from that address.",
  severity: "medium",
  techniques: ["T1552.005"],
  source: "cloudtrail",
  match: all(
    eq("userIdentity.type", "AssumedRole"),
    contains("userIdentity.arn", ":assumed-role/"),
    contains("userIdentity.arn", "/i-"),
    cidr("sourceIPAddress", ["0.0.0.0/0", "::/0"]),
    not(cidr("sourceIPAddress", PRIVATE_NETWORKS)),
    missing("userIdentity.invokedBy"),
    not(isIn("eventSource", ["ssmmessages.amazonaws.com", "ec2messages.amazonaws.com"])),
  ),
  examples: [
    { name: "instance-role session calling DescribeInstances from the internet", fires: true, records: [fromInternet] },
    { name: "the same session from the VPC (private address)", fires: false, records: [{ ...fromInternet, sourceIPAddress: "10.0.1.50" }] },
    { name: "the same session with an AWS service as source", fires: false, records: [{ ...fromInternet, eventSource: "kms.amazonaws.com", eventName: "Decrypt", sourceIPAddress: "cloudformation.amazonaws.com" }] },
    { name: "the same session with source AWS Internal", fires: false, records: [{ ...fromInternet, sourceIPAddress: "AWS Internal" }] },
    { name: "a person's role session from the internet", fires: false, records: [{ ...fromInternet, userIdentity: assumedRole("Admin", "alice") }] },
    { name: "the SSM agent's control channel", fires: false, records: [{ ...fromInternet, eventSource: "ssmmessages.amazonaws.com", eventName: "CreateControlChannel", readOnly: false }] },
  ],
});
