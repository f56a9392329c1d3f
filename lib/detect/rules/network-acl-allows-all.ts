import { all, any, call, eq, gte, isIn, lte, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

/** An inbound allow-all entry as AWS writes it (aclProtocol "-1" = every protocol). */
const allowAll = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "CreateNetworkAclEntry",
  requestParameters: { networkAclId: "acl-0a1b2c3d4e5f60001", ruleNumber: 50, egress: false, ruleAction: "allow", icmpTypeCode: {}, portRange: {}, aclProtocol: "-1", cidrBlock: "0.0.0.0/0" },
  responseElements: { requestId: "91f34d65-513d-4e9f-a3de-e8d27f7ee4b2", _return: true },
});

export default defineRule({
  id: "network-acl-allows-all",
  title: "Network ACL entry allows all inbound traffic from the internet",
  description:
    "A network ACL entry that allows every protocol (or every port) inbound from 0.0.0.0/0 or ::/0 removes the subnet-level filter in front of everything in the subnet; attackers add one to open a path (DETECTIONS.md B34). Matches CreateNetworkAclEntry and ReplaceNetworkAclEntry with ruleAction allow, egress false, and aclProtocol -1 or a port range 0/1–65535.",
  response:
    "Check the entry's rule number against the ACL's deny entries (a low number wins) and whether the subnet holds anything reachable; if unplanned, delete or replace the entry and look for inbound traffic to the subnet since.",
  severity: "medium",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["CreateNetworkAclEntry", "ReplaceNetworkAclEntry"]),
    succeeded(),
    eq("requestParameters.ruleAction", "allow"),
    eq("requestParameters.egress", false),
    any(isIn("requestParameters.cidrBlock", ["0.0.0.0/0"]), isIn("requestParameters.ipv6CidrBlock", ["::/0"])),
    any(eq("requestParameters.aclProtocol", "-1"), all(lte("requestParameters.portRange.from", 1), gte("requestParameters.portRange.to", 65535))),
  ),
  examples: [
    { name: "inbound allow-all from 0.0.0.0/0", fires: true, records: [allowAll] },
    { name: "ReplaceNetworkAclEntry allowing all TCP ports from ::/0", fires: true, records: [{ ...allowAll, eventName: "ReplaceNetworkAclEntry", requestParameters: { networkAclId: "acl-0a1b2c3d4e5f60001", ruleNumber: 60, egress: false, ruleAction: "allow", icmpTypeCode: {}, portRange: { from: 0, to: 65535 }, aclProtocol: "6", ipv6CidrBlock: "::/0" } }] },
    { name: "allow-all that failed (NetworkAclEntryAlreadyExists)", fires: false, records: [failed(allowAll, "Client.NetworkAclEntryAlreadyExists", "The network acl entry identified by 50 already exists.")] },
    { name: "allow-all from one office address", fires: false, records: [{ ...allowAll, requestParameters: { ...(allowAll.requestParameters as object), cidrBlock: "203.0.113.10/32" } }] },
    { name: "HTTPS only from the internet", fires: false, records: [{ ...allowAll, requestParameters: { ...(allowAll.requestParameters as object), aclProtocol: "6", portRange: { from: 443, to: 443 } } }] },
    { name: "outbound allow-all (egress)", fires: false, records: [{ ...allowAll, requestParameters: { ...(allowAll.requestParameters as object), egress: true } }] },
    { name: "deny-all from the internet", fires: false, records: [{ ...allowAll, requestParameters: { ...(allowAll.requestParameters as object), ruleAction: "deny" } }] },
  ],
});
