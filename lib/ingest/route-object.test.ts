import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { decodeMessage } from "./decode-message";
import { kindFromKey, routeObject, sniffKind, SNIFF_BYTES } from "./route-object";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
/** Copies of Apache-2.0 / MIT samples (see testdata/NOTICE.md). */
const testdata = (file: string) => readFileSync(path.join(here, "testdata", file)).subarray(0, SNIFF_BYTES);
/** Samples under other licences (AWS docs CC-BY-SA-4.0, Elastic License 2.0) are read in place, never copied. */
const shared = (file: string) => readFileSync(path.resolve(repoRoot, "../shared/samples", file)).subarray(0, SNIFF_BYTES);

// Key examples from ../shared/samples/KEY-LAYOUTS.md (placeholders such as O-ID filled in).
const KEYS = {
  cloudtrail: "AWSLogs/111111111111/CloudTrail/eu-west-2/2022/02/21/111111111111_CloudTrail_eu-west-2_20220221T1020Z_nTGkKkyO0OcwEIvv.json.gz",
  cloudtrailDocs: "AWSLogs/123456789012/CloudTrail/us-west-1/2014/06/20/123456789012_CloudTrail_us-west-1_20140620T1255ZHdkvFTXOA3Vnhbc.json.gz",
  cloudtrailPrefixed: "myprefix/AWSLogs/123456789012/CloudTrail/us-east-1/2014/03/09/123456789012_CloudTrail_us-east-1_20140309T2015Z_996mpJdKNLd1Yvzl.json.gz",
  orgTrail: "org-prefix/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
  digest: "AWSLogs/123456789123/CloudTrail-Digest/us-west-2/2020/09/11/123456789123_CloudTrail-Digest_us-west-2_leh-ct-test_us-west-2_20200911T193649Z.json.gz",
  orgDigest: "AWSLogs/o-a1b2c3d4e5/123456789123/CloudTrail-Digest/us-west-2/2020/09/11/123456789123_CloudTrail-Digest_us-west-2_leh-ct-test_us-west-2_20200911T193649Z.json.gz",
  insight: "AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2019/11/14/123456789012_CloudTrail-Insight_us-east-1_20191114T0055Z_0a1b2c3d4e5f6g7h.json.gz",
  vpcflow: "AWSLogs/111111111111/vpcflowlogs/eu-west-2/2022/02/21/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log.gz",
  vpcflowHourly: "my-prefix/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz",
  vpcflowHive: "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz",
  vpcflowHiveHourly: "prefix/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz",
  /** As it arrives URL-encoded in an S3 event notification (SEKOIA test_utils.py, quoted in KEY-LAYOUTS.md). */
  vpcflowParquetEncoded: "AWSLogs/aws-account-id%3D111111111111/aws-service%3Dvpcflowlogs/aws-region%3Deu-west-3/year%3D2022/month%3D09/day%3D15/111111111111_vpcflowlogs_eu-west-3_fl-0f46d0a2ed744cfa1_20220915T1420Z_740b4cc6.log.parquet",
};

const HEADS = {
  cloudtrail: () => testdata("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFile.json"),
  cloudtrailCompact: () => testdata("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileCompact.json"),
  gzip: () => testdata("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileCompact.json.gz"),
  insight: () => shared("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-log-file-examples__07.json"),
  digest: () => shared("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-log-file-validation-digest-file-structure__01.json"),
  flowLog: () => testdata("vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log"),
  parquet: () => testdata("vpcflow/sekoia-automation-library/test_parquet.parquet"),
  headerless: () => shared("vpcflow/elastic-beats/ipv6.log"),
};

/** The key as the decoder hands it over: from a real notification body with its key replaced. */
function decodedKey(encodedKey: string): string {
  const message = JSON.parse(readFileSync(path.join(here, "testdata/sqs/sekoia-automation-library/sqs-s3-notification-cloudtrail-1.json"), "utf8"));
  message.Records[0].s3.object.key = encodedKey;
  const decoded = decodeMessage(JSON.stringify(message));
  assert.equal(decoded.type, "objects");
  return decoded.type === "objects" ? (decoded.objects[0]?.key ?? "") : "";
}

describe("kindFromKey", () => {
  it("recognises CloudTrail log files, with or without prefix, and organization trails", () => {
    for (const key of [KEYS.cloudtrail, KEYS.cloudtrailDocs, KEYS.cloudtrailPrefixed, KEYS.orgTrail]) assert.equal(kindFromKey(key), "cloudtrail", key);
    assert.equal(kindFromKey("AWSLogs/O-ID/111122223333/CloudTrail/us-east-2/2015/08/01/x.json.gz"), "cloudtrail", "the docs spell the org id O-ID");
  });

  it("recognises digest and Insights folders", () => {
    assert.equal(kindFromKey(KEYS.digest), "cloudtrail-digest");
    assert.equal(kindFromKey(KEYS.orgDigest), "cloudtrail-digest");
    assert.equal(kindFromKey(KEYS.insight), "cloudtrail-insight");
  });

  it("recognises VPC flow logs: plain, hourly, Hive-compatible, Hive hourly", () => {
    for (const key of [KEYS.vpcflow, KEYS.vpcflowHourly, KEYS.vpcflowHive, KEYS.vpcflowHiveHourly]) assert.equal(kindFromKey(key), "vpcflow", key);
  });

  it("recognises a Hive key once the notification's %3D is decoded, not before", () => {
    assert.equal(kindFromKey(decodedKey(KEYS.vpcflowParquetEncoded)), "vpcflow");
    assert.equal(kindFromKey(KEYS.vpcflowParquetEncoded), null);
  });

  it("recognises a decoded key from a real CloudTrail SNS notification", () => {
    const decoded = decodeMessage(readFileSync(path.join(here, "testdata/cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"), "utf8"));
    assert.equal(decoded.type === "objects" ? kindFromKey(decoded.objects[0]?.key ?? "") : null, "cloudtrail");
  });

  it("says unknown for another service's AWSLogs delivery and null when the key says nothing", () => {
    assert.equal(kindFromKey("AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/123456789012_elasticloadbalancing_us-east-1_app.x.log.gz"), "unknown");
    assert.equal(kindFromKey("AWSLogs/aws-account-id=123456789012/aws-service=elasticloadbalancing/x.log.gz"), "unknown");
    for (const key of [
      "b21b84d653bb07b05b1e6b33684dc11b",
      "path/to/myfile.log.gz",
      "AWSLogs/",
      "AWSLogs/123456789012/CloudTrail",
      "awslogs/123456789012/CloudTrail/us-east-1/x.json.gz",
      "AWSLogs/12345/CloudTrail/us-east-1/x.json.gz",
      "AWSLogs/123456789012//us-east-1/x.json.gz",
    ]) {
      assert.equal(kindFromKey(key), null, key);
    }
  });
});

describe("sniffKind", () => {
  it("sees {\"Records\":[ in pretty-printed, compact and truncated CloudTrail files", () => {
    assert.deepEqual(sniffKind(HEADS.cloudtrail()), { kind: "cloudtrail" });
    assert.deepEqual(sniffKind(HEADS.cloudtrailCompact()), { kind: "cloudtrail" });
    assert.deepEqual(sniffKind(HEADS.cloudtrail().subarray(0, 30)), { kind: "cloudtrail" });
    assert.deepEqual(sniffKind(Buffer.from('\uFEFF \r\n {\n  "Records" : [ ]}')), { kind: "cloudtrail" });
  });

  it("sees Insights records by eventType AwsCloudTrailInsight (AWS docs example, Elastic's one-per-line sample)", () => {
    assert.deepEqual(sniffKind(HEADS.insight()), { kind: "cloudtrail-insight" });
    assert.deepEqual(sniffKind(shared("cloudtrail/elastic-beats/insight-json.log")), { kind: "cloudtrail-insight" });
  });

  it("sees digest files (AWS docs examples, Elastic's sample)", () => {
    assert.deepEqual(sniffKind(HEADS.digest()), { kind: "cloudtrail-digest" });
    assert.deepEqual(sniffKind(shared("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-log-file-validation-digest-file-structure__02.json")), { kind: "cloudtrail-digest" });
    assert.deepEqual(sniffKind(shared("cloudtrail/elastic-integrations/test-cloudtrail-digest-json.log")), { kind: "cloudtrail-digest" });
  });

  it("sees one CloudTrail event per line (Elastic, Panther samples)", () => {
    assert.deepEqual(sniffKind(shared("cloudtrail/elastic-integrations/test-console-login-json.log")), { kind: "cloudtrail" });
    assert.deepEqual(sniffKind(shared("cloudtrail/panther-analysis/panther-aws-cloudtrail-rule-test-events.jsonl")), { kind: "cloudtrail" });
  });

  it("sees flow-log header lines: default, custom, first field not version", () => {
    assert.deepEqual(sniffKind(HEADS.flowLog()), { kind: "vpcflow" });
    assert.deepEqual(sniffKind(shared("aws-docs/extracted-vpcflow/docs-custom-nat-gateway.log")), { kind: "vpcflow" });
    assert.deepEqual(sniffKind(shared("aws-docs/extracted-vpcflow/docs-custom-v5-traffic-path-flow-direction.log")), { kind: "vpcflow" });
    assert.deepEqual(sniffKind(shared("vpcflow/elastic-beats/tcp-flag-sequence.log")), { kind: "vpcflow" });
    assert.deepEqual(sniffKind(Buffer.from("version account-id interface-id srcaddr\r\n2 123 eni-1 10.0.0.1\r\n")), { kind: "vpcflow" });
  });

  it("sees Parquet by its PAR1 magic", () => {
    assert.deepEqual(sniffKind(HEADS.parquet()), { kind: "vpcflow", format: "parquet" });
    assert.deepEqual(sniffKind(shared("vpcflow/sekoia-automation-library/111111111111_vpcflowlogs_eu-west-3_fl-032a163fae170ae52_20220831T1255Z_2ad4bef5.parquet")), { kind: "vpcflow", format: "parquet" });
  });

  it("returns null for headerless flow records, other text, JSON of other shapes, gzip and empty input", () => {
    for (const [name, head] of [
      ["headerless flow records", HEADS.headerless()],
      ["Elastic's bad.log", shared("vpcflow/elastic-beats/bad.log")],
      ["JSON with a message field", shared("vpcflow/elastic-integrations/test-with-message-field.log")],
      ["still gzipped", HEADS.gzip()],
      ["a pretty-printed single event", shared("aws-docs/extracted-json/cloudtrail-user-guide__cloudtrail-event-reference-aws-console-sign-in-events__02.json")],
      ["empty", Buffer.alloc(0)],
      ["header with an upper-case word", Buffer.from("version Account-ID srcaddr\n")],
      ["unknown first field", Buffer.from("foo srcaddr dstaddr\n")],
    ] as const) {
      assert.equal(sniffKind(head), null, name);
    }
  });
});

describe("routeObject", () => {
  it("parses CloudTrail and flow-log files whose key and content agree, without a reason", () => {
    assert.deepEqual(routeObject(KEYS.cloudtrail, HEADS.cloudtrail()), { kind: "cloudtrail", action: "parse-cloudtrail" });
    assert.deepEqual(routeObject(KEYS.orgTrail, HEADS.cloudtrailCompact()), { kind: "cloudtrail", action: "parse-cloudtrail" });
    assert.deepEqual(routeObject(KEYS.insight, HEADS.insight()), { kind: "cloudtrail-insight", action: "parse-cloudtrail" });
    for (const key of [KEYS.vpcflow, KEYS.vpcflowHourly, KEYS.vpcflowHive, KEYS.vpcflowHiveHourly]) {
      assert.deepEqual(routeObject(key, HEADS.flowLog()), { kind: "vpcflow", action: "parse-flowlog" }, key);
    }
  });

  it("records digests, never parsing them", () => {
    const route = routeObject(KEYS.digest, HEADS.digest());
    assert.equal(route.kind, "cloudtrail-digest");
    assert.equal(route.action, "record-digest");
    assert.match(route.reason ?? "", /digest file: recorded, not parsed/);
    assert.equal(routeObject(KEYS.orgDigest, shared("cloudtrail/elastic-integrations/test-cloudtrail-digest-json.log")).action, "record-digest");
  });

  it("lets the key layout decide between log, Insights and digest, noting a disagreeing content", () => {
    const digestKeyLogContent = routeObject(KEYS.digest, HEADS.cloudtrail());
    assert.equal(digestKeyLogContent.action, "record-digest");
    assert.match(digestKeyLogContent.reason ?? "", /content looks like cloudtrail but the key layout says cloudtrail-digest/);

    const logKeyDigestContent = routeObject(KEYS.cloudtrail, HEADS.digest());
    assert.equal(logKeyDigestContent.action, "parse-cloudtrail");
    assert.match(logKeyDigestContent.reason ?? "", /content looks like cloudtrail-digest/);

    assert.equal(routeObject(KEYS.cloudtrail, HEADS.insight()).kind, "cloudtrail");
  });

  it("marks Parquet flow logs unsupported, by content or by .parquet key", () => {
    const expected = { kind: "vpcflow", action: "unsupported", reason: "Parquet flow logs are not supported yet" };
    assert.deepEqual(routeObject(decodedKey(KEYS.vpcflowParquetEncoded), HEADS.parquet()), expected);
    assert.deepEqual(routeObject(KEYS.vpcflow, HEADS.parquet()), expected, "content decides the format");
    assert.deepEqual(routeObject(decodedKey(KEYS.vpcflowParquetEncoded), HEADS.flowLog()), expected, "a .log.parquet key is Parquet");
    assert.deepEqual(routeObject("exports/flows.parquet", HEADS.parquet()), expected);
  });

  it("skips objects whose key and content name different families, with both findings", () => {
    const route = routeObject(KEYS.cloudtrail, HEADS.flowLog());
    assert.equal(route.action, "skip");
    assert.equal(route.kind, "unknown");
    assert.match(route.reason ?? "", /key layout says cloudtrail but the content looks like vpcflow \(first bytes: "version account-id/);
    assert.equal(routeObject(KEYS.vpcflow, HEADS.cloudtrail()).action, "skip");
    assert.equal(routeObject(KEYS.cloudtrail, HEADS.parquet()).action, "skip");
  });

  it("routes by key alone when the content says nothing; the parser will say what is wrong", () => {
    const flow = routeObject(KEYS.vpcflow, HEADS.headerless());
    assert.equal(flow.action, "parse-flowlog");
    assert.match(flow.reason ?? "", /content not recognised \(first bytes: "2 123456789010 eni-/);
    const bad = routeObject(KEYS.cloudtrail, shared("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json"));
    assert.equal(bad.action, "parse-cloudtrail");
  });

  it("routes by content alone when the key follows no AWS layout", () => {
    assert.deepEqual(routeObject("b21b84d653bb07b05b1e6b33684dc11b", HEADS.cloudtrailCompact()), { kind: "cloudtrail", action: "parse-cloudtrail" });
    assert.deepEqual(routeObject("path/to/myfile.log.gz", HEADS.flowLog()), { kind: "vpcflow", action: "parse-flowlog" });
    assert.equal(routeObject("digests/one.json", HEADS.digest()).action, "record-digest");
    assert.equal(routeObject("imports/events.ndjson", shared("cloudtrail/elastic-integrations/test-console-login-json.log")).action, "parse-cloudtrail");
  });

  it("skips what neither key nor content identifies, naming what was seen", () => {
    assert.deepEqual(routeObject("test.pdf", Buffer.from("%PDF-1.7\n%âãÏÓ\n")), {
      kind: "unknown",
      action: "skip",
      reason: 'neither the key nor the content identifies CloudTrail or VPC Flow Logs (first bytes: "%PDF-1.7")',
    });
    assert.match(routeObject("x.json.gz", HEADS.gzip()).reason ?? "", /gzip data \(1f 8b\)/);
    assert.match(routeObject("x.bin", Buffer.from([0, 1, 2, 3, 255])).reason ?? "", /binary data \(00 01 02 03 ff\)/);
    assert.match(routeObject("empty.log", Buffer.alloc(0)).reason ?? "", /the object is empty/);
    assert.match(routeObject("AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/x.log.gz", HEADS.flowLog()).reason ?? "", /layout of "elasticloadbalancing"/);
    assert.match(routeObject("AWSLogs/123456789012/CloudTrail/", Buffer.alloc(0)).reason ?? "", /folder placeholder/);
  });
});

it("the source of a key: account, region, CloudTrail or VPC flow, and the time in the file name", async () => {
  const { sourceOfKey } = await import("./route-object");
  assert.deepEqual(sourceOfKey("p/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/22/111122223333_CloudTrail_eu-west-1_20261122T0705Z_x.json.gz"), {
    accountId: "111122223333", region: "eu-west-1", source: "cloudtrail", dataAt: new Date("2026-11-22T07:05:00Z"),
  });
  assert.deepEqual(sourceOfKey("AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/aws-region=eu-west-2/year=2022/111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log.gz"), {
    accountId: "111111111111", region: "eu-west-2", source: "vpcflow", dataAt: new Date("2022-02-21T19:55:00Z"),
  });
  assert.equal(sourceOfKey("AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/odd name.log")?.dataAt, null);
  assert.equal(sourceOfKey("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/22/x.json.gz"), null);
  assert.equal(sourceOfKey("random/key.json"), null);
});
