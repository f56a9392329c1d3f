import { all, any, cidr, eq, isIn, PRIVATE_NETWORKS, publicAddress } from "../conditions";
import { defineRule } from "../define-rule";
import { flowRecord } from "./examples";

/** One flow record in the default (v2) format: an internet client reaching an instance's private address. */
const flow = (fields: Record<string, unknown>) => flowRecord({ dstport: 22, packets: 20, bytes: 4249, action: "ACCEPT", ...fields });

export default defineRule({
  id: "vpc-remote-access-exposure",
  title: "SSH or RDP accepted from the internet",
  description:
    "A public address got through to SSH (22) or RDP (3389) on an instance (DETECTIONS.md F2): the port is open to the internet and is being used or brute-forced. " +
    "Noisy where a bastion is public on purpose: allow-list its clients by source CIDR, or add the bastion's account. Other remote-access ports (5900, 5985/5986) can be added to the port list. " +
    "The destination is the instance's private address (IPv4) or, with the v5 flow-direction field, any ingress flow (IPv6 global addresses).",
  response:
    "Find the security group rule that lets the source in (0.0.0.0/0 or ::/0 on the port), check the instance's auth logs for logins from the source, and restrict the rule to known networks or move access to SSM Session Manager.",
  severity: "medium",
  techniques: ["T1133", "T1021.004", "T1021.001"],
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
  examples: [
    { name: "SSH from an internet address accepted", fires: true, records: [flow({})] },
    { name: "RDP from an internet address accepted", fires: true, records: [flow({ dstport: 3389, srcaddr: "203.0.113.77" })] },
    { name: "SSH over IPv6, ingress (v5 format)", fires: true, records: [flow({ version: 5, srcaddr: "2001:db8:1234:a100:8d6e:3477:df66:f105", dstaddr: "2001:db8:1234:a102:3304:8879:34cf:4071", "flow-direction": "ingress" })] },
    { name: "SSH from the internet rejected by the security group", fires: false, records: [flow({ action: "REJECT" })] },
    { name: "SSH from inside the VPC", fires: false, records: [flow({ srcaddr: "10.0.2.40" })] },
    { name: "reply from an internet SSH server to an outbound session", fires: false, records: [flow({ srcaddr: "198.51.100.23", srcport: 22, dstaddr: "10.0.1.15", dstport: 51515 })] },
    { name: "HTTPS from the internet accepted", fires: false, records: [flow({ dstport: 443 })] },
  ],
});
