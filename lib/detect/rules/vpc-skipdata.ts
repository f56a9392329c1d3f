import { eq } from "../conditions";
import { defineRule } from "../define-rule";
import { FLOW_START as START, times } from "./examples";

/** A SKIPDATA record as AWS documents it: no addresses, ports or counts. */
const skipped = (minute: number, eni = "eni-11111111aaaaaaaaa", status = "SKIPDATA") => ({
  version: 2,
  "account-id": "111122223333",
  "interface-id": eni,
  start: START + minute * 60,
  end: START + minute * 60 + 58,
  "log-status": status,
});

export default defineRule({
  id: "vpc-skipdata",
  title: "Flow logs skipping records",
  description:
    "Five or more SKIPDATA records for one interface within an hour (DETECTIONS.md F8): VPC Flow Logs exceeded its capacity and dropped flows, so traffic on that interface is missing from every flow detection. " +
    "A flood of short connections (a denial of service, or traffic crafted to hide in the noise) is a common cause; a single skipped record is rarely worth attention.",
  response:
    "Look at the interface's accepted and rejected volume around the skipped intervals for a flood or scan, and treat its flow detections for that hour as incomplete; if it recurs, check the interface's traffic pattern with the instance owner.",
  severity: "low",
  source: "vpcflow",
  match: eq("log-status", "SKIPDATA"),
  groupBy: ["account-id", "interface-id"],
  aggregation: {
    statistic: "count",
    periodSeconds: 3600,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 5,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    { name: "six skipped intervals in an hour", fires: true, records: times(6, (i) => skipped(i * 5)) },
    { name: "two skipped intervals", fires: false, records: times(2, (i) => skipped(i * 5)) },
    { name: "six NODATA records (an idle interface)", fires: false, records: times(6, (i) => skipped(i * 5, "eni-11111111aaaaaaaaa", "NODATA")) },
    { name: "six skipped intervals spread over six interfaces", fires: false, records: times(6, (i) => skipped(i * 5, `eni-1111111${i}aaaaaaaaa`)) },
  ],
});
