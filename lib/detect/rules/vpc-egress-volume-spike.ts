import { all, cidr, eq, PRIVATE_NETWORKS, publicAddress } from "../conditions";
import { defineRule } from "../define-rule";
import { FLOW_START as START, flowRecord, times } from "./examples";

const GB = 1_000_000_000;

/** One flow record in the default (v2) format: an instance sending to the internet. */
const flow = (fields: Record<string, unknown>) => flowRecord({ srcaddr: "10.0.1.15", dstaddr: "203.0.113.80", packets: 700_000, bytes: GB, action: "ACCEPT", ...fields });

export default defineRule({
  id: "vpc-egress-volume-spike",
  title: "Large volume sent to the internet by one host",
  description:
    "One private address sending more than 5 GB to public addresses within an hour may be exfiltrating data (DETECTIONS.md F4). " +
    "Noisy: NAT gateways, public web or download servers (their responses count as bytes out) and backup jobs to S3 (S3 addresses are public) exceed this legitimately; nothing is allow-listed by default, so add their source CIDRs. " +
    "The threshold is fixed for every host: a per-host baseline (M times a host's usual volume) is future work.",
  response:
    "Identify the instance behind the source address and the destinations that received the bytes (flow search); if the destinations are not known services or buckets of yours, isolate the instance and review who accessed it.",
  severity: "medium",
  techniques: ["T1048", "T1041"],
  source: "vpcflow",
  match: all(eq("action", "ACCEPT"), eq("log-status", "OK"), cidr("srcaddr", PRIVATE_NETWORKS), publicAddress("dstaddr")),
  groupBy: ["account-id", "srcaddr"],
  aggregation: {
    statistic: "sum",
    field: "bytes",
    periodSeconds: 3600,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 5 * GB,
    comparison: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    {
      name: "6 GB to one internet address in 30 minutes",
      fires: true,
      records: times(6, (i) => flow({ start: START + i * 300, end: START + i * 300 + 60 })),
    },
    {
      name: "4 GB in an hour: below the threshold",
      fires: false,
      records: times(4, (i) => flow({ start: START + i * 600, end: START + i * 600 + 60 })),
    },
    {
      name: "6 GB to another host inside the VPC",
      fires: false,
      records: times(6, (i) => flow({ dstaddr: "10.0.2.30", start: START + i * 300, end: START + i * 300 + 60 })),
    },
    {
      name: "6 GB spread over six hours",
      fires: false,
      records: times(6, (i) => flow({ start: START + i * 3600, end: START + i * 3600 + 60 })),
    },
  ],
});
