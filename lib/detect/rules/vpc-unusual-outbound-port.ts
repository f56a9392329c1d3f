import { all, cidr, eq, gte, isIn, lt, not, PRIVATE_NETWORKS, publicAddress } from "../conditions";
import { defineRule } from "../define-rule";
import { flowRecord } from "./examples";

/** Destination ports instances may use towards the internet without an alert: HTTP, HTTPS, NTP. Edit to suit. */
const ALLOWED_PORTS = [80, 443, 123];

/** One flow record in the default (v2) format: an instance opening a connection to the internet. */
const flow = (fields: Record<string, unknown>) => flowRecord({ srcaddr: "10.0.1.15", dstaddr: "203.0.113.80", srcport: 49152, dstport: 6667, packets: 10, bytes: 840, action: "ACCEPT", ...fields });

export default defineRule({
  id: "vpc-unusual-outbound-port",
  title: "Outbound connection to an unusual port",
  description:
    "An instance reached an internet address on a port outside the allow-list (80, 443, 123) (DETECTIONS.md F6): IRC (6667) and Tor (9001) are classic command-and-control channels, mining pools and reverse shells use odd ports, " +
    "and DNS (53) to a public resolver bypasses the VPC resolver (whose traffic flow logs never record), a DNS-tunnelling sign. " +
    "Noisy: outbound SSH, SMTP, database or vendor ports also match; extend the port list or allow-list source CIDRs. " +
    "Flow records have no initiator flag, so replies are told apart by ports: the source port must be 1024 or above and the destination port below 32768 (so replies to clients' ephemeral ports are skipped).",
  response:
    "Identify the instance and the process that opened the connection (netstat, EDR), look up the destination's reputation, and if the port has no business reason, block it in the security group's egress rules and investigate the host.",
  severity: "medium",
  techniques: ["T1571", "T1071", "T1090.003"],
  source: "vpcflow",
  match: all(
    eq("action", "ACCEPT"),
    eq("log-status", "OK"),
    isIn("protocol", [6, 17]),
    not(eq("flow-direction", "ingress")),
    cidr("srcaddr", PRIVATE_NETWORKS),
    publicAddress("dstaddr"),
    not(isIn("dstport", ALLOWED_PORTS)),
    gte("srcport", 1024),
    lt("dstport", 32768),
  ),
  groupBy: ["account-id", "srcaddr", "dstport"],
  examples: [
    { name: "IRC (6667) to the internet", fires: true, records: [flow({})] },
    { name: "Tor relay port (9001), v5 egress", fires: true, records: [flow({ version: 5, dstport: 9001, "flow-direction": "egress" })] },
    { name: "DNS to a public resolver", fires: true, records: [flow({ dstaddr: "198.51.100.53", dstport: 53, protocol: 17, srcport: 53000 })] },
    { name: "HTTPS to the internet", fires: false, records: [flow({ dstport: 443 })] },
    { name: "IRC port attempt rejected by the security group", fires: false, records: [flow({ action: "REJECT" })] },
    { name: "a web server's reply to an internet client", fires: false, records: [flow({ srcport: 443, dstport: 51515 })] },
    { name: "an RDP server's reply to a client's ephemeral port", fires: false, records: [flow({ srcport: 3389, dstport: 49700 })] },
    { name: "port 6667 to another host inside the VPC", fires: false, records: [flow({ dstaddr: "10.0.2.30" })] },
  ],
});
