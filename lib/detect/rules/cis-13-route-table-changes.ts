import { SERVICE_LINKED_ROLES, all, call, eq, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const ec2 = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName,
    requestParameters,
    responseElements: { requestId: "9f2e4a6c-1b3d-4e5f-8a7b-6c5d4e3f2a1b", _return: true },
    ...fields,
  });

const defaultRouteToIgw = ec2("CreateRoute", { routeTableId: "rtb-0a1b2c3d4e5f60001", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-0a1b2c3d4e5f60001" });

export default defineRule({
  id: "cis-13-route-table-changes",
  title: "Route table changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.13: a route or route table was created, replaced or deleted, or a subnet's route table association changed (AssociateRouteTable added to the CIS list, as it re-routes a subnet too). A changed route can send a private subnet's traffic to the internet or through an instance that captures it. Noisy: infrastructure-as-code and CI roles; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy, service-linked roles).",
  response:
    "Read the route in the event (destination, target gateway, instance or interface) and whether a reviewed deployment made it; restore the previous route if not and check flow logs for traffic that took the new path.",
  severity: "low",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", [
      "CreateRoute",
      "CreateRouteTable",
      "ReplaceRoute",
      "ReplaceRouteTableAssociation",
      "DeleteRouteTable",
      "DeleteRoute",
      "DisassociateRouteTable",
      "AssociateRouteTable",
    ]),
    succeeded(),
    not(eq("eventType", "AwsVpceEvent")),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "default route to an internet gateway", fires: true, records: [defaultRouteToIgw] },
    {
      name: "route replaced to go through an instance's interface",
      fires: true,
      records: [ec2("ReplaceRoute", { routeTableId: "rtb-0a1b2c3d4e5f60001", destinationCidrBlock: "10.20.0.0/16", networkInterfaceId: "eni-0a1b2c3d4e5f60009" }, { userIdentity: assumedRole("admin") })],
    },
    {
      name: "subnet associated with another route table",
      fires: true,
      records: [ec2("AssociateRouteTable", { routeTableId: "rtb-0a1b2c3d4e5f60002", subnetId: "subnet-0a1b2c3d4e5f60001" }, { responseElements: { requestId: "9f2e4a6c-1b3d-4e5f-8a7b-6c5d4e3f2a1c", associationId: "rtbassoc-0a1b2c3d4e5f60001" } })],
    },
    { name: "CreateRoute that failed (UnauthorizedOperation)", fires: false, records: [failed(defaultRouteToIgw, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "DescribeRouteTables (read-only)", fires: false, records: [ec2("DescribeRouteTables", { routeTableIdSet: {}, filterSet: {} }, { readOnly: true, responseElements: null })] },
    {
      name: "route created by a service-linked role",
      fires: false,
      records: [
        {
          ...defaultRouteToIgw,
          userIdentity: {
            ...assumedRole("AWSServiceRoleForVPCTransitGateway", "TransitGateway"),
            sessionContext: {
              sessionIssuer: {
                type: "Role",
                principalId: "AROAEXAMPLEROLEID",
                arn: "arn:aws:iam::111122223333:role/aws-service-role/transitgateway.amazonaws.com/AWSServiceRoleForVPCTransitGateway",
                accountId: "111122223333",
                userName: "AWSServiceRoleForVPCTransitGateway",
              },
              attributes: { creationDate: "2026-11-02T09:59:00Z", mfaAuthenticated: "false" },
            },
          },
        },
      ],
    },
  ],
});
