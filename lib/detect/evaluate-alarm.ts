import type { Aggregation } from "./rule-schema";

/** CloudWatch alarm states: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation */
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** One period's statistic for one group: `bucket` = floor(epoch seconds / periodSeconds). */
export interface Datapoint {
  bucket: number;
  value: number;
}

/** The state of one group at the end of period `end` (the window is periods end-N+1 … end). */
export interface Evaluation {
  end: number;
  /** null: `treatMissingData: ignore` and no datapoint, so the state stays what it was. */
  state: AlarmState | null;
  /** The window's datapoints that breach the threshold. */
  breaching: Datapoint[];
}

/** Whether a datapoint's value breaches the threshold. */
export function breaches(value: number, agg: Pick<Aggregation, "comparison" | "threshold">): boolean {
  switch (agg.comparison) {
    case "GreaterThanOrEqualToThreshold":
      return value >= agg.threshold;
    case "GreaterThanThreshold":
      return value > agg.threshold;
    case "LessThanThreshold":
      return value < agg.threshold;
    case "LessThanOrEqualToThreshold":
      return value <= agg.threshold;
  }
}

/**
 * Whether an alarm can be raised by periods without data (a "went quiet"
 * rule, or a LessThan comparison). Such rules need every period evaluated
 * (the scheduler does, on wall-clock time); the others only need periods with
 * breaching datapoints, which ingest-time evaluation finds from new rows.
 */
export function missingDataCanAlarm(agg: Aggregation): boolean {
  return agg.treatMissingData === "breaching" || agg.comparison === "LessThanThreshold" || agg.comparison === "LessThanOrEqualToThreshold";
}

/**
 * Evaluates one group's alarm at each period end in `ends`, M of N:
 * ALARM when at least `datapointsToAlarm` of the last `evaluationPeriods`
 * periods breach (a missing period counts as breaching only with
 * `treatMissingData: breaching`); with no datapoint at all in the window the
 * state follows `treatMissingData` (missing → INSUFFICIENT_DATA, notBreaching →
 * OK, breaching → ALARM, ignore → unchanged). Pure; `datapoints` in any order.
 */
export function evaluateAlarm(datapoints: readonly Datapoint[], agg: Aggregation, ends: Iterable<number>): Evaluation[] {
  const byBucket = new Map(datapoints.map((d) => [d.bucket, d]));
  const n = agg.evaluationPeriods;
  const out: Evaluation[] = [];
  for (const end of ends) {
    const present: Datapoint[] = [];
    for (let b = end - n + 1; b <= end; b++) {
      const d = byBucket.get(b);
      if (d) present.push(d);
    }
    const breaching = present.filter((d) => breaches(d.value, agg));
    let state: AlarmState | null;
    if (present.length === 0) {
      state = { missing: "INSUFFICIENT_DATA", notBreaching: "OK", breaching: "ALARM", ignore: null }[agg.treatMissingData] as AlarmState | null;
    } else {
      const missingBreaches = agg.treatMissingData === "breaching" ? n - present.length : 0;
      state = breaching.length + missingBreaches >= agg.datapointsToAlarm ? "ALARM" : "OK";
    }
    out.push({ end, state, breaching });
  }
  return out;
}
