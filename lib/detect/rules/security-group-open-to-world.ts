import { all, any, call, eq, gte, isIn, lte, succeeded } from "../conditions";
import type { Condition } from "../rule-schema";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** SSH, Telnet, RDP, VNC, WinRM (HTTP and HTTPS). */
const REMOTE_ACCESS_PORTS = [22, 23, 3389, 5900, 5985, 5986];

const PERMISSION = "requestParameters.ipPermissions.items";

/** Some permission's port range covers `port` (from ≤ port ≤ to). */
const covers = (port: number): Condition => all(lte(`${PERMISSION}.fromPort`, port), gte(`${PERMISSION}.toPort`, port));

/** One rule as AWS writes it (ports are numbers from SDKs, strings from the console). */
const permission = (fromPort: number | string, toPort: number | string, cidrIp: string, ipProtocol = "tcp") => ({
  ipProtocol,
  fromPort,
  toPort,
  groups: {},
  ipRanges: { items: [{ cidrIp }] },
  ipv6Ranges: {},
  prefixListIds: {},
});

const sshToWorld = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "AuthorizeSecurityGroupIngress",
  userIdentity: assumedRole("Operator", "ryan@example.com"),
  userAgent: "aws-sdk-go/1.24.1 (go1.14; darwin; amd64)",
  requestParameters: { groupId: "sg-0d921df5d84f7270a", ipPermissions: { items: [permission(22, 22, "0.0.0.0/0")] } },
  responseElements: { requestId: "2be70b99-4937-4a76-b7d9-390b6d0eda73", _return: true },
});

const withPermissions = (...items: object[]) => ({ ...sshToWorld, requestParameters: { groupId: "sg-0d921df5d84f7270a", ipPermissions: { items } } });

export default defineRule({
  id: "security-group-open-to-world",
  title: "Security group opened to the internet on a remote-access port",
  description:
    "An ingress rule from 0.0.0.0/0 or ::/0 covering SSH (22), Telnet (23), RDP (3389), VNC (5900) or WinRM (5985/5986), or allowing all protocols, exposes instances to internet-wide brute force and exploitation within minutes (DETECTIONS.md B35). Limitation: the rule engine tests each field across all permissions of a call independently, so a call that opens one port to the world and a remote-access port to a narrow range in another permission also fires; the alert then needs a look at the request.",
  response:
    "Read the request's ipPermissions, then revoke the world-open rule (RevokeSecurityGroupIngress) unless it is intended, restrict it to known addresses or use Session Manager / EC2 Instance Connect instead; check flow logs for inbound connections to the port since.",
  severity: "high",
  techniques: ["T1562.007"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["AuthorizeSecurityGroupIngress"]),
    succeeded(),
    any(isIn(`${PERMISSION}.ipRanges.items.cidrIp`, ["0.0.0.0/0"]), isIn(`${PERMISSION}.ipv6Ranges.items.cidrIpv6`, ["::/0"])),
    any(eq(`${PERMISSION}.ipProtocol`, "-1"), ...REMOTE_ACCESS_PORTS.map(covers)),
  ),
  examples: [
    { name: "SSH open to 0.0.0.0/0", fires: true, records: [sshToWorld] },
    { name: "RDP open to ::/0 (ports as strings, from the console)", fires: true, records: [withPermissions({ ...permission("3389", "3389", "10.0.0.0/8"), ipRanges: {}, ipv6Ranges: { items: [{ cidrIpv6: "::/0" }] } })] },
    { name: "all TCP ports open to the world", fires: true, records: [withPermissions(permission(0, 65535, "0.0.0.0/0"))] },
    { name: "all protocols open to the world", fires: true, records: [withPermissions({ ipProtocol: "-1", groups: {}, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] }, ipv6Ranges: {}, prefixListIds: {} })] },
    { name: "SSH from one /32 address", fires: false, records: [withPermissions(permission(22, 22, "198.51.100.7/32"))] },
    { name: "HTTPS open to the world", fires: false, records: [withPermissions(permission(443, 443, "0.0.0.0/0"))] },
    { name: "SSH to the world that failed (UnauthorizedOperation)", fires: false, records: [failed(sshToWorld, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "SSH to the world as an egress rule", fires: false, records: [{ ...sshToWorld, eventName: "AuthorizeSecurityGroupEgress" }] },
  ],
});
