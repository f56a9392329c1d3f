import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateAlarm, missingDataCanAlarm } from "./evaluate-alarm";
import type { Aggregation } from "./rule-schema";

const agg = (overrides: Partial<Aggregation> = {}): Aggregation => ({
  statistic: "count",
  periodSeconds: 300,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  threshold: 5,
  comparison: "GreaterThanOrEqualToThreshold",
  treatMissingData: "missing",
  ...overrides,
});
const states = (points: [number, number][], a: Aggregation, ends: number[]) =>
  evaluateAlarm(points.map(([bucket, value]) => ({ bucket, value })), a, ends).map((e) => e.state);

describe("evaluateAlarm (CloudWatch M of N)", () => {
  it("alarms when M of the last N datapoints breach, and only then", () => {
    // buckets 10..14: 6 (breach), 1, 7 (breach), 2, 1
    const points: [number, number][] = [[10, 6], [11, 1], [12, 7], [13, 2], [14, 1]];
    assert.deepEqual(states(points, agg(), [10, 11, 12, 13, 14]), ["OK", "OK", "ALARM", "OK", "OK"]);
  });

  it("compares with each CloudWatch operator exactly at the threshold", () => {
    const at = (comparison: Aggregation["comparison"]) => states([[1, 5]], agg({ comparison, evaluationPeriods: 1, datapointsToAlarm: 1 }), [1])[0];
    assert.equal(at("GreaterThanOrEqualToThreshold"), "ALARM");
    assert.equal(at("GreaterThanThreshold"), "OK");
    assert.equal(at("LessThanOrEqualToThreshold"), "ALARM");
    assert.equal(at("LessThanThreshold"), "OK");
  });

  it("treats a window without datapoints as treatMissingData says", () => {
    const empty = (treatMissingData: Aggregation["treatMissingData"]) => states([], agg({ treatMissingData }), [20])[0];
    assert.equal(empty("missing"), "INSUFFICIENT_DATA");
    assert.equal(empty("notBreaching"), "OK");
    assert.equal(empty("breaching"), "ALARM");
    assert.equal(empty("ignore"), null);
  });

  it("counts missing periods as breaching only with treatMissingData: breaching", () => {
    // one non-breaching datapoint and two missing periods in the window
    assert.equal(states([[5, 1]], agg({ treatMissingData: "breaching" }), [6])[0], "ALARM");
    assert.equal(states([[5, 1]], agg({ treatMissingData: "notBreaching" }), [6])[0], "OK");
  });

  it("knows which rules only missing data can raise", () => {
    assert.equal(missingDataCanAlarm(agg()), false);
    assert.equal(missingDataCanAlarm(agg({ treatMissingData: "breaching" })), true);
    assert.equal(missingDataCanAlarm(agg({ comparison: "LessThanThreshold" })), true);
  });
});
