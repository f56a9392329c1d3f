import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, storeCloudTrail, storeFlowLog } from "../../test/support/ingest-fixture";
import { flowRecords, linkedCount, linkedRecords, type RawRecord } from "../../test/support/search-link-oracle";
import {
  flowsWithoutRegion,
  networkChanges,
  networkChangesOverTime,
  networkKpis,
  networkReport,
  PORT_SCAN_MIN_PORTS,
  portScanSuspects,
  remoteAdminFromPublic,
  topDestinationPorts,
  topRejectedSources,
  topTalkers,
  trafficByDirection,
  trafficByInterface,
  trafficOverTime,
} from "./network";

let db: TestDatabase;

const PROD = "111122223333";
const STAGING = "444455556666";
const scope = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z") };
const sec = (iso: string, plus = 0) => Date.parse(iso) / 1000 + plus;

// A custom (version 5) format with VPC, subnet, direction and region, as in the demo's staging account.
const V5 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id flow-direction region";
const v5 = (src: string, dst: string, srcport: number, dstport: number, packets: number, bytes: number, start: number, action: string, direction: string, eni = "eni-web", subnet = "subnet-a", proto = 6) =>
  `5 ${PROD} ${eni} ${src} ${dst} ${srcport} ${dstport} ${proto} ${packets} ${bytes} ${start} ${start + 30} ${action} OK vpc-1 ${subnet} ${direction} us-east-1`;
const WEB = "10.0.0.21";
const BASTION = "10.0.0.5";
const SCANNER = "67.43.156.14";

const v5Lines = [
  // customers and the web server, three times in the day
  ...[1, 9, 17].flatMap((h) => [
    v5("198.51.100.20", WEB, 50000 + h, 443, 10, 5_000, sec(`2026-11-20T${String(h).padStart(2, "0")}:00:00Z`), "ACCEPT", "ingress"),
    v5(WEB, "198.51.100.20", 443, 50000 + h, 40, 50_000, sec(`2026-11-20T${String(h).padStart(2, "0")}:00:00Z`), "ACCEPT", "egress"),
  ]),
  // a port scan: 30 refused ports, 443 answers
  ...Array.from({ length: 30 }, (_, i) => v5(SCANNER, WEB, 40000, i + 1, 1, 44, sec("2026-11-20T19:20:00Z", i), "REJECT", "ingress")),
  v5(SCANNER, WEB, 40000, 443, 2, 84, sec("2026-11-20T19:21:00Z"), "ACCEPT", "ingress"),
  // SSH and RDP from the internet to the bastion
  ...[0, 1].map((i) => v5("175.16.199.201", BASTION, 55000 + i, 22, 20, 3_000, sec("2026-11-20T10:30:00Z", i * 60), "ACCEPT", "ingress", "eni-bastion")),
  ...[0, 1, 2].map((i) => v5("175.16.199.201", BASTION, 56000 + i, 22, 1, 44, sec("2026-11-20T18:00:00Z", i * 60), "REJECT", "ingress", "eni-bastion")),
  v5("81.2.69.160", BASTION, 51515, 3389, 1, 44, sec("2026-11-20T12:00:00Z"), "REJECT", "ingress", "eni-bastion"),
  // internal: the app tier to PostgreSQL (private source: not "from public")
  v5("10.0.10.15", "10.0.20.31", 41000, 5432, 30, 12_000, sec("2026-11-20T11:00:00Z"), "ACCEPT", "egress", "eni-app", "subnet-b"),
  // an idle interval
  `5 ${PROD} eni-idle - - - - - - - ${sec("2026-11-20T13:00:00Z")} ${sec("2026-11-20T13:00:59Z")} - NODATA vpc-1 subnet-b - us-east-1`,
  // outside the day
  v5(SCANNER, WEB, 40000, 8080, 1, 44, sec("2026-11-21T00:00:00Z"), "REJECT", "ingress"),
];

// The default (version 2) format: no VPC, subnet, direction or region.
const V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const v2Lines = [
  `2 ${STAGING} eni-stg 203.0.113.50 10.20.0.9 40001 22 6 2 88 ${sec("2026-11-20T05:00:00Z")} ${sec("2026-11-20T05:00:30Z")} REJECT OK`,
  `2 ${STAGING} eni-stg 203.0.113.50 10.20.0.9 40002 22 6 2 88 ${sec("2026-11-20T05:01:00Z")} ${sec("2026-11-20T05:01:30Z")} REJECT OK`,
  `2 ${STAGING} eni-stg 10.20.0.9 192.0.2.1 40003 53 17 1 70 ${sec("2026-11-20T05:02:00Z")} ${sec("2026-11-20T05:02:30Z")} ACCEPT OK`,
];
const flows: RawRecord[] = [...flowRecords(V5, v5Lines), ...flowRecords(V2, v2Lines)];

const ec2 = (time: string, eventName: string, extra: Record<string, unknown> = {}) =>
  cloudTrailEvent({ eventTime: time, eventName, userIdentity: iamUser("hiro"), readOnly: false, ...extra });
const events: RawRecord[] = [
  ec2("2026-11-20T10:10:00Z", "AuthorizeSecurityGroupIngress", { awsRegion: "eu-west-1" }),
  ec2("2026-11-20T17:34:00Z", "RevokeSecurityGroupIngress", { awsRegion: "eu-west-1" }),
  ec2("2026-11-20T11:00:00Z", "CreateRoute"),
  ec2("2026-11-20T11:30:00Z", "CreateNetworkAclEntry"),
  ec2("2026-11-20T23:50:00Z", "DeleteFlowLogs", { errorCode: "Client.UnauthorizedOperation", errorMessage: "no" }),
  ec2("2026-11-20T09:00:00Z", "RunInstances"), // not a network change
  ec2("2026-11-20T09:00:00Z", "DescribeSecurityGroups", { readOnly: true }),
];

before(async () => {
  db = await createTestDatabase("network");
  await storeFlowLog(db.pool, V5, v5Lines, PROD, "us-east-1");
  await storeFlowLog(db.pool, V2, v2Lines, STAGING, "us-east-1");
  await storeCloudTrail(db.pool, events);
});

after(async () => {
  await db?.drop();
});

const sum = (records: RawRecord[], field: string) => records.reduce((n, r) => n + Number(r[field]), 0);
const inDay = flows.filter((r) => r["log-status"] === "OK" && Number(r.start) < sec("2026-11-21T00:00:00Z"));

describe("networkKpis", () => {
  it("counts traffic, bytes by action, exposed remote administration and network changes, each linked", async () => {
    const { kpis, hrefs } = await networkKpis(scope, db.pool);
    assert.deepEqual(kpis, {
      flows: inDay.length, // 6 web + 31 scan + 6 SSH/RDP + 1 internal + 3 v2 = 47
      bytesAccepted: sum(inDay.filter((r) => r.action === "ACCEPT"), "bytes"),
      bytesRejected: sum(inDay.filter((r) => r.action === "REJECT"), "bytes"),
      rejected: 30 + 3 + 1 + 2,
      remoteAdminFromPublic: 2 + 3 + 1 + 2 + 1, // the v2 file's SSH from 203.0.113.50 too, and the scan's probe of 22
      networkChanges: 5,
      flowLogDeletions: 1,
    });
    assert.equal(kpis.flows, 47);
    for (const name of ["flows", "rejected", "remoteAdminFromPublic"] as const) assert.equal(linkedCount(hrefs[name], flows), kpis[name], name);
    assert.equal(sum(linkedRecords(hrefs.bytesAccepted!, flows), "bytes"), kpis.bytesAccepted);
    for (const name of ["networkChanges", "flowLogDeletions"] as const) assert.equal(linkedCount(hrefs[name], events), kpis[name], name);
  });

  it("applies the region filter to the flow log's region field and says how many records lack it", async () => {
    const eu = await networkKpis({ ...scope, region: "us-east-1" }, db.pool);
    assert.equal(eu.kpis.flows, 44); // the v2 records have no region
    assert.equal(linkedCount(eu.hrefs.flows, flows), 44);
    assert.equal(eu.kpis.networkChanges, 3); // the security group changes were in eu-west-1
    assert.equal(await flowsWithoutRegion({ ...scope, region: "us-east-1" }, db.pool), 3);
    assert.equal(await flowsWithoutRegion(scope, db.pool), null);
    const staging = await networkKpis({ ...scope, account: STAGING }, db.pool);
    assert.equal(staging.kpis.flows, 3);
  });
});

describe("trafficOverTime", () => {
  it("sums bytes and packets per hour by action, each bar linked to its records", async () => {
    const { points } = await trafficOverTime(scope, db.pool);
    assert.equal(points.length, 24);
    const h19 = points[19]!;
    assert.deepEqual([h19.rejectedBytes, h19.rejectedPackets, h19.acceptedBytes, h19.acceptedPackets], [30 * 44, 30, 84, 2]);
    for (const p of points) {
      assert.equal(sum(linkedRecords(p.hrefs.acceptedBytes, flows), "bytes"), p.acceptedBytes);
      assert.equal(sum(linkedRecords(p.hrefs.rejectedPackets, flows), "packets"), p.rejectedPackets);
    }
  });
});

describe("talkers, refusals and exposure", () => {
  it("ranks talkers by bytes and by packets", async () => {
    const byBytes = await topTalkers({ ...scope, by: "bytes" }, db.pool);
    assert.deepEqual([byBytes[0]!.key, byBytes[0]!.values], [{ src: WEB, dst: "198.51.100.20" }, { bytes: 150_000, packets: 120, flows: 3 }]);
    const byPackets = await topTalkers({ ...scope, by: "packets" }, db.pool);
    assert.deepEqual(byPackets.map((r) => r.values.packets), [...byPackets.map((r) => r.values.packets)].sort((a, b) => b - a));
    for (const r of [...byBytes, ...byPackets]) {
      assert.equal(linkedCount(r.hrefs.flows, flows), r.values.flows);
      assert.equal(sum(linkedRecords(r.hrefs.bytes!, flows), "bytes"), r.values.bytes);
    }
  });

  it("ranks rejected sources with distinct ports and targets", async () => {
    const rows = await topRejectedSources(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.src, r.values.flows, r.values.ports, r.values.targets]), [
      [SCANNER, 30, 30, 1],
      ["175.16.199.201", 3, 1, 1],
      ["203.0.113.50", 2, 1, 1],
      ["81.2.69.160", 1, 1, 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.hrefs.flows, flows), r.values.flows);
  });

  it("shows SSH and RDP from public addresses, by source, port and action", async () => {
    const rows = await remoteAdminFromPublic(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.src, r.key.port, r.key.action, r.values.flows]), [
      ["175.16.199.201", "22", "REJECT", 3],
      ["175.16.199.201", "22", "ACCEPT", 2],
      ["203.0.113.50", "22", "REJECT", 2],
      [SCANNER, "22", "REJECT", 1], // the scan went through port 22 too
      ["81.2.69.160", "3389", "REJECT", 1],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.hrefs.flows, flows), r.values.flows);
  });

  it("flags the source refused on many ports as a port-scan suspect, and no one else", async () => {
    assert.ok(PORT_SCAN_MIN_PORTS <= 30);
    const rows = await portScanSuspects(scope, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.src, r.values]), [[SCANNER, { rejectedPorts: 30, rejected: 30, acceptedPorts: 1, flows: 31, targets: 1 }]]);
    assert.equal(linkedCount(rows[0]!.href, flows), 31);
    assert.equal(linkedCount(rows[0]!.hrefs.rejected, flows), 30);
  });
});

describe("direction, ports and interfaces", () => {
  it("splits traffic by flow-direction, records without the field apart", async () => {
    const rows = await trafficByDirection(scope, db.pool);
    const by = Object.fromEntries(rows.map((r) => [String(r.key.direction), r.values.flows]));
    assert.deepEqual(by, { egress: 4, ingress: 40, null: 3 });
    for (const r of rows) assert.equal(linkedCount(r.hrefs.flows, flows), r.values.flows, String(r.key.direction));
  });

  it("ranks destination ports per protocol", async () => {
    const rows = await topDestinationPorts(scope, db.pool);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.key.protocol, r.key.port, r.values.flows]), [
      ["6", "22", 8],
      ["6", "443", 4],
    ]);
    for (const r of rows) assert.equal(linkedCount(r.hrefs.flows, flows), r.values.flows);
  });

  it("sums traffic per interface with its VPC and subnet", async () => {
    const rows = await trafficByInterface(scope, db.pool);
    assert.deepEqual(rows[0]!.key, { vpc: "vpc-1", subnet: "subnet-a", eni: "eni-web" });
    const stg = rows.find((r) => r.key.eni === "eni-stg")!;
    assert.deepEqual([stg.key.vpc, stg.key.subnet, stg.values.flows], [null, null, 3]);
    for (const r of rows) assert.equal(linkedCount(r.hrefs.flows, flows), r.values.flows);
  });
});

describe("network changes", () => {
  it("counts changes per category and lists them newest first, failures included", async () => {
    const { categories, recent } = await networkChanges(scope, db.pool);
    assert.deepEqual(Object.fromEntries(categories.map((c) => [c.id, c.count])), { securityGroups: 2, nacls: 1, routes: 1, gateways: 0, vpcs: 0, flowLogs: 1 });
    assert.deepEqual(recent.map((r) => r.eventName), ["DeleteFlowLogs", "RevokeSecurityGroupIngress", "CreateNetworkAclEntry", "CreateRoute", "AuthorizeSecurityGroupIngress"]);
    for (const c of categories) if (c.count) assert.equal(linkedCount(c.href, events), c.count);
    const { series, points } = await networkChangesOverTime(scope, db.pool);
    assert.equal(series.length, 6);
    assert.equal(points.reduce((n, p) => n + (p as unknown as Record<string, number>).securityGroups!, 0), 2);
  });
});

describe("networkReport", () => {
  it("assembles every panel", async () => {
    const report = await networkReport({ ...scope, region: "us-east-1" }, db.pool);
    assert.equal(report.kpis.flows, 44);
    assert.equal(report.flowsWithoutRegion, 3);
    assert.equal(report.portScanSuspects.length, 1);
  });
});
