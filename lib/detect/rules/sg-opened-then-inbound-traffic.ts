import { all, any, call, cidr, eq, isIn, PRIVATE_NETWORKS, publicAddress, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { at, cloudTrailEvent, failed, FLOW_START as START, flowRecord, times } from "./examples";

/** One flow record in the default (v2) format: an internet client reaching an instance's private address. */
const flow = (fields: Record<string, unknown>) => flowRecord({ dstport: 22, packets: 20, bytes: 4249, start: START + 20 * 60, end: START + 21 * 60, action: "ACCEPT", ...fields });

/** Inbound SSH sessions from three internet addresses, 10:20 to 10:40. */
const sshFlows = times(3, (i) => flow({ srcaddr: `198.51.100.${23 + i}`, srcport: 51515 + i, start: START + (20 + i * 10) * 60, end: START + (21 + i * 10) * 60 }));

/** AuthorizeSecurityGroupIngress opening tcp/22 to 0.0.0.0/0, as CloudTrail records it (10:00 unless `eventTime` given). */
const openedToWorld = (fields: Record<string, unknown> = {}) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName: "AuthorizeSecurityGroupIngress",
    requestParameters: {
      groupId: "sg-0d921df5d84f7270a",
      ipPermissions: {
        items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] }, ipv6Ranges: {}, prefixListIds: {} }],
      },
    },
    responseElements: { requestId: "2be70b99-4937-4a76-b7d9-390b6d0eda73", _return: true },
    ...fields,
  });

export default defineRule({
  id: "sg-opened-then-inbound-traffic",
  title: "Security group opened to the world, then inbound SSH or RDP accepted",
  description:
    "A successful AuthorizeSecurityGroupIngress for 0.0.0.0/0 or ::/0 in the account, followed within 60 minutes by internet SSH (22) or RDP (3389) flows being accepted (DETECTIONS.md D): " +
    "the opening is being used, by its author or by whoever scans for new exposures. " +
    "Limits: the join is on the account only: flow records carry no security group id, and the opened rule's port range is not compared with the flow's port, so an opening of another port in the same account also correlates.",
  response:
    "Find the group changed in the CloudTrail event and who changed it; if not planned, revoke the rule, then check the instances behind the accepted flows for logins from the flows' sources.",
  severity: "high",
  techniques: ["T1562.007", "T1133", "T1021.004"],
  source: "vpcflow",
  match: all(
    eq("action", "ACCEPT"),
    eq("log-status", "OK"),
    isIn("protocol", [6, 17]),
    isIn("dstport", [22, 3389]),
    publicAddress("srcaddr"),
    any(cidr("dstaddr", PRIVATE_NETWORKS), eq("flow-direction", "ingress")),
  ),
  groupBy: ["account-id", "dstaddr", "dstport"],
  correlation: {
    source: "cloudtrail",
    match: all(
      call("ec2.amazonaws.com", ["AuthorizeSecurityGroupIngress"]),
      succeeded(),
      any(
        eq("requestParameters.ipPermissions.items.ipRanges.items.cidrIp", "0.0.0.0/0"),
        eq("requestParameters.ipPermissions.items.ipv6Ranges.items.cidrIpv6", "::/0"),
      ),
    ),
    withinSeconds: 3600,
    join: [{ field: "account-id", otherField: "recipientAccountId" }],
    description: "a security group ingress rule opened to 0.0.0.0/0 or ::/0 in the same account",
  },
  examples: [
    { name: "SSH accepted 20 minutes after port 22 was opened to 0.0.0.0/0", fires: true, records: sshFlows, context: { cloudtrail: [openedToWorld()] } },
    {
      name: "RDP accepted after an opening to ::/0",
      fires: true,
      records: [flow({ dstport: 3389 })],
      context: {
        cloudtrail: [
          openedToWorld({
            requestParameters: {
              groupId: "sg-0d921df5d84f7270a",
              ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, groups: {}, ipRanges: {}, ipv6Ranges: { items: [{ cidrIpv6: "::/0" }] }, prefixListIds: {} }] },
            },
          }),
        ],
      },
    },
    { name: "the same SSH flows without any security group change", fires: false, records: sshFlows },
    { name: "the same SSH flows, the group opened three hours earlier", fires: false, records: sshFlows, context: { cloudtrail: [openedToWorld({ eventTime: at("2026-11-02T10:00:00Z", -180) })] } },
    { name: "the opening failed (UnauthorizedOperation)", fires: false, records: sshFlows, context: { cloudtrail: [failed(openedToWorld(), "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] } },
    {
      name: "the group opened to one office network only",
      fires: false,
      records: sshFlows,
      context: {
        cloudtrail: [
          openedToWorld({
            requestParameters: {
              groupId: "sg-0d921df5d84f7270a",
              ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: "198.51.100.0/24" }] }, ipv6Ranges: {}, prefixListIds: {} }] },
            },
          }),
        ],
      },
    },
    { name: "the opening in another account", fires: false, records: sshFlows, context: { cloudtrail: [openedToWorld({ recipientAccountId: "444455556666" })] } },
  ],
});
