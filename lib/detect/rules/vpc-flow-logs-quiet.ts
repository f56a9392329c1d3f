import { exists } from "../conditions";
import { defineRule } from "../define-rule";
import { FLOW_START as START, flowRecord, times } from "./examples";

/** One flow record in the default (v2) format. */
const flow = (fields: Record<string, unknown>) => flowRecord({ srcaddr: "10.0.1.15", dstaddr: "203.0.113.80", packets: 10, bytes: 840, action: "ACCEPT", ...fields });

/** An interface's records every 10 minutes for `minutes` minutes from 10:00. */
const reporting = (minutes: number, eni = "eni-0a1b2c3d4e5f60001") =>
  times(minutes / 10, (i) => flow({ "interface-id": eni, srcport: 51000 + i, start: START + i * 600, end: START + i * 600 + 60 }));

export default defineRule({
  id: "vpc-flow-logs-quiet",
  title: "Flow logs went quiet for an account",
  description:
    "An account whose flow logs wrote records (OK, NODATA or SKIPDATA) and then none for a whole clock hour (DETECTIONS.md F7): its flow logs may have been deleted (DeleteFlowLogs), or delivery is broken. " +
    "Evaluated by the scheduler on wall-clock time, per account: per interface it would alarm for every stopped instance and idle Lambda interface. " +
    "Add interface-id to the group to watch interfaces that must always report.",
  response:
    "Check the flow log still exists and is ACTIVE (ec2 describe-flow-logs) and CloudTrail for DeleteFlowLogs; if the interface still exists and its instance runs, fix delivery (S3 bucket policy, destination) and treat an unexplained deletion as tampering.",
  severity: "medium",
  techniques: ["T1562.008"],
  source: "vpcflow",
  match: exists("interface-id"),
  groupBy: ["account-id"],
  aggregation: {
    statistic: "count",
    periodSeconds: 3600,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparison: "LessThanThreshold",
    treatMissingData: "breaching",
  },
  examples: [
    {
      name: "an interface that reported from 10:00 to 10:50 and then stopped, evaluated at 12:00",
      fires: true,
      records: reporting(60),
      evaluateAt: "2026-11-02T12:00:00Z",
    },
    {
      name: "an interface that kept reporting until 11:50, evaluated at 12:00",
      fires: false,
      records: reporting(120),
      evaluateAt: "2026-11-02T12:00:00Z",
    },
    {
      name: "an idle interface that kept writing NODATA records",
      fires: false,
      records: times(12, (i) => ({
        version: 2,
        "account-id": "111122223333",
        "interface-id": "eni-0a1b2c3d4e5f60002",
        start: START + i * 600,
        end: START + i * 600 + 58,
        "log-status": "NODATA",
      })),
      evaluateAt: "2026-11-02T12:00:00Z",
    },
  ],
});
