import { all, eq, exists } from "../conditions";
import { defineRule } from "../define-rule";
import { FLOW_START as START, flowRecord, times } from "./examples";

/** One flow record in the default (v2) format. */
const flow = (fields: Record<string, unknown>) => flowRecord({ dstport: 22, bytes: 60, ...fields });

export default defineRule({
  id: "vpc-rejected-burst",
  title: "Burst of rejected flows from one source",
  description:
    "One address with 100 or more rejected flows within 5 minutes is hammering the network: brute force against a closed port, a sweep of many hosts, or a misbehaving or compromised internal host (DETECTIONS.md F3). " +
    "Internet background scanning stays far below this per source; internal sources count too, since rejects from inside the VPC are rarer and more telling.",
  response:
    "Look up the source: internal (which instance, what changed on it) or external (reputation, whether any of its flows were ACCEPTed). Block a persistent external source in the network ACL.",
  severity: "low",
  techniques: ["T1046", "T1110"],
  source: "vpcflow",
  match: all(eq("action", "REJECT"), eq("log-status", "OK"), exists("srcaddr")),
  groupBy: ["account-id", "srcaddr"],
  aggregation: {
    statistic: "count",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 100,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    {
      name: "120 rejected connection attempts in two minutes",
      fires: true,
      records: times(120, (i) => flow({ srcport: 40000 + i, start: START + i, end: START + i + 30 })),
    },
    {
      name: "an internal host sweeping 110 addresses",
      fires: true,
      records: times(110, (i) => flow({ srcaddr: "10.0.3.7", dstaddr: `10.0.${Math.floor(i / 50)}.${(i % 50) + 10}`, dstport: 445, srcport: 50000 + i })),
    },
    { name: "90 rejects: below the threshold", fires: false, records: times(90, (i) => flow({ srcport: 40000 + i })) },
    {
      name: "120 rejects spread over an hour",
      fires: false,
      records: times(120, (i) => flow({ srcport: 40000 + i, start: START + i * 30, end: START + i * 30 + 30 })),
    },
    { name: "120 accepted flows", fires: false, records: times(120, (i) => flow({ srcport: 40000 + i, dstport: 443, action: "ACCEPT" })) },
  ],
});
