import { SERVICE_LINKED_ROLES, all, call, eq, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const ec2 = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName,
    requestParameters,
    responseElements: { requestId: "3c9d1e7f-5a2b-4d8c-b6e0-7f1a2b3c4d5e", _return: true },
    ...fields,
  });

const attachIgw = ec2("AttachInternetGateway", { internetGatewayId: "igw-0a1b2c3d4e5f60001", vpcId: "vpc-0a1b2c3d4e5f60001" });

export default defineRule({
  id: "cis-12-network-gateway-changes",
  title: "Network gateway changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.12: an internet gateway was created, deleted, attached or detached, or a customer (VPN) gateway created or deleted. Gateways decide whether a VPC reaches the internet or a remote network at all; attaching one to a private VPC is a route for exfiltration or exposure. Noisy: infrastructure-as-code and CI roles; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy, service-linked roles).",
  response:
    "Check which VPC gained or lost the gateway and whether a reviewed deployment made it; for an unexpected attachment detach the gateway, then look at the VPC's route tables and flow logs for traffic through it.",
  severity: "medium",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"]),
    succeeded(),
    not(eq("eventType", "AwsVpceEvent")),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "internet gateway attached to a VPC", fires: true, records: [attachIgw] },
    {
      name: "customer gateway created by an assumed role",
      fires: true,
      records: [
        ec2(
          "CreateCustomerGateway",
          { type: "ipsec.1", ipAddress: "203.0.113.12", bgpAsn: 65000 },
          {
            userIdentity: assumedRole("network-admin"),
            responseElements: { requestId: "3c9d1e7f-5a2b-4d8c-b6e0-7f1a2b3c4d5f", customerGateway: { customerGatewayId: "cgw-0a1b2c3d4e5f60001", state: "available", type: "ipsec.1", ipAddress: "203.0.113.12", bgpAsn: "65000", tagSet: {} } },
          },
        ),
      ],
    },
    { name: "AttachInternetGateway that failed (UnauthorizedOperation)", fires: false, records: [failed(attachIgw, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "DescribeInternetGateways (read-only)", fires: false, records: [ec2("DescribeInternetGateways", { internetGatewayIdSet: {}, filterSet: {} }, { readOnly: true, responseElements: null })] },
  ],
});
