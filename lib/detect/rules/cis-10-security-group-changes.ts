import { SERVICE_LINKED_ROLES, all, call, eq, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const ec2 = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName,
    requestParameters,
    responseElements: { requestId: "5a8f2d4e-9c6b-4e1a-8f3d-2b7c6e9a1d40", _return: true },
    ...fields,
  });

const openSsh = ec2("AuthorizeSecurityGroupIngress", {
  groupId: "sg-0123456789abcdef0",
  ipPermissions: {
    items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] }, ipv6Ranges: {}, prefixListIds: {} }],
  },
});

export default defineRule({
  id: "cis-10-security-group-changes",
  title: "Security group changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.10: a security group was created or deleted, or an ingress/egress rule added, removed or modified (ModifySecurityGroupRules added, as it changes rules without the Authorize/Revoke calls). Security groups are the instance firewall; an unplanned change can expose a service to the internet or open an exfiltration path. Noisy: infrastructure-as-code, CI roles and autoscaling platforms change groups constantly; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy, service-linked roles).",
  response:
    "Read the rule in the event (ports, CIDRs such as 0.0.0.0/0 or ::/0, referenced groups) and whether a reviewed deployment made it; revoke an unexpected opening and check flow logs for traffic it let in.",
  severity: "low",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", [
      "AuthorizeSecurityGroupIngress",
      "AuthorizeSecurityGroupEgress",
      "RevokeSecurityGroupIngress",
      "RevokeSecurityGroupEgress",
      "ModifySecurityGroupRules",
      "CreateSecurityGroup",
      "DeleteSecurityGroup",
    ]),
    succeeded(),
    not(eq("eventType", "AwsVpceEvent")),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "SSH opened to the world", fires: true, records: [openSsh] },
    {
      name: "security group created by an assumed role",
      fires: true,
      records: [
        ec2(
          "CreateSecurityGroup",
          { groupName: "prod-webapp-webserver-security", groupDescription: "prod-webapp-webserver Security SG", vpcId: "vpc-a1a044c7" },
          { userIdentity: assumedRole("Operator", "ryan@example.com"), responseElements: { requestId: "594fe3e3-0f74-4085-9336-189b36a1cd8c", _return: true, groupId: "sg-04d018d184a18f647" } },
        ),
      ],
    },
    {
      name: "egress rule revoked",
      fires: true,
      records: [
        ec2("RevokeSecurityGroupEgress", {
          groupId: "sg-0123456789abcdef0",
          ipPermissions: { items: [{ ipProtocol: "-1", groups: {}, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] }, ipv6Ranges: {}, prefixListIds: {} }] },
        }),
      ],
    },
    { name: "AuthorizeSecurityGroupIngress that failed (UnauthorizedOperation)", fires: false, records: [failed(openSsh, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "DescribeSecurityGroups (read-only)", fires: false, records: [ec2("DescribeSecurityGroups", { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }, { readOnly: true, responseElements: null })] },
    {
      name: "RDS AuthorizeDBSecurityGroupIngress (another service)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "rds.amazonaws.com", eventName: "AuthorizeDBSecurityGroupIngress", requestParameters: { dBSecurityGroupName: "default", cIDRIP: "0.0.0.0/0" } })],
    },
    {
      name: "rule added by a CloudFormation stack (invokedBy)",
      fires: false,
      records: [{ ...openSsh, userIdentity: { ...assumedRole("deploy"), invokedBy: "cloudformation.amazonaws.com" }, sourceIPAddress: "cloudformation.amazonaws.com", userAgent: "cloudformation.amazonaws.com" }],
    },
  ],
});
