import { all, any, cidr, eq } from "../conditions";
import { defineRule } from "../define-rule";
import { flowRecord } from "./examples";

/**
 * The IP list. A PLACEHOLDER of documentation networks (RFC 5737, RFC 3849), which never
 * carry real traffic: replace it with your threat-intel feed's addresses and networks
 * (e.g. an abuse.ch or Spamhaus DROP export) before enabling the rule.
 */
const LISTED = ["192.0.2.0/24", "2001:db8:bad::/48"];

/** One flow record in the default (v2) format. */
const flow = (fields: Record<string, unknown>) => flowRecord({ srcaddr: "10.0.1.15", dstaddr: "198.51.100.23", packets: 12, bytes: 2400, action: "ACCEPT", ...fields });

export default defineRule({
  id: "vpc-threat-intel-traffic",
  title: "Traffic to or from a threat-intel address",
  description:
    "Flows to an address on a threat-intel list (any action: something inside tried to reach it, e.g. malware calling its command server) or accepted flows from one (DETECTIONS.md F5). " +
    "Needs configuration: the shipped list is a placeholder of documentation networks and must be replaced by your feed's addresses (the rule's cidr values), so the rule ships disabled. " +
    "Rejected inbound flows from listed addresses are left out: blocked background scanning is not worth an alert.",
  response:
    "Identify the internal host in the flow and what process talks to the listed address; if the traffic was outbound and accepted, treat the host as compromised: isolate it and preserve its disk.",
  severity: "high",
  techniques: ["T1071"],
  source: "vpcflow",
  enabled: false,
  match: all(eq("log-status", "OK"), any(cidr("dstaddr", LISTED), all(cidr("srcaddr", LISTED), eq("action", "ACCEPT")))),
  groupBy: ["account-id", "srcaddr"],
  examples: [
    { name: "an instance connecting out to a listed address", fires: true, records: [flow({ dstaddr: "192.0.2.66" })] },
    { name: "an outbound attempt to a listed address, rejected", fires: true, records: [flow({ dstaddr: "192.0.2.66", action: "REJECT" })] },
    { name: "a listed IPv6 address let in", fires: true, records: [flow({ srcaddr: "2001:db8:bad::17", dstaddr: "2001:db8:1234:a102::15", srcport: 40404, dstport: 22 })] },
    { name: "the same connection to an unlisted address", fires: false, records: [flow({ dstaddr: "198.51.100.23" })] },
    { name: "a listed address's probe rejected at the edge", fires: false, records: [flow({ srcaddr: "192.0.2.66", dstaddr: "10.0.1.15", srcport: 40404, dstport: 22, action: "REJECT" })] },
  ],
});
