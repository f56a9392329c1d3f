import { all, eq, publicAddress } from "../conditions";
import { defineRule } from "../define-rule";
import { flowRecord, times } from "./examples";

/** One flow record in the default (v2) format. */
const flow = flowRecord;

export default defineRule({
  id: "vpc-port-scan",
  title: "Port scan from one source",
  description:
    "One public address probing 25 or more distinct destination ports within 5 minutes, mostly refused, is a port scan (DETECTIONS.md F1): reconnaissance that usually precedes an attempt on whatever answered.",
  response:
    "Check which probed ports were ACCEPTed (flow search on the source), whether the source appears in CloudTrail, and block it in the network ACL if the scan continues.",
  severity: "medium",
  techniques: ["T1046"],
  source: "vpcflow",
  match: all(eq("log-status", "OK"), publicAddress("srcaddr")),
  groupBy: ["account-id", "srcaddr"],
  aggregation: {
    statistic: "distinctCount",
    field: "dstport",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 25,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    { name: "40 ports probed in a minute", fires: true, records: times(40, (i) => flow({ dstport: 1000 + i, srcport: 40000 + i })) },
    { name: "a client using 30 source ports to one service port", fires: false, records: times(30, (i) => flow({ dstport: 443, srcport: 40000 + i, action: "ACCEPT" })) },
    { name: "an internal scanner (private source)", fires: false, records: times(40, (i) => flow({ srcaddr: "10.0.5.9", dstport: 1000 + i })) },
  ],
});
