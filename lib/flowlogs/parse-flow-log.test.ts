import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { DEFAULT_FLOW_LOG_FIELDS, FLOW_FIELDS } from "./flow-fields";
import { FlowLogFormatError, MAX_LINE_CHARS, parseFlowLog } from "./parse-flow-log";
import { chunked, firstLineFields, parseAll, parseOne, sharedSample, testdata } from "./testdata/samples";

const SEKOIA_1955 = "111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log";
const SEKOIA_2025 = "111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T2025Z_55a7d2af.log";

/** Every field of versions 2 to N, in AWS's table order: the "all fields" formats of Elastic's test files. */
const allFieldsUpTo = (version: number) => FLOW_FIELDS.filter((f) => f.version <= version).map((f) => f.name);

/**
 * The default Transit Gateway Flow Logs format (all fields, AWS's order):
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records
 */
const TRANSIT_GATEWAY_DEFAULT_FIELDS = [
  "version", "resource-type", "account-id", "tgw-id", "tgw-attachment-id", "tgw-src-vpc-account-id",
  "tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id", "tgw-src-subnet-id", "tgw-dst-subnet-id",
  "tgw-src-eni", "tgw-dst-eni", "tgw-src-az-id", "tgw-dst-az-id", "tgw-pair-attachment-id", "srcaddr", "dstaddr",
  "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "log-status", "type",
  "packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded", "packets-lost-ttl-expired",
  "tcp-flags", "region", "flow-direction", "pkt-src-aws-service", "pkt-dst-aws-service",
];

async function formatError(input: Buffer | string, options?: { fields?: string[] }): Promise<FlowLogFormatError> {
  try {
    await parseAll(input, options);
  } catch (error) {
    assert.ok(error instanceof FlowLogFormatError, `expected a FlowLogFormatError, got ${String(error)}`);
    assert.equal(error.name, "FlowLogFormatError");
    return error;
  }
  assert.fail("expected a FlowLogFormatError, the file was parsed");
}

// --- Real files with their header line -------------------------------------------------

test("default format with header (Sekoia, real scanner traffic): typed values, line numbers from 2", async () => {
  const { rows, rejections } = await parseAll(testdata(SEKOIA_1955));
  assert.deepEqual(rejections, []);
  assert.deepEqual(rows.map((r) => r.lineNumber), [2, 3, 4, 5, 6]); // no final newline: line 6 still read
  const [first, second] = rows;
  assert.deepEqual(first, {
    lineNumber: 2,
    version: 2,
    accountId: "111111111111",
    interfaceId: "eni-0a479835a7588c9ca",
    srcaddr: "79.124.62.82",
    dstaddr: "172.31.39.167",
    srcport: 58757,
    dstport: 39045,
    protocol: 6,
    packets: 1n,
    bytes: 40n,
    start: new Date("2022-02-21T18:54:29Z"),
    end: new Date("2022-02-21T18:55:24Z"),
    action: "REJECT",
    logStatus: "OK",
    ...Object.fromEntries(FLOW_FIELDS.filter((f) => f.version > 2).map((f) => [f.property, null])),
    extra: null,
  });
  assert.equal(second!.dstport, 123);
  assert.equal(second!.protocol, 17);
  assert.equal(second!.action, "ACCEPT");
  assert.equal(rows[4]!.srcaddr, "223.71.167.166");
  assert.equal(rows[4]!.bytes, 32n);
});

test("second Sekoia file: five rejected scans of the same interface", async () => {
  const { rows } = await parseAll(testdata(SEKOIA_2025));
  assert.deepEqual(rows.map((r) => [r.srcaddr, r.dstport, r.action]), [
    ["92.63.196.61", 3148, "REJECT"],
    ["45.79.134.162", 994, "REJECT"],
    ["94.232.45.43", 3138, "REJECT"],
    ["50.116.61.127", 110, "REJECT"],
    ["92.63.197.14", 8990, "REJECT"],
  ]);
  assert.ok(rows.every((r) => r.start?.toISOString() === "2022-02-21T20:24:35.000Z"));
});

test("accept-reject-traffic.log (Elastic): SSH accepted, RDP rejected, ICMP both ways", async () => {
  const { rows, rejections } = await parseAll(sharedSample("vpcflow/elastic-beats/accept-reject-traffic.log"));
  assert.deepEqual(rejections, []);
  assert.deepEqual(
    rows.map((r) => [r.lineNumber, r.srcaddr, r.dstaddr, r.srcport, r.dstport, r.protocol, r.packets, r.bytes, r.action]),
    [
      [2, "78.24.182.42", "158.109.0.1", 20641, 22, 6, 20n, 4249n, "ACCEPT"],
      [3, "78.24.182.42", "158.109.0.1", 49761, 3389, 6, 20n, 4249n, "REJECT"],
      [4, "203.0.113.12", "172.31.16.139", 0, 0, 1, 4n, 336n, "ACCEPT"],
      [5, "172.31.16.139", "203.0.113.12", 0, 0, 1, 4n, 336n, "REJECT"],
    ],
  );
  assert.equal(rows[0]!.start?.toISOString(), "2014-12-14T04:06:50.000Z");
  assert.equal(rows[0]!.end?.toISOString(), "2014-12-14T04:07:50.000Z");
});

test("custom field order (NAT gateway, Elastic): only the header's fields, `-` as null", async () => {
  const { rows, rejections } = await parseAll(sharedSample("vpcflow/elastic-beats/custom-nat-gateway.log"));
  assert.deepEqual(rejections, []);
  const pick = rows.map((r) => [r.instanceId, r.interfaceId, r.srcaddr, r.dstaddr, r.pktSrcaddr, r.pktDstaddr]);
  assert.deepEqual(pick, [
    [null, "eni-1235b8ca123456789", "10.0.1.5", "10.0.0.220", "10.0.1.5", "203.0.113.5"],
    ["i-01234567890123456", "eni-1111aaaa2222bbbb3", "10.0.1.5", "203.0.113.5", "10.0.1.5", "203.0.113.5"],
  ]);
  assert.ok(rows.every((r) => r.version === null && r.start === null && r.logStatus === null && r.extra === null));
});

test("AWS docs NAT gateway example: lines with a trailing #comment are rejected, the rest stored", async () => {
  const { rows, rejections } = await parseAll(sharedSample("aws-docs/extracted-vpcflow/docs-custom-nat-gateway.log"));
  assert.deepEqual(rows.map((r) => r.lineNumber), [2, 3, 4, 5]);
  assert.deepEqual(rejections.map((r) => r.position), [6, 7]);
  assert.match(rejections[0]!.reason, /^line 6: 16 values, but the header \(line 1\) names 6 fields$/);
  assert.match(rejections[0]!.excerpt, /#Traffic from the source instance/);
});

test("custom v3 order with tcp-flags; a double space copied into the docs is tolerated", async () => {
  const { rows, rejections } = await parseAll(sharedSample("aws-docs/extracted-vpcflow/docs-custom-v3-tcp-flags.log"));
  assert.deepEqual(rejections, []);
  assert.deepEqual(rows.map((r) => r.tcpFlags), [2, 18, 2, 18, 1, 1, 3, 19]);
  const last = rows[7]!; // "... 5001 43638  10.0.0.62 ..."
  assert.deepEqual([last.lineNumber, last.srcport, last.dstport, last.pktSrcaddr, last.protocol, last.bytes, last.packets], [9, 5001, 43638, "10.0.0.62", 6, 967n, 14n]);
  assert.deepEqual([rows[5]!.bytes, rows[5]!.packets, rows[5]!.type, rows[5]!.vpcId], [23294588n, 15774n, "IPv4", "vpc-abcdefab012345678"]);
});

test("custom v5 order: traffic-path, flow-direction and AWS service names", async () => {
  const { rows, rejections } = await parseAll(sharedSample("aws-docs/extracted-vpcflow/docs-custom-v5-traffic-path-flow-direction.log"));
  assert.deepEqual(rejections, []);
  assert.deepEqual(
    rows.map((r) => [r.version, r.flowDirection, r.trafficPath, r.pktSrcAwsService, r.pktDstAwsService, r.region, r.azId, r.sublocationType]),
    [
      [5, "ingress", null, "S3", null, "ap-southeast-2", "apse2-az3", null],
      [5, "egress", 8, null, "S3", "ap-southeast-2", "apse2-az3", null],
    ],
  );
  assert.equal(rows[0]!.bytes, 15044n);
});

test("AWS docs default-format records: NODATA and SKIPDATA kept, IPv6 addresses", async () => {
  const { rows, rejections } = await parseAll(sharedSample("aws-docs/extracted-vpcflow/docs-default-v2-records.log"));
  assert.deepEqual(rejections, []);
  assert.deepEqual(rows.map((r) => r.logStatus), ["OK", "OK", "NODATA", "SKIPDATA", "OK", "OK", "OK"]);
  const nodata = rows[2]!;
  assert.deepEqual(
    [nodata.interfaceId, nodata.srcaddr, nodata.dstport, nodata.packets, nodata.bytes, nodata.action, nodata.start?.toISOString()],
    ["eni-1235b8ca123456789", null, null, null, null, null, "2015-05-10T18:01:16.000Z"],
  );
  assert.equal(rows[6]!.srcaddr, "2001:db8:1234:a100:8d6e:3477:df66:f105");
});

test("repeated identical header and a blank line (concatenated files) are skipped; line numbers stay physical", async () => {
  const { rows, rejections } = await parseAll(sharedSample("vpcflow/elastic-beats/tcp-flag-sequence-skip-data.log"));
  assert.deepEqual(rejections, []);
  assert.deepEqual(rows.map((r) => [r.lineNumber, r.logStatus, r.srcaddr, r.tcpFlags, r.subnetId]), [
    [2, "SKIPDATA", null, null, "subnet-aaaaaaaa012345678"],
    [5, "NODATA", null, null, "subnet-aaaaaaaa012345678"],
  ]);
  const three = await parseAll(sharedSample("vpcflow/elastic-integrations/test-tcp-flag-sequence.log"));
  assert.deepEqual(three.rows.map((r) => [r.lineNumber, r.logStatus, r.tcpFlags]), [[2, "OK", 2], [4, "SKIPDATA", null], [6, "NODATA", null]]);
});

// --- Headerless samples: rejected without `fields`, parsed with the documented format --

test("headerless files are not guessed: FlowLogFormatError saying there is no header line", async () => {
  for (const file of ["ipv6.log", "no-data-skip-data.log", "custom-transit-gateway.log"]) {
    const error = await formatError(sharedSample(`vpcflow/elastic-beats/${file}`));
    assert.match(error.message, /^the file has no header line naming its fields: line 1 is "\d /, file);
  }
});

test("ipv6.log with the default format: IPv6 source and destination", async () => {
  const row = await parseOne(sharedSample("vpcflow/elastic-beats/ipv6.log"), { fields: [...DEFAULT_FLOW_LOG_FIELDS] });
  assert.equal(row.lineNumber, 1); // no header: line 1 is data
  assert.equal(row.srcaddr, "2001:db8:1234:a100:8d6e:3477:df66:f105");
  assert.equal(row.dstaddr, "2001:db8:1234:a102:3304:8879:34cf:4071");
  assert.deepEqual([row.srcport, row.dstport, row.packets, row.bytes, row.action], [34892, 22, 54n, 8855n, "ACCEPT"]);
  assert.equal(row.start?.toISOString(), "2016-10-31T11:35:08.000Z");
});

test("no-data-skip-data.log with the default format: both kept, with nulls", async () => {
  const { rows } = await parseAll(sharedSample("vpcflow/elastic-beats/no-data-skip-data.log"), { fields: [...DEFAULT_FLOW_LOG_FIELDS] });
  assert.deepEqual(rows.map((r) => [r.lineNumber, r.interfaceId, r.logStatus, r.srcaddr, r.bytes, r.action]), [
    [1, "eni-1235b8ca123456789", "NODATA", null, null, null],
    [2, "eni-11111111aaaaaaaaa", "SKIPDATA", null, null, null],
  ]);
});

test("custom-transit-gateway.log with the format of AWS's transit gateway example", async () => {
  const fields = firstLineFields(sharedSample("aws-docs/extracted-vpcflow/docs-custom-v3-transit-gateway.log"));
  const row = await parseOne(sharedSample("vpcflow/elastic-beats/custom-transit-gateway.log"), { fields });
  assert.deepEqual(
    [row.version, row.interfaceId, row.accountId, row.vpcId, row.subnetId, row.instanceId, row.srcaddr, row.dstaddr, row.srcport, row.dstport, row.protocol, row.tcpFlags, row.type, row.pktSrcaddr, row.pktDstaddr, row.action, row.logStatus, row.extra],
    [3, "eni-33333333333333333", "123456789010", "vpc-abcdefab012345678", "subnet-22222222bbbbbbbbb", "i-01234567890123456", "10.20.33.164", "10.40.2.236", 39812, 80, 6, 3, "IPv4", "10.20.33.164", "10.40.2.236", "ACCEPT", "OK", null],
  );
});

test("Transit Gateway flow logs: tgw-* fields in extra by AWS name, `-` left out", async () => {
  const { rows, rejections } = await parseAll(sharedSample("vpcflow/elastic-integrations/test-tgw-samples.log"), { fields: TRANSIT_GATEWAY_DEFAULT_FIELDS });
  assert.deepEqual(rejections, []);
  assert.equal(rows.length, 10);
  const first = rows[0]!;
  assert.deepEqual(first.extra, {
    "tgw-id": "tgw-0a12bc34de56f7890",
    "tgw-attachment-id": "tgw-attach-0789ijkl",
    "tgw-src-vpc-id": "vpc-0jkl5678",
    "tgw-dst-vpc-id": "vpc-0ghi9012",
    "tgw-src-eni": "eni-0cc3dd4ee5f66aa7b",
    "tgw-dst-eni": "eni-0cc3dd4ee5f66aa7b",
  });
  assert.deepEqual(
    [first.version, first.accountId, first.srcaddr, first.dstaddr, first.srcport, first.dstport, first.protocol, first.packets, first.bytes, first.logStatus, first.flowDirection, first.action],
    [3, "748335378900", "1.128.0.0", "2a02:cf40::", 39464, 22, 6, 49n, 8947n, "SKIPDATA", "ingress", null],
  );
  assert.deepEqual(rows.map((r) => r.logStatus).filter((s) => s === "OK").length, 3);
});

test("all v2-v5 fields (Elastic) agree with Elastic's expected document", async () => {
  const row = await parseOne(sharedSample("vpcflow/elastic-integrations/test-v5-all-fields.log"), { fields: allFieldsUpTo(5) });
  const expected = JSON.parse(sharedSample("vpcflow/elastic-integrations/test-v5-all-fields.log-expected.json").toString("utf8")).expected[0];
  const vpc = expected.aws.vpcflow;
  assert.equal(row.version, Number(vpc.version));
  assert.equal(row.accountId, vpc.account_id);
  assert.equal(row.interfaceId, vpc.interface_id);
  assert.equal(row.srcaddr, expected.source.ip);
  assert.equal(row.srcport, expected.source.port);
  assert.equal(row.dstaddr, expected.destination.ip);
  assert.equal(row.dstport, expected.destination.port);
  assert.equal(row.protocol, Number(expected.network.iana_number));
  assert.equal(row.packets, BigInt(expected.network.packets));
  assert.equal(row.bytes, BigInt(expected.network.bytes));
  assert.equal(row.start?.toISOString(), expected.event.start); // 164000066: 1975, as the sample says
  assert.equal(row.end?.toISOString(), expected.event.end);
  assert.equal(row.action, vpc.action);
  assert.equal(row.logStatus, vpc.log_status);
  assert.equal(row.vpcId, vpc.vpc_id);
  assert.equal(row.subnetId, vpc.subnet_id);
  assert.equal(row.instanceId, vpc.instance_id);
  assert.equal(row.tcpFlags, Number(vpc.tcp_flags));
  assert.equal(row.type, vpc.type);
  assert.equal(row.pktSrcaddr, vpc.pkt_srcaddr);
  assert.equal(row.pktDstaddr, vpc.pkt_dstaddr);
  assert.equal(row.region, expected.cloud.region);
  assert.equal(row.azId, expected.cloud.availability_zone);
  assert.deepEqual([row.sublocationType, row.sublocationId], [null, null]); // Elastic: "sublocation": {}
  assert.equal(row.pktSrcAwsService, vpc.pkt_src_service);
  assert.equal(row.pktDstAwsService, vpc.pkt_dst_service);
  assert.equal(row.flowDirection, expected.network.direction);
  assert.equal(row.trafficPath, Number(vpc.traffic_path));
  assert.equal(row.extra, null);
});

test("ECS fields (v7) and reject-reason (v8)", async () => {
  const ecs = await parseAll(sharedSample("vpcflow/elastic-integrations/test-ecs-samples.log"), { fields: allFieldsUpTo(7) });
  assert.deepEqual(ecs.rejections, []);
  assert.equal(ecs.rows.length, 10);
  const first = ecs.rows[0]!;
  assert.deepEqual(
    [first.srcaddr, first.dstaddr, first.flowDirection, first.ecsClusterName, first.ecsContainerInstanceId, first.ecsServiceName, first.ecsTaskId, first.rejectReason],
    ["1.128.0.0", "2a02:cf40::", "ingress", "frontend-cluster", "i-82bfd814a3c34e21a", "payments-service", "6adbd0d6-211", null],
  );
  assert.equal(first.ecsTaskDefinitionArn, "arn:aws:ecs:us-east-1:000000000000:task-definition/backend:3");
  assert.deepEqual(ecs.rows.map((r) => r.logStatus).filter((s) => s !== "OK"), ["NODATA", "SKIPDATA", "NODATA", "SKIPDATA", "NODATA", "NODATA"]);

  const v8 = await parseOne(sharedSample("vpcflow/elastic-integrations/test-v8-samples.log"), { fields: allFieldsUpTo(8) });
  assert.deepEqual([v8.rejectReason, v8.action, v8.logStatus, v8.srcaddr, v8.ecsClusterName], ["BPA", "REJECT", "NODATA", "2a02:cf40::", "backend-cluster"]);
});

// --- Bad input: rejected line by line, never fatal -------------------------------------

test("bad.log (Elastic): a file-level error without fields, a line rejection with them", async () => {
  const bad = sharedSample("vpcflow/elastic-beats/bad.log");
  const error = await formatError(bad);
  assert.equal(
    error.message,
    'the file has no header line naming its fields: line 1 is "Phony unsupported log format.", not field names such as ' +
      '"version account-id interface-id srcaddr …" as S3 delivery writes them; the format is never guessed from the ' +
      "number of values, so pass the fields when they are known",
  );
  const { rows, rejections } = await parseAll(bad, { fields: [...DEFAULT_FLOW_LOG_FIELDS] });
  assert.deepEqual(rows, []);
  assert.deepEqual(rejections, [
    { position: 1, reason: "line 1: 4 values, but the caller-supplied format names 14 fields", excerpt: "Phony unsupported log format." },
  ]);
});

test("bad lines among good ones: each rejected with line, field and value; good lines survive with their line numbers", async () => {
  const [header, ...records] = testdata(SEKOIA_1955).toString("utf8").split("\n");
  const good = records[0]!; // 2 111111111111 eni-… 79.124.62.82 172.31.39.167 58757 39045 6 1 40 1645469669 1645469724 REJECT OK
  const mutate = (index: number, value: string) => good.split(" ").map((v, i) => (i === index ? value : v)).join(" ");
  const bad = sharedSample("vpcflow/elastic-beats/bad.log").toString("utf8").trim();
  const lines = [
    header, //                                    1
    records[0], //                                2 good
    mutate(6, "http"), //                         3
    bad, //                                       4
    records[1], //                                5 good
    mutate(3, "999.1.1.1"), //                    6
    mutate(7, "256"), //                          7
    mutate(9, "-5"), //                           8
    mutate(10, "yesterday"), //                   9
    mutate(5, "65536"), //                        10
    mutate(9, "9223372036854775808"), //          11
    mutate(4, "fe80::1%eth0"), //                 12
    good.split(" ").slice(0, 13).join(" "), //    13 (log-status missing)
    `${good} extra`, //                           14
    mutate(0, "2.0"), //                          15
    "", //                                        16 blank: skipped
    records[2], //                                17 good
  ];
  const { rows, rejections } = await parseAll(lines.join("\n"));
  assert.deepEqual(rows.map((r) => r.lineNumber), [2, 5, 17]);
  assert.deepEqual(rejections.map((r) => r.reason), [
    'line 3: dstport "http" is not a port number (0-65535)',
    "line 4: 4 values, but the header (line 1) names 14 fields",
    'line 6: srcaddr "999.1.1.1" is not an IPv4 or IPv6 address',
    'line 7: protocol "256" is not an integer (0-255)',
    'line 8: bytes "-5" is not an integer (0-9223372036854775807)',
    'line 9: start "yesterday" is not a time in Unix seconds',
    'line 10: srcport "65536" is not a port number (0-65535)',
    'line 11: bytes "9223372036854775808" is not an integer (0-9223372036854775807)',
    'line 12: dstaddr "fe80::1%eth0" is not an IPv4 or IPv6 address',
    "line 13: 13 values, but the header (line 1) names 14 fields",
    "line 14: 15 values, but the header (line 1) names 14 fields",
    'line 15: version "2.0" is not an integer (0-2147483647)',
  ]);
  assert.deepEqual(rejections.map((r) => r.position), [3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  assert.equal(rejections[0]!.excerpt, lines[2]);
});

test("limits: largest values accepted exactly, IPv4-mapped IPv6 accepted", async () => {
  const header = "srcport protocol bytes packets start srcaddr tcp-flags";
  const row = await parseOne(`${header}\n65535 255 9223372036854775807 9007199254740993 0 ::ffff:10.0.0.1 2147483647\n`);
  assert.deepEqual(
    [row.srcport, row.protocol, row.bytes, row.packets, row.start?.toISOString(), row.srcaddr, row.tcpFlags],
    [65535, 255, 9223372036854775807n, 9007199254740993n, "1970-01-01T00:00:00.000Z", "::ffff:10.0.0.1", 2147483647],
  );
});

test("a header line naming other fields in the middle of a file is rejected, not obeyed", async () => {
  const text = testdata(SEKOIA_1955).toString("utf8").replace("\n2 ", "\nversion srcaddr dstaddr\n2 ");
  const { rows, rejections } = await parseAll(text);
  assert.equal(rows.length, 5);
  assert.deepEqual(rejections.map((r) => r.reason), ["line 2: a header line naming other fields than the header (line 1); one file has one format"]);
});

test("a NUL character is rejected (Postgres text cannot hold it)", async () => {
  const { rejections } = await parseAll("version action\n2 ACC\u0000EPT\n2 ACCEPT\n");
  assert.deepEqual(rejections.map((r) => [r.position, r.reason, r.excerpt]), [[2, "line 2: contains a NUL character, which flow-log text never does", "2 ACC\uFFFDEPT"]]);
});

// --- Format errors ---------------------------------------------------------------------

test("a header naming a field twice is a format error", async () => {
  const error = await formatError("version srcaddr dstaddr srcaddr\n2 10.0.0.1 10.0.0.2 10.0.0.3\n");
  assert.equal(error.message, 'line 1: the header (line 1) names the field "srcaddr" twice');
  const fromOptions = await formatError("2 10.0.0.1\n", { fields: ["version", "version"] });
  assert.equal(fromOptions.message, 'the caller-supplied format names the field "version" twice');
  const notAName = await formatError("2\n", { fields: ["Version"] });
  assert.match(notAName.message, /^"Version" in the caller-supplied format is not a flow-log field name/);
});

test("empty and blank files: a format error without fields, nothing with them", async () => {
  for (const text of ["", "\n\n", "  \r\n"]) {
    const error = await formatError(text);
    assert.equal(error.message, "the file has no header line naming its fields: it is empty");
    assert.deepEqual((await parseAll(text, { fields: ["version"] })).results, []);
  }
});

test("Parquet and gzip bytes are refused with a reason", async () => {
  const parquet = await formatError(testdata("test_parquet.parquet"));
  assert.match(parquet.message, /^Parquet flow logs are not supported yet/);
  const gzip = await formatError(gzipSync(testdata(SEKOIA_1955)));
  assert.match(gzip.message, /gzip-compressed/);
});

test("unknown but plausible field names go to extra; a header needs one known AWS field", async () => {
  const row = await parseOne("version encryption-status\n10 0\n");
  assert.deepEqual([row.version, row.extra], [10, { "encryption-status": "0" }]);
  const unknownOnly = await formatError("foo bar\nbaz qux\n");
  assert.match(unknownOnly.message, /no header line/);
});

test("options.fields: a first line repeating them is skipped as a header", async () => {
  const { rows } = await parseAll(testdata(SEKOIA_1955), { fields: [...DEFAULT_FLOW_LOG_FIELDS] });
  assert.deepEqual(rows.map((r) => r.lineNumber), [2, 3, 4, 5, 6]);
});

// --- Streaming ---------------------------------------------------------------------------

test("any chunking (1 byte, 7 bytes, strings) gives identical results", async () => {
  const inputs: [Buffer, { fields?: string[] }?][] = [
    [testdata(SEKOIA_1955)],
    [sharedSample("aws-docs/extracted-vpcflow/docs-custom-v5-traffic-path-flow-direction.log")],
    [sharedSample("vpcflow/elastic-beats/tcp-flag-sequence-skip-data.log")],
    [sharedSample("aws-docs/extracted-vpcflow/docs-custom-nat-gateway.log")],
    [sharedSample("vpcflow/elastic-integrations/test-ecs-samples.log"), { fields: allFieldsUpTo(7) }],
    [Buffer.from("version account-id\n2 ünïcödé-€\n")],
  ];
  for (const [bytes, options] of inputs) {
    const whole = await parseAll(bytes, options);
    assert.ok(whole.rows.length > 0);
    assert.deepEqual(await parseAll(bytes, options, 1), whole);
    assert.deepEqual(await parseAll(bytes, options, 7), whole);
    const strings: string[] = [];
    for (let i = 0; i < bytes.length; i += 5) strings.push(bytes.toString("utf8").slice(i, i + 5));
    const fromStrings: unknown[] = [];
    for await (const r of parseFlowLog((async function* () { yield* strings; })(), options)) fromStrings.push(r);
    assert.deepEqual(fromStrings, whole.results);
  }
  assert.equal((await parseAll(Buffer.from("version account-id\n2 ünïcödé-€\n"), {}, 1)).rows[0]!.accountId, "ünïcödé-€");
});

test("\\r\\n line ends give the same rows as \\n; a missing final newline loses nothing", async () => {
  const lf = testdata(SEKOIA_1955).toString("utf8"); // upstream file has no final newline
  const crlf = lf.replaceAll("\n", "\r\n");
  const expected = await parseAll(lf);
  assert.equal(expected.rows.length, 5);
  assert.deepEqual(await parseAll(crlf), expected);
  assert.deepEqual(await parseAll(`${crlf}\r\n`), expected);
  assert.deepEqual(await parseAll(`${crlf}\r\n`, undefined, 1), expected);
});

test("blank lines are skipped but counted", async () => {
  const text = "version srcport\n\n2 80\n   \n\r\n2 443";
  const { results } = await parseAll(text);
  assert.deepEqual(results.map((r) => (r.ok ? [r.row.lineNumber, r.row.srcport] : r.rejection.reason)), [[3, 80], [6, 443]]);
});

test("streams: rows come out before the source ends, and an endless line is cut off", async () => {
  const header = "version srcport\n";
  async function* endless() {
    yield Buffer.from(header);
    for (;;) yield Buffer.from("2 80\n");
  }
  let seen = 0;
  for await (const result of parseFlowLog(endless())) {
    assert.ok(result.ok);
    if (++seen === 1000) break; // returning stops the endless source: nothing was buffered whole
  }
  assert.equal(seen, 1000);

  async function* endlessLine(first: string) {
    yield Buffer.from(first);
    for (;;) yield Buffer.alloc(4096, "7");
  }
  await assert.rejects(
    async () => {
      for await (const _ of parseFlowLog(endlessLine("version"))) assert.fail("no row expected");
    },
    (error: unknown) => error instanceof FlowLogFormatError && /first line is longer than 65536 characters/.test(error.message),
  );

  const long = `${header}2 ${"8".repeat(MAX_LINE_CHARS)}\n2 443\n`;
  for (const size of [0, 1000]) {
    const { results } = await parseAll(long, undefined, size);
    assert.deepEqual(results.map((r) => (r.ok ? r.row.srcport : r.rejection.reason)), [
      `line 2: longer than ${MAX_LINE_CHARS} characters; not a flow-log record`,
      443,
    ]);
    assert.ok(!results[0]!.ok && results[0]!.rejection.excerpt.length <= 501);
  }
});

test("chunked() splits as asked (helper sanity)", async () => {
  const parts: Buffer[] = [];
  for await (const part of chunked(Buffer.from("abcdefg"), 3)) parts.push(part);
  assert.deepEqual(parts.map(String), ["abc", "def", "g"]);
});
