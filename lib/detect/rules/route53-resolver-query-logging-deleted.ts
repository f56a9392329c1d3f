import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** DeleteResolverQueryLogConfig as in Panther's test event. */
const deleteConfig = cloudTrailEvent({
  eventSource: "route53resolver.amazonaws.com",
  eventName: "DeleteResolverQueryLogConfig",
  requestParameters: { resolverQueryLogConfigId: "rqlc-5aa596fe3bd84ec6" },
  responseElements: {
    resolverQueryLogConfig: {
      id: "rqlc-5aa596fe3bd84ec6",
      ownerId: "111122223333",
      status: "DELETING",
      shareStatus: "NOT_SHARED",
      associationCount: 0,
      arn: "arn:aws:route53resolver:us-east-1:111122223333:resolver-query-log-config/rqlc-5aa596fe3bd84ec6",
      name: "vpc-dns-logs",
      destinationArn: "arn:aws:logs:us-east-1:111122223333:log-group:/dns/queries",
    },
  },
});

export default defineRule({
  id: "route53-resolver-query-logging-deleted",
  title: "Route 53 Resolver query logging deleted",
  description:
    "Deleting a Resolver query logging configuration, or disassociating it from a VPC, ends the DNS record of that VPC's workloads, which is where command-and-control and DNS exfiltration show up (DETECTIONS.md B8).",
  response:
    "Find which VPCs the configuration covered (its associations, Config history), recreate or re-associate it, then review the principal's other activity and the VPCs' DNS traffic in flow logs for the gap.",
  severity: "high",
  techniques: ["T1562.008"],
  source: "cloudtrail",
  match: all(call("route53resolver.amazonaws.com", ["DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"]), succeeded()),
  examples: [
    { name: "DeleteResolverQueryLogConfig by an IAM user", fires: true, records: [deleteConfig] },
    {
      name: "DisassociateResolverQueryLogConfig from a VPC",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "route53resolver.amazonaws.com",
          eventName: "DisassociateResolverQueryLogConfig",
          userIdentity: assumedRole("network-admin"),
          requestParameters: { resolverQueryLogConfigId: "rqlc-5aa596fe3bd84ec6", resourceId: "vpc-0a1b2c3d4e5f60001" },
        }),
      ],
    },
    { name: "DeleteResolverQueryLogConfig that failed (AccessDenied)", fires: false, records: [failed(deleteConfig)] },
    {
      name: "ListResolverQueryLogConfigs (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "route53resolver.amazonaws.com", eventName: "ListResolverQueryLogConfigs", readOnly: true, requestParameters: { maxResults: 10 } })],
    },
  ],
});
