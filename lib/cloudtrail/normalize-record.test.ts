import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normalizeRecord } from "./normalize-record";
import { sharedSample, testdata, withEventIds } from "./testdata/samples";
import type { CloudTrailRow } from "./types";

/** Record 0 of openregister's delivered file (real account, anonymised), as text and parsed. */
const OPENREGISTER_RECORDS = JSON.parse(testdata("cloudtrail-logs-uncompressed.log").toString()).Records as Record<string, unknown>[];

/** Panther's rule test events (Apache-2.0), one per line, read in place. */
function pantherLine(index: number): string {
  const line = sharedSample("cloudtrail/panther-analysis/panther-aws-cloudtrail-rule-test-events.jsonl").toString().split("\n")[index];
  assert.ok(line, `panther line ${index}`);
  return line;
}

function normalizeText(text: string): CloudTrailRow | string {
  return normalizeRecord(JSON.parse(text), text);
}

function row(result: CloudTrailRow | string): CloudTrailRow {
  assert.equal(typeof result, "object", `expected a row, got rejection ${String(result)}`);
  return result as CloudTrailRow;
}

function withFields(fields: Record<string, unknown>): CloudTrailRow | string {
  const record = { ...OPENREGISTER_RECORDS[0], ...fields };
  const text = JSON.stringify(record);
  return normalizeRecord(record, text);
}

describe("normalizeRecord: identities (userIdentity reference)", () => {
  test("AssumedRole (Panther sample): session issuer read, no userName invented", () => {
    const r = row(normalizeText(pantherLine(1)));
    assert.equal(r.userIdentityType, "AssumedRole");
    assert.equal(r.userIdentityArn, "arn:aws:sts::123456789012:assumed-role/tester");
    assert.equal(r.userIdentityPrincipalId, "tester");
    assert.equal(r.userIdentityAccessKeyId, "1");
    assert.equal(r.userIdentityUserName, null);
    assert.equal(r.sessionIssuerType, "Role");
    assert.equal(r.sessionIssuerArn, "arn:aws:iam::123456789012:role/tester");
    assert.equal(r.sessionIssuerUserName, "Tester");
    assert.equal(r.readOnly, false);
  });

  test("Root (Panther sample): no userName, empty accessKeyId kept as AWS wrote it", () => {
    const r = row(normalizeText(pantherLine(73)));
    assert.equal(r.eventName, "ConsoleLogin");
    assert.equal(r.userIdentityType, "Root");
    assert.equal(r.userIdentityArn, "arn:aws:iam::123456789012:root");
    assert.equal(r.userIdentityUserName, null);
    assert.equal(r.userIdentityAccessKeyId, "");
  });

  test("AWSService (Panther sample): invokedBy, and readOnly/managementEvent booleans", () => {
    const r = row(normalizeText(pantherLine(458)));
    assert.equal(r.userIdentityType, "AWSService");
    assert.equal(r.userIdentityInvokedBy, "lambda.amazonaws.com");
    assert.equal(r.userIdentityArn, null);
    assert.equal(r.readOnly, true);
    assert.equal(r.managementEvent, true);
  });
});

describe("normalizeRecord: types", () => {
  test('readOnly and managementEvent as strings "true"/"false" (Wazuh sample)', () => {
    const line = sharedSample("cloudtrail/wazuh/aws_cloudtrail.ini").toString().split("\n")[1]!;
    const event = JSON.parse(line.slice(line.indexOf("{"))).aws as Record<string, unknown>;
    assert.equal(event.readOnly, "false");
    assert.equal(event.managementEvent, "true");
    const r = row(normalizeRecord(event, JSON.stringify(event)));
    assert.equal(r.readOnly, false);
    assert.equal(r.managementEvent, true);
    assert.equal(r.eventCategory, "Management");
    assert.equal(r.userIdentityUserName, "some.user");
  });

  test("boolean spellings: any letter case; anything else is null", () => {
    const cases: [unknown, boolean | null][] = [
      [true, true],
      [false, false],
      ["true", true],
      ["False", false],
      ["True", true],
      ["yes", null],
      [1, null],
      [null, null],
      [{}, null],
    ];
    for (const [value, expected] of cases) {
      assert.equal(row(withFields({ readOnly: value, managementEvent: value })).readOnly, expected, String(value));
      assert.equal(row(withFields({ readOnly: value, managementEvent: value })).managementEvent, expected, String(value));
    }
  });

  test("values of the wrong type become null instead of crashing", () => {
    const r = row(
      withFields({
        eventName: { nested: true },
        userAgent: 42,
        awsRegion: ["us-east-1"],
        errorCode: false,
        requestID: null,
        userIdentity: { type: 7, arn: {}, userName: [], sessionContext: { sessionIssuer: "not an object" } },
      }),
    );
    assert.equal(r.eventName, null);
    assert.equal(r.userAgent, null);
    assert.equal(r.awsRegion, null);
    assert.equal(r.errorCode, null);
    assert.equal(r.requestId, null);
    assert.equal(r.userIdentityType, null);
    assert.equal(r.userIdentityArn, null);
    assert.equal(r.userIdentityUserName, null);
    assert.equal(r.sessionIssuerArn, null);
    assert.equal(r.eventSource, "autoscaling.amazonaws.com");
    assert.equal(row(withFields({ userIdentity: "someone" })).userIdentityType, null);
    assert.equal(row(withFields({ userIdentity: [1, 2] })).userIdentityArn, null);
  });

  test("every hot column null when the record has only eventID and eventTime (all-null fixture)", () => {
    const text = withEventIds(testdata("SerializerAllFieldsNull.json"));
    const first = (JSON.parse(text).Records as Record<string, unknown>[])[0]!;
    const record = { ...first, eventTime: "2013-11-01T00:00:00Z" };
    const r = row(normalizeRecord(record, JSON.stringify(record)));
    const { eventId, eventTime, recipientAccountId, eventVersion, raw, ...rest } = r;
    assert.equal(eventId, "apl-0");
    assert.deepEqual(eventTime, new Date("2013-11-01T00:00:00Z"));
    assert.equal(recipientAccountId, "");
    assert.equal(eventVersion, "1.1");
    assert.ok(raw.length > 0);
    assert.deepEqual(Object.entries(rest).filter(([, v]) => v !== null), []);
  });

  test("recipientAccountId falls back to userIdentity.accountId, then to an empty string", () => {
    assert.equal(row(withFields({ recipientAccountId: undefined })).recipientAccountId, "012345678901");
    assert.equal(row(withFields({ recipientAccountId: "" })).recipientAccountId, "012345678901");
    assert.equal(row(withFields({ recipientAccountId: "999999999999" })).recipientAccountId, "999999999999");
    assert.equal(row(withFields({ recipientAccountId: undefined, userIdentity: undefined })).recipientAccountId, "");
  });
});

describe("normalizeRecord: rejections", () => {
  test("not an object", () => {
    assert.equal(normalizeRecord("x", '"x"'), "not a JSON object (it is a string)");
    assert.equal(normalizeRecord([], "[]"), "not a JSON object (it is an array)");
    assert.equal(normalizeRecord(null, "null"), "not a JSON object (it is null)");
  });

  test("eventID missing, of the wrong type or empty", () => {
    assert.equal(withFields({ eventID: undefined }), "no eventID");
    assert.equal(withFields({ eventID: null }), "no eventID");
    assert.equal(withFields({ eventID: 12 }), "eventID is a number, not a string");
    assert.equal(withFields({ eventID: { id: 1 } }), "eventID is an object, not a string");
    assert.equal(withFields({ eventID: "" }), "eventID is empty");
  });

  test("eventTime must be a valid ISO 8601 time", () => {
    assert.equal(withFields({ eventTime: undefined }), "no eventTime");
    assert.equal(withFields({ eventTime: 1481541737000 }), "eventTime is a number, not an ISO 8601 time");
    for (const bad of ["ThisIsAWrongEventTime", "2016-02-30T00:00:00Z", "2016-13-01T00:00:00Z", "2016-12-12T24:00:00Z", "12/12/2016", "2016-12-12"]) {
      assert.equal(withFields({ eventTime: bad }), `eventTime ${JSON.stringify(bad)} is not a valid ISO 8601 time`, bad);
    }
  });

  test("eventTime forms AWS and CloudTrail Lake write", () => {
    const cases: [string, string][] = [
      ["2016-12-12T11:22:17Z", "2016-12-12T11:22:17.000Z"],
      ["2016-12-12T11:22:17.123456Z", "2016-12-12T11:22:17.123Z"],
      ["2016-12-12T12:22:17+01:00", "2016-12-12T11:22:17.000Z"],
      ["2016-12-12T06:22:17-0500", "2016-12-12T11:22:17.000Z"],
      ["2016-12-12 11:22:17.500", "2016-12-12T11:22:17.500Z"],
      ["2016-02-29T00:00:00Z", "2016-02-29T00:00:00.000Z"],
    ];
    for (const [input, expected] of cases) {
      assert.equal(row(withFields({ eventTime: input })).eventTime.toISOString(), expected, input);
    }
  });
});

describe("normalizeRecord: U+0000", () => {
  test("string columns replace U+0000 with U+FFFD", () => {
    const r = row(withFields({ eventID: "id\u0000x", userAgent: "a\u0000b", userIdentity: { arn: "\u0000" } }));
    assert.equal(r.eventId, "id\uFFFDx");
    assert.equal(r.userAgent, "a\uFFFDb");
    assert.equal(r.userIdentityArn, "\uFFFD");
  });

  test("raw: the escape \\u0000 becomes \\uFFFD, an escaped backslash followed by u0000 stays", () => {
    const cases: [string, string][] = [
      ["\\u0000", "\\uFFFD"],
      ["\\\\u0000", "\\\\u0000"],
      ["\\\\\\u0000", "\\\\\\uFFFD"],
      ["\\\\\\\\u0000", "\\\\\\\\u0000"],
      ["x\\u0000\\u0000y", "x\\uFFFD\\uFFFDy"],
      ["\\u00001", "\\uFFFD1"],
    ];
    for (const [inText, outText] of cases) {
      const text = JSON.stringify({ ...OPENREGISTER_RECORDS[0] }).replace('"userAgent":"signin.amazonaws.com"', `"userAgent":"${inText}"`);
      const r = row(normalizeText(text));
      assert.equal(r.raw, text.replace(`"userAgent":"${inText}"`, `"userAgent":"${outText}"`), inText);
      assert.equal(JSON.parse(r.raw).userAgent, JSON.parse(`"${outText}"`), inText);
      assert.ok(!JSON.parse(r.raw).userAgent.includes("\u0000"), inText);
    }
  });

  test("raw is the text given, not a re-serialisation", () => {
    const text = '{ "eventID" : "e1",\n  "eventTime": "2016-12-12T11:22:17Z", "x": 1.50 }';
    assert.equal(row(normalizeText(text)).raw, text);
  });
});
