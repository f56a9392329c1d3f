import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { describe, test } from "node:test";
import { createGunzip } from "node:zlib";
import type { ParseResult } from "../parse-result";
import { CloudTrailFormatError } from "./cloudtrail-format-error";
import { parseCloudTrailFile } from "./parse-cloudtrail-file";
import { chunked, parseAll, sharedSample, splitAt, testdata, testdataPath, withEventIds, type Parsed } from "./testdata/samples";
import type { CloudTrailRow } from "./types";

/** openregister/deployment: a delivered file from a real account, compact, 2 records. */
const OPENREGISTER = testdata("cloudtrail-logs-uncompressed.log");
const OPENREGISTER_TEXT = OPENREGISTER.toString("utf8");
/** Its two records, as the exact text AWS wrote. */
const [R0, R1] = (() => {
  const inner = OPENREGISTER_TEXT.slice('{"Records":['.length, OPENREGISTER_TEXT.lastIndexOf("]"));
  const split = inner.indexOf(',{"eventVersion"');
  return [inner.slice(0, split), inner.slice(split + 1)] as const;
})();

/** R0 whose userAgent, as JSON text, is `"a\\\"}],{[\\"`: escaped backslashes and quotes before brackets. */
const R0_ESCAPES = R0.replace('"userAgent":"signin.amazonaws.com"', '"userAgent":"a\\\\\\"}],{[\\\\"');

function recordsFile(...records: string[]): string {
  return `{"Records":[${records.join(",")}]}`;
}

async function assertFormatError(input: Buffer | string, message: RegExp): Promise<void> {
  await assert.rejects(parseAll(input), (error: unknown) => {
    assert.ok(error instanceof CloudTrailFormatError, `expected CloudTrailFormatError, got ${String(error)}`);
    assert.equal(error.name, "CloudTrailFormatError");
    assert.match(error.message, message);
    return true;
  });
}

describe("delivered files {\"Records\":[...]}", () => {
  test("openregister: both records become rows with the values AWS wrote", async () => {
    assert.ok(OPENREGISTER_TEXT.startsWith(`{"Records":[${R0},${R1}]}`));
    const { rows, rejections } = await parseAll(OPENREGISTER);
    assert.deepEqual(rejections, []);
    assert.equal(rows.length, 2);
    const [first, second] = rows as [(typeof rows)[0], (typeof rows)[0]];
    assert.deepEqual(
      { ...first, raw: undefined },
      {
        recipientAccountId: "012345678901",
        eventId: "ad59ed8f-ec80-4f3d-95e4-34715667a997",
        eventTime: new Date("2016-12-12T11:22:17.000Z"),
        eventVersion: "1.05",
        eventName: "DescribePolicies",
        eventSource: "autoscaling.amazonaws.com",
        awsRegion: "eu-west-1",
        sourceIpAddress: "100.200.300.400",
        userAgent: "signin.amazonaws.com",
        userIdentityType: "IAMUser",
        userIdentityArn: "arn:aws:iam::012345678901:user/someuser",
        userIdentityPrincipalId: "AKIAIOSFODNN7EXAMPLE",
        userIdentityAccountId: "012345678901",
        userIdentityUserName: "someuser",
        userIdentityAccessKeyId: "AKIAIOSFODNN7EXAMPLE",
        userIdentityInvokedBy: "signin.amazonaws.com",
        sessionIssuerType: null,
        sessionIssuerArn: null,
        sessionIssuerUserName: null,
        errorCode: null,
        errorMessage: null,
        readOnly: null,
        eventType: "AwsApiCall",
        eventCategory: null,
        managementEvent: null,
        requestId: "fb70193e-0942-489c-8e12-193023af5113",
        sharedEventId: null,
        vpcEndpointId: null,
        raw: undefined,
      },
    );
    assert.equal(second.eventName, "ListDeployments");
    assert.equal(second.eventId, "1840f77b-41a7-45c9-a240-19aeffdf5361");
    assert.equal(second.eventVersion, "1.04");
    // AWS wrote an empty userName here: keep it, do not turn it into null or invent one.
    assert.equal(second.userIdentityUserName, "");
    // raw is the record's text exactly as delivered, not a re-serialisation.
    assert.equal(first.raw, R0);
    assert.equal(second.raw, R1);
  });

  test("gzipped files decompressed with zlib streams give the same results as the plain files", async () => {
    const pairs = [
      ["cloudtrail-logs-compressed.gz", "cloudtrail-logs-uncompressed.log"],
      ["SerializerTestFileCompact.json.gz", "SerializerTestFileCompact.json"],
    ] as const;
    for (const [gz, plain] of pairs) {
      const fromGzip = await parseAll(createReadStream(testdataPath(gz)).pipe(createGunzip()));
      assert.deepEqual(fromGzip, await parseAll(testdata(plain)), gz);
      assert.ok(fromGzip.results.length > 0, gz);
    }
  });

  test("the 2014 AWS library fixtures have no eventID: every record is rejected, saying so", async () => {
    const { rows, rejections } = await parseAll(testdata("SerializerTestFile.json"));
    assert.equal(rows.length, 0);
    assert.deepEqual(
      rejections.map((r) => [r.position, r.reason]),
      [0, 1, 2, 3, 4, 5].map((i) => [i, `record ${i}: no eventID`]),
    );
    assert.match(rejections[0]!.excerpt, /^\{\s+"eventVersion": "1.1"/);
  });

  test("AWS library fixture with eventIDs added: identities, session issuers and placeholders read", async () => {
    const { rows, rejections } = await parseAll(withEventIds(testdata("SerializerTestFile.json")));
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      rows.map((r) => r.eventName),
      ["eventName1", "eventName2", "eventName3", "eventName4", "eventName5", "eventName6"],
    );
    const [r1, , r3, r4, r5] = rows as [(typeof rows)[0], unknown, (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    assert.equal(r1.eventId, "apl-0");
    assert.equal(r1.userIdentityArn, "userIdentityArn1");
    assert.equal(r1.userIdentityAccessKeyId, "userIdentityAccessKeyId1");
    assert.equal(r1.userIdentityUserName, "userIdentityUserName1");
    assert.equal(r1.recipientAccountId, "recipientAccountId1");
    assert.equal(r1.sourceIpAddress, "sourceIPAddress1");
    assert.equal(r1.errorCode, "errorCode1");
    assert.equal(r1.errorMessage, "errorMessage1");
    assert.deepEqual(r1.eventTime, new Date("2013-11-01T00:00:00Z"));
    // Record 3 has sessionContext.attributes but no sessionIssuer.
    assert.equal(r3.sessionIssuerArn, null);
    // Record 4 has no userName but a session issuer: the issuer's name is not copied into userName.
    assert.equal(r4.userIdentityUserName, null);
    assert.equal(r4.sessionIssuerType, "sessionIssuerType4");
    assert.equal(r4.sessionIssuerArn, "sessionIssuerArn4");
    assert.equal(r4.sessionIssuerUserName, "sessionIssuerUserName4");
    assert.equal(r5.userIdentityInvokedBy, "invokedBy5");
  });

  test("pretty-printed and compact copies of the same records give the same rows", async () => {
    const pretty = await parseAll(withEventIds(testdata("SerializerTestFile.json")));
    const compact = await parseAll(withEventIds(testdata("SerializerTestFileCompact.json")));
    assert.equal(pretty.rows.length, 6);
    assert.deepEqual(
      compact.rows.map((r) => ({ ...r, raw: JSON.parse(r.raw) })),
      pretty.rows.map((r) => ({ ...r, raw: JSON.parse(r.raw) })),
    );
  });

  test("other top-level keys, nested \"Records\" keys and a byte order mark are ignored", async () => {
    const file = `\uFEFF{"meta":{"x":[1,{"Records":5}],"s":"]}\\""},"Records":[${R0}],"trailer":{"Records":[]}}\n`;
    const { rows, rejections } = await parseAll(file);
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      rows.map((r) => r.eventName),
      ["DescribePolicies"],
    );
  });

  test("an empty Records array yields nothing and does not throw", async () => {
    assert.deepEqual((await parseAll('{"Records":[]}')).results, []);
  });
});

describe("chunk boundaries", () => {
  async function assertSameEverySplit(name: string, input: Buffer): Promise<Parsed> {
    const whole = await parseAll(input);
    assert.deepEqual(await parseAll(input, undefined, 1), whole, `${name}: 1-byte chunks`);
    for (let at = 1; at < input.length; at++) {
      assert.deepEqual(await parseAll(splitAt(input, at)), whole, `${name}: split before byte ${at}`);
    }
    return whole;
  }

  test("1-byte chunks and a split at every byte give the same results (delivered, pretty, broken, NDJSON)", async () => {
    const inputs: [string, Buffer][] = [
      ["openregister", OPENREGISTER],
      ["SerializerTestFileBadJsonFormat", Buffer.from(withEventIds(testdata("SerializerTestFileBadJsonFormat.json")))],
      ["SerializerTestFileMissField", Buffer.from(withEventIds(testdata("SerializerTestFileMissField.json")))],
      ["one event per line", Buffer.from(`${R0}\n${R1.slice(0, 300)}\nnot json\n${R1}\n`)],
      // Escaped JSON inside a string (policyDocument), so escapes and brackets in strings meet every boundary.
      ["escapes (Elastic create-policy)", sharedSample("cloudtrail/elastic-integrations/test-create-policy-json.log")],
      [
        "escaped backslashes before quotes",
        Buffer.from(recordsFile(R0_ESCAPES, R1)),
      ],
    ];
    for (const [name, input] of inputs) {
      const whole = await assertSameEverySplit(name, input);
      assert.ok(whole.rows.length > 0, name);
    }
    const escaped = await parseAll(recordsFile(R0_ESCAPES, R1));
    assert.equal(escaped.rows[0]!.userAgent, 'a\\"}],{[\\');
    assert.equal(escaped.rows.length, 2);
  });

  test("multi-byte UTF-8 split inside characters, and string chunks, decode exactly", async () => {
    const agent = "Mozilla/5.0 (zoë; 日本語; 😀)";
    const file = Buffer.from(recordsFile(R0.replace('"userAgent":"signin.amazonaws.com"', `"userAgent":"${agent}"`), R1));
    const whole = await assertSameEverySplit("multi-byte", file);
    assert.equal(whole.rows[0]!.userAgent, agent);
    assert.ok(whole.rows[0]!.raw.includes(agent));
    // Strings are taken as text: the same file as string chunks (split between characters).
    const text = file.toString("utf8");
    async function* stringChunks(): AsyncGenerator<string> {
      for (const ch of text) yield ch;
    }
    assert.deepEqual(await parseAll(stringChunks()), whole);
  });
});

describe("broken input", () => {
  test("SerializerTestFileBadJsonFormat: the record missing its \"}\" is rejected, the next record still read", async () => {
    const bytes = testdata("SerializerTestFileBadJsonFormat.json");
    const asIs = await parseAll(bytes);
    assert.equal(asIs.rows.length, 0);
    const [broken, next] = asIs.rejections as [(typeof asIs.rejections)[0], (typeof asIs.rejections)[0]];
    assert.equal(asIs.rejections.length, 2);
    assert.equal(broken.position, 0);
    assert.match(broken.reason, /^record 0: not valid JSON: .*"}" is probably missing/);
    assert.match(broken.excerpt, /"userIdentityType1"/);
    // The next record reaches normalisation and is judged on its own.
    assert.deepEqual([next.position, next.reason], [1, "record 1: no eventID"]);
    assert.match(next.excerpt, /"userIdentityType2"/);

    const withIds = await parseAll(withEventIds(bytes));
    assert.deepEqual(
      withIds.results.map((r) => (r.ok ? r.row.eventName : r.rejection.position)),
      [0, "eventName2"],
    );
    assert.equal(withIds.rows[0]!.userIdentityArn, "userIdentityArn2");
  });

  test("all-null fields: the record without eventTime is rejected, its neighbour read", async () => {
    const { results } = await parseAll(withEventIds(testdata("SerializerAllFieldsNull.json")));
    assert.deepEqual(
      results.map((r) => (r.ok ? r.row.eventName : `${r.rejection.position} ${r.rejection.reason}`)),
      ["0 record 0: no eventTime", "eventName2"],
    );
  });

  test("missing identity fields become null; an invalid eventTime rejects only that record", async () => {
    const { results } = await parseAll(withEventIds(testdata("SerializerTestFileMissField.json")));
    assert.equal(results.length, 4);
    const [r0, r1, r2, r3] = results;
    assert.ok(r0?.ok && r1?.ok && r2?.ok);
    assert.equal(r2.row.eventName, "eventName3");
    assert.equal(r2.row.userIdentityType, null);
    assert.equal(r2.row.userIdentityArn, null);
    assert.equal(r2.row.recipientAccountId, "recipientAccountId3");
    assert.ok(r3 && !r3.ok);
    assert.equal(r3.rejection.position, 3);
    assert.equal(r3.rejection.reason, 'record 3: eventTime "ThisIsAWrongEventTime" is not a valid ISO 8601 time');
  });

  test("new fields at random places are tolerated and kept in raw", async () => {
    const { rows, rejections } = await parseAll(withEventIds(testdata("SerializerTestFileNewFieldAtRandomPlaces.json")));
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      rows.map((r) => [r.eventName, r.userIdentityArn, r.userIdentityAccountId, r.userIdentityAccessKeyId]),
      [
        ["eventName1", "userIdentityArn1", "userIdentityAccountId1", "userIdentityAccessKeyId1"],
        ["eventName2", "userIdentityArn2", "userIdentityAccountId2", "userIdentityAccessKeyId2"],
      ],
    );
    assert.deepEqual(JSON.parse(rows[0]!.raw).requestParameters.randomField3, ["value1", "value2", "value3"]);
    assert.equal(JSON.parse(rows[0]!.raw).randomField2, "randomValue");
  });

  test("session issuer and web identity data (SerializerVariousUserIdentityTestFile)", async () => {
    const { rows } = await parseAll(withEventIds(testdata("SerializerVariousUserIdentityTestFile.json")));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.sessionIssuerType, "sessionIssuerType1");
    assert.equal(rows[0]!.sessionIssuerArn, "sessionIssuerArn1");
    assert.equal(rows[0]!.sessionIssuerUserName, "sessionIssuerUserName1");
    assert.equal(rows[0]!.userIdentityUserName, null);
  });

  test("U+0000: escapes become U+FFFD in columns and in raw; an escaped backslash before u0000 is kept", async () => {
    const record = R0.replace('"userAgent":"signin.amazonaws.com"', '"userAgent":"signin\\u0000amazon"').replace(
      '"maxRecords":50',
      '"maxRecords":50,"path":"C:\\\\u0000dir","both":"\\\\\\u0000"',
    );
    assert.ok(record.includes('"path":"C:\\\\u0000dir"'));
    const { rows, rejections } = await parseAll(recordsFile(record));
    assert.deepEqual(rejections, []);
    const row = rows[0]!;
    assert.equal(row.userAgent, "signin\uFFFDamazon");
    assert.ok(!row.raw.includes("\u0000"));
    assert.ok(row.raw.includes('"userAgent":"signin\\uFFFDamazon"'));
    assert.ok(row.raw.includes('"path":"C:\\\\u0000dir"'), "escaped backslash + text u0000 kept");
    assert.ok(row.raw.includes('"both":"\\\\\\uFFFD"'), "escaped backslash, then a NUL escape replaced");
    const parsed = JSON.parse(row.raw);
    assert.equal(parsed.userAgent, "signin\uFFFDamazon");
    assert.equal(parsed.requestParameters.path, "C:\\u0000dir");
    assert.equal(parsed.requestParameters.both, "\\\uFFFD");
  });

  test("an oversize record is rejected and skipped; its neighbours survive", async () => {
    const padding = "x".repeat(2 * 1024 * 1024);
    const big = R0.replace('"maxRecords":50', `"maxRecords":50,"padding":"${padding}"`).replace("ad59ed8f", "00000000");
    const file = Buffer.from(recordsFile(R0, big, R1));
    const { results } = await parseAll(file, undefined, 64 * 1024);
    assert.equal(results.length, 3);
    const [before, rejected, after] = results as [ParseResult<CloudTrailRow>, ParseResult<CloudTrailRow>, ParseResult<CloudTrailRow>];
    assert.ok(before.ok && after.ok);
    assert.equal(before.row.eventName, "DescribePolicies");
    assert.equal(after.row.eventName, "ListDeployments");
    assert.ok(!rejected.ok);
    assert.equal(rejected.rejection.position, 1);
    assert.equal(rejected.rejection.reason, `record 1: ${big.length} bytes, over the 1048576-byte limit (maxRecordBytes); skipped`);
    assert.ok(rejected.rejection.excerpt.startsWith('{"eventVersion":"1.05"'));
    assert.ok(rejected.rejection.excerpt.length <= 501);

    // The limit is an option, in bytes: R0 (787 bytes) is over 780, R1 (764 bytes) is not.
    assert.deepEqual([Buffer.byteLength(R0), Buffer.byteLength(R1)], [787, 764]);
    const small = await parseAll(recordsFile(R0, R1), { maxRecordBytes: 780 });
    assert.deepEqual(
      small.results.map((r) => (r.ok ? r.row.eventName : r.rejection.reason)),
      ["record 0: 787 bytes, over the 780-byte limit (maxRecordBytes); skipped", "ListDeployments"],
    );
  });

  test("maxRecordBytes must be a positive integer", async () => {
    for (const maxRecordBytes of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(parseAll(OPENREGISTER, { maxRecordBytes }), RangeError);
    }
  });

  test("a truncated file yields the good records, then one rejection for the cut-off tail", async () => {
    const cut = OPENREGISTER_TEXT.slice(0, OPENREGISTER_TEXT.indexOf(R1) + 200);
    const { results } = await parseAll(cut);
    assert.equal(results.length, 2);
    assert.deepEqual(results[0], { ok: true, row: (await parseAll(OPENREGISTER)).rows[0] });
    assert.deepEqual(results[1], {
      ok: false,
      rejection: {
        position: 1,
        reason: "record 1: the file ends before the Records array is closed: it is truncated after 1 records",
        excerpt: R1.slice(0, 200),
      },
    });

    // Cut between records: the tail has no text, the rejection is still there.
    const between = await parseAll(`{"Records":[${R0},`);
    assert.equal(between.rows.length, 1);
    assert.deepEqual(between.rejections.map((r) => [r.position, r.excerpt]), [[1, ""]]);

    // Cut after the array: every record was read, the missing "}" is still recorded.
    const afterArray = await parseAll(`{"Records":[${R0},${R1}]`);
    assert.equal(afterArray.rows.length, 2);
    assert.match(afterArray.rejections[0]!.reason, /ends before its top-level object is closed/);
  });

  test("a file truncated before any record is complete throws CloudTrailFormatError", async () => {
    await assertFormatError(OPENREGISTER_TEXT.slice(0, 300), /before its first record is complete: it is truncated/);
    await assertFormatError('{"Records":[', /before its first record is complete/);
    await assertFormatError('{"Reco', /ends inside its first JSON object/);
    await assertFormatError(R0.slice(0, 300), /ends inside its first event object/);
  });

  test("a stray \"}\" between records and records that are not objects are rejected one by one", async () => {
    const { results } = await parseAll(`{"Records":[${R0}}, "text", 42, null, [1,{"a":2}], tru, ${R1}]}`);
    assert.deepEqual(
      results.map((r) => (r.ok ? r.row.eventName : `${r.rejection.position} ${r.rejection.reason}`)),
      [
        "DescribePolicies",
        '0 after record 0: unexpected "}" between records (a stray closing bracket?); skipped',
        "1 record 1: not a JSON object (it is a string)",
        "2 record 2: not a JSON object (it is a number)",
        "3 record 3: not a JSON object (it is null)",
        "4 record 4: not a JSON object (it is an array)",
        `5 record 5: not valid JSON (${jsonError("tru")})`,
        "ListDeployments",
      ],
    );
  });

  test("a closing bracket with no opener in the record ends it; the records after survive", async () => {
    // R0 with its last "}" dropped: the "]" of Records arrives while R0 is open.
    const { rows, rejections } = await parseAll(`{"Records":[${R1},${R0.slice(0, -1)}]}`);
    assert.deepEqual(
      rows.map((r) => r.eventName),
      ["ListDeployments"],
    );
    assert.equal(rejections.length, 1);
    assert.equal(rejections[0]!.position, 1);
    assert.match(rejections[0]!.reason, /^record 1: not valid JSON: "]" closes a bracket this record never opened/);
  });

  test("data after the top-level object is reported once, not silently dropped", async () => {
    const { rows, rejections } = await parseAll(`${OPENREGISTER_TEXT}{"Records":[${R0}]}`);
    assert.equal(rows.length, 2);
    assert.equal(rejections.length, 1);
    assert.equal(rejections[0]!.reason, "end of file: unexpected data after the top-level JSON object was ignored");
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected invalid JSON");
}

describe("not CloudTrail at all", () => {
  test("digest files throw CloudTrailFormatError naming them", async () => {
    await assertFormatError(sharedSample("cloudtrail/elastic-integrations/test-cloudtrail-digest-json.log"), /CloudTrail digest file/);
    await assertFormatError(
      sharedSample("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-log-file-validation-digest-file-structure__01.json"),
      /CloudTrail digest file \(top-level keys: awsAccountId, digestStartTime/,
    );
  });

  test("not JSON, gzip, arrays, empty files and SNS messages throw with a reason", async () => {
    await assertFormatError(testdata("cloudtrail-logs-compressed.gz"), /still gzip-compressed/);
    await assertFormatError("line\tsource_file\trule_id\n", /not JSON \(it starts with "line\\tsource_file/);
    await assertFormatError("[Succesful login]\nlog 1 pass = {}", /starts with "\[Succesful login\]\\n.*a JSON array or not JSON/);
    await assertFormatError("", /it is empty/);
    await assertFormatError("  \n", /it is empty/);
    await assertFormatError('{"Records":null}', /"Records" value is null, not an array/);
    await assertFormatError(
      sharedSample("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"),
      /no "Records" array .* keys are: Type, MessageId, TopicArn, Message.* \(an SNS\/SQS message\?\)/,
    );
  });

  test("nothing is yielded before the error", async () => {
    const yielded: unknown[] = [];
    await assert.rejects(async () => {
      for await (const r of parseCloudTrailFile(chunked(Buffer.from('{"awsAccountId":"1","digestStartTime":"x"}'), 1))) yielded.push(r);
    }, CloudTrailFormatError);
    assert.deepEqual(yielded, []);
  });
});

describe("one event per line", () => {
  test("Elastic console-login sample: 3 lines, 3 rows", async () => {
    const { rows, rejections } = await parseAll(sharedSample("cloudtrail/elastic-integrations/test-console-login-json.log"));
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      rows.map((r) => r.eventName),
      ["ConsoleLogin", "ConsoleLogin", "ConsoleLogin"],
    );
  });

  test("a cut line, a line that is not JSON and an event without eventID are rejected by line", async () => {
    const lines = [R0, R1.slice(0, 250), "", "not json", R1.replace(/"eventID":"[^"]*",/, ""), R1];
    const { results } = await parseAll(lines.join("\n"));
    assert.deepEqual(
      results.map((r) => (r.ok ? `${r.row.eventName}` : `${r.rejection.position} ${r.rejection.reason}`)),
      [
        "DescribePolicies",
        "1 line 2: the line ends before its JSON object is closed (a broken or cut line)",
        "3 line 4: not a JSON object; skipped",
        "4 line 5: no eventID",
        "ListDeployments",
      ],
    );
    const truncatedLast = await parseAll(`${R0}\n${R1.slice(0, 100)}`);
    assert.equal(truncatedLast.rows.length, 1);
    assert.equal(truncatedLast.rejections[0]!.reason, "line 2: the file ends before this JSON object is closed (truncated)");
  });

  test("a pretty-printed single event (AWS docs example) is one record", async () => {
    const { rows, rejections } = await parseAll(
      sharedSample("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-event-reference-aws-console-sign-in-events__02.json"),
    );
    assert.deepEqual(rejections, []);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.eventId, "fed06f42-cb12-4764-8c69-121063dc79b9");
    assert.equal(rows[0]!.userIdentityUserName, "anaya");
    assert.equal(rows[0]!.eventType, "AwsConsoleSignIn");
  });
});

describe("Insight events", () => {
  test("a delivered Insights file (AWS docs) parses through the same path, without identity", async () => {
    const { rows, rejections } = await parseAll(
      sharedSample("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-log-file-examples__07.json"),
      undefined,
      7,
    );
    assert.deepEqual(rejections, []);
    assert.equal(rows.length, 2);
    const [start] = rows as [(typeof rows)[0]];
    assert.equal(start.eventId, "EXAMPLE8-9621-4d00-b913-beca2EXAMPLE");
    assert.equal(start.eventType, "AwsCloudTrailInsight");
    assert.equal(start.eventCategory, "Insight");
    assert.equal(start.sharedEventId, "EXAMPLE2-1729-42f1-b735-5d8c0EXAMPLE");
    assert.equal(start.recipientAccountId, "123456789012");
    assert.deepEqual(start.eventTime, new Date("2019-11-14T00:51:00Z"));
    // insightDetails.eventName is the API the insight is about, not this event's name.
    assert.equal(start.eventName, null);
    assert.equal(start.userIdentityType, null);
    assert.equal(start.userIdentityArn, null);
    assert.equal(JSON.parse(start.raw).insightDetails.state, "Start");
  });

  test("an Insight event on one line (Elastic sample)", async () => {
    const { rows } = await parseAll(sharedSample("cloudtrail/elastic-beats/insight-json.log"));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.eventId, "41ed77ca-d659-b45a-8e9a-74e504300007");
    assert.equal(rows[0]!.eventType, "AwsCloudTrailInsight");
  });
});
