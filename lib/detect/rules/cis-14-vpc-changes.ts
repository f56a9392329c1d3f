import { SERVICE_LINKED_ROLES, all, call, eq, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const ec2 = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName,
    requestParameters,
    responseElements: { requestId: "6b1d3f5a-7c9e-4b2d-a4f6-8e0c2a4b6d8f", _return: true },
    ...fields,
  });

const peering = ec2(
  "CreateVpcPeeringConnection",
  { vpcId: "vpc-0a1b2c3d4e5f60001", peerVpcId: "vpc-0f9e8d7c6b5a40001", peerOwnerId: "444455556666", peerRegion: "us-east-1" },
  {
    responseElements: {
      requestId: "6b1d3f5a-7c9e-4b2d-a4f6-8e0c2a4b6d90",
      vpcPeeringConnection: {
        vpcPeeringConnectionId: "pcx-0a1b2c3d4e5f60001",
        requesterVpcInfo: { ownerId: "111122223333", vpcId: "vpc-0a1b2c3d4e5f60001", cidrBlock: "10.0.0.0/16", region: "us-east-1" },
        accepterVpcInfo: { ownerId: "444455556666", vpcId: "vpc-0f9e8d7c6b5a40001", region: "us-east-1" },
        status: { code: "initiating-request", message: "Initiating Request to 444455556666" },
        tagSet: {},
      },
    },
  },
);

export default defineRule({
  id: "cis-14-vpc-changes",
  title: "VPC changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.14: a VPC was created, deleted or had an attribute modified, a peering connection was requested, accepted, rejected or deleted, or ClassicLink was attached, detached, enabled or disabled. A peering connection to another account is a private path for data out of the VPC. Noisy: infrastructure-as-code and CI roles; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy, service-linked roles).",
  response:
    "Check the VPC and, for peering, the peer account and VPC against the known network design; reject or delete an unexpected peering connection and review the routes that point at it.",
  severity: "medium",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", [
      "CreateVpc",
      "DeleteVpc",
      "ModifyVpcAttribute",
      "AcceptVpcPeeringConnection",
      "CreateVpcPeeringConnection",
      "DeleteVpcPeeringConnection",
      "RejectVpcPeeringConnection",
      "AttachClassicLinkVpc",
      "DetachClassicLinkVpc",
      "DisableVpcClassicLink",
      "EnableVpcClassicLink",
    ]),
    succeeded(),
    not(eq("eventType", "AwsVpceEvent")),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "peering requested with another account's VPC", fires: true, records: [peering] },
    {
      name: "DNS support turned off by an assumed role",
      fires: true,
      records: [ec2("ModifyVpcAttribute", { vpcId: "vpc-0a1b2c3d4e5f60001", enableDnsSupport: { value: false } }, { userIdentity: assumedRole("admin") })],
    },
    {
      name: "VPC created",
      fires: true,
      records: [
        ec2("CreateVpc", { cidrBlock: "10.1.0.0/16", instanceTenancy: "default", amazonProvidedIpv6CidrBlock: false }, {
          responseElements: { requestId: "6b1d3f5a-7c9e-4b2d-a4f6-8e0c2a4b6d91", vpc: { vpcId: "vpc-0a1b2c3d4e5f60002", state: "pending", ownerId: "111122223333", cidrBlock: "10.1.0.0/16", isDefault: false } },
        }),
      ],
    },
    { name: "CreateVpcPeeringConnection that failed (UnauthorizedOperation)", fires: false, records: [failed(peering, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "DescribeVpcs (read-only)", fires: false, records: [ec2("DescribeVpcs", { vpcSet: {}, filterSet: {} }, { readOnly: true, responseElements: null })] },
  ],
});
