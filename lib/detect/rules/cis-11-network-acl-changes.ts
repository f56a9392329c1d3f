import { SERVICE_LINKED_ROLES, all, call, eq, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const ec2 = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName,
    requestParameters,
    responseElements: { requestId: "8e1c7f3a-2b4d-4c6e-9a0f-1d2e3f4a5b6c", _return: true },
    ...fields,
  });

const allowAllEntry = ec2("CreateNetworkAclEntry", {
  networkAclId: "acl-0a1b2c3d4e5f60001",
  ruleNumber: 90,
  egress: false,
  ruleAction: "allow",
  icmpTypeCode: {},
  portRange: {},
  aclProtocol: "-1",
  cidrBlock: "0.0.0.0/0",
});

export default defineRule({
  id: "cis-11-network-acl-changes",
  title: "Network ACL changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.11: a network ACL or one of its entries was created, deleted or replaced, or a subnet moved to another ACL. Network ACLs are the subnet firewall; an unplanned change can let traffic in or out that the design blocks. Noisy: infrastructure-as-code and CI roles; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy, service-linked roles).",
  response:
    "Read the entry in the event (rule number, allow or deny, CIDR, ports, ingress or egress) and whether a reviewed deployment made it; restore the previous entry if not, and check flow logs for traffic it allowed.",
  severity: "low",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"]),
    succeeded(),
    not(eq("eventType", "AwsVpceEvent")),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "allow-all inbound entry added", fires: true, records: [allowAllEntry] },
    {
      name: "subnet moved to another ACL by an assumed role",
      fires: true,
      records: [
        ec2(
          "ReplaceNetworkAclAssociation",
          { associationId: "aclassoc-0a1b2c3d4e5f60001", networkAclId: "acl-0a1b2c3d4e5f60002" },
          { userIdentity: assumedRole("admin"), responseElements: { requestId: "8e1c7f3a-2b4d-4c6e-9a0f-1d2e3f4a5b6d", newAssociationId: "aclassoc-0a1b2c3d4e5f60003" } },
        ),
      ],
    },
    { name: "deny entry deleted", fires: true, records: [ec2("DeleteNetworkAclEntry", { networkAclId: "acl-0a1b2c3d4e5f60001", ruleNumber: 50, egress: false })] },
    {
      name: "CreateNetworkAclEntry with DryRun (Client.DryRunOperation)",
      fires: false,
      records: [failed(allowAllEntry, "Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set.")],
    },
    { name: "DescribeNetworkAcls (read-only)", fires: false, records: [ec2("DescribeNetworkAcls", { networkAclIdSet: {}, filterSet: {} }, { readOnly: true, responseElements: null })] },
  ],
});
