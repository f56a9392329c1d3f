import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { flowKey, ingestFlowLog } from "../search/testdata/ingest-fixtures";
import { PRIVATE_NETWORKS } from "../detect/conditions";
import { REMOTE_ADMIN_PORTS } from "./flow-selections";
import { LISTED } from "./leaders";
import { networkKpis, portScanSuspects, remoteAdminFromPublic, topDestinationPorts, topRejectedSources, topTalkers, trafficByInterface } from "./network";
import type { GroupRow } from "./report-query";

// The leader boards (lib/reports/leaders.ts) against the raw records, computed here with plain SQL. Each hour has
// more keys than a bucket lists (LISTED), so hours drop keys and the merged values carry real error bounds; a few
// heavy pairs are the busiest in every hour, so they must come back exact. The scope has partial hours at both
// edges and whole UTC days inside: day rows, 6-hour rows, hour rows and raw edges all count; a wider one holds a
// whole week.

let db: TestDatabase;
const A = "111122223333";
const B = "444455556666";
const DAY0 = Date.UTC(2026, 10, 18, 0, 0);
const HOURS = 72;
const SCOPE = { from: new Date(DAY0 + 3 * 3_600_000 + 17 * 60_000), to: new Date(DAY0 + 2 * 86_400_000 + 21 * 3_600_000 + 43 * 60_000) };
// Sunday 2026-11-15 00:17 to Tuesday 2026-11-24 00:43 UTC: the whole week from Monday the 16th, read as its week row.
const WEEK_SCOPE = { from: new Date(DAY0 - 3 * 86_400_000 + 17 * 60_000), to: new Date(DAY0 + 6 * 86_400_000 + 43 * 60_000) };
const TAIL = LISTED + 60;
const SCANNER = "192.0.2.66";

const HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status region flow-direction";
function line(account: string, src: string, dst: string, dstport: number, packets: number, bytes: number, startMs: number, action: string, eni = "eni-0a"): string {
  const start = Math.floor(startMs / 1000);
  return `5 ${account} ${eni} ${src} ${dst} 40000 ${dstport} 6 ${packets} ${bytes} ${start} ${start + 60} ${action} OK us-east-1 ingress`;
}

/**
 * One hour of records: 5 heavy pairs, then TAIL of 500 recurring peers (which ones, and how busy, shifts from hour
 * to hour), on 300 interfaces (the heavy pairs and the scanner on eni-0a).
 */
function hourLines(h: number): string[] {
  const at = (i: number) => DAY0 + h * 3_600_000 + ((i * 7) % 3_600) * 1000;
  const lines: string[] = [];
  for (let i = 0; i < 5; i++) lines.push(line(A, "10.0.0.1", `203.0.113.${i + 1}`, 443, 90_000 + i, 1e9 + i, at(i), "ACCEPT"));
  // A scanner refused on 40 new ports every hour, each ports once.
  for (let i = 0; i < 40; i++) lines.push(line(A, SCANNER, "10.0.2.1", 1 + ((h * 40 + i) % 65_000), 1, 60, at(i), "REJECT"));
  for (let i = 0; i < TAIL; i++) {
    const peer = (i * 7 + h * 13) % 500;
    const src = `198.51.${100 + (peer % 3)}.${peer % 250}`;
    const account = peer % 4 === 0 ? B : A;
    const port = i % 3 === 0 ? 22 : i % 3 === 1 ? 3389 : 1024 + ((i * 131 + h) % 60_000);
    const action = i % 2 === 0 ? "REJECT" : "ACCEPT";
    lines.push(line(account, src, `10.0.1.${peer % 200}`, port, 1 + ((i + h) % 50), 1000 + ((i * 37 + h * 11) % 997) * 1000, at(i + 5), action, `eni-${peer % 300}`));
  }
  return lines;
}

interface Truth {
  key: string;
  values: Record<string, number>;
}

async function truth(sql: string, scope = SCOPE): Promise<Map<string, Record<string, number>>> {
  const { rows } = await db.pool.query(sql, [scope.from, scope.to]);
  return new Map(rows.map((r: Record<string, unknown>) => [String(r.k), Object.fromEntries(Object.entries(r).filter(([c]) => c !== "k").map(([c, v]) => [c, Number(v)]))]));
}

const PUBLIC = `NOT (srcaddr <<= ANY('{10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,fc00::/7,fe80::/10,::1/128}'::inet[]))`;
const IN_SCOPE = "start >= $1 AND start < $2 AND log_status = 'OK'";

/**
 * Every row holds the board's guarantee against the raw truth: sums in [value, value + margin], distinct counts at
 * most the truth; rows ranked by `rank`. Returns the rows' truths.
 */
function assertBounded<K extends string, M extends string>(label: string, rows: GroupRow<K, M>[], keyOf: (r: GroupRow<K, M>) => string, raw: Map<string, Record<string, number>>, rank: M): Truth[] {
  assert.ok(rows.length > 0, `${label}: rows`);
  const seen: Truth[] = [];
  for (const r of rows) {
    const key = keyOf(r);
    const t = raw.get(key);
    assert.ok(t, `${label}: ${key} is a key of the raw records`);
    assert.ok(r.margin, `${label}: read from the board`);
    for (const m of Object.keys(r.values) as M[]) {
      const value = r.values[m];
      const margin = r.margin[m];
      assert.ok(value <= t[m]!, `${label}: ${key} ${m} ${value} <= ${t[m]}`);
      if (margin !== null) assert.ok(t[m]! <= value + margin, `${label}: ${key} ${m} ${t[m]} <= ${value} + ${margin}`);
    }
    seen.push({ key, values: t });
  }
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.values[rank] >= rows[i]!.values[rank], `${label}: ranked by ${rank}`);
  return seen;
}

before(async () => {
  db = await createTestDatabase("flow_leaders");
  for (let day = 0; day < HOURS / 24; day++) {
    const lines = Array.from({ length: 24 }, (_, h) => hourLines(day * 24 + h)).flat();
    await ingestFlowLog(db.pool, [HEADER, ...lines].join("\n") + "\n", flowKey(A, "us-east-1"));
  }
});
after(() => db.drop());

describe("flow leader boards", () => {
  it("list top talkers within their error bounds, the pairs busiest every hour exactly", async () => {
    const raw = await truth(`SELECT host(srcaddr) || ' ' || host(dstaddr) AS k, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows FROM flow_records WHERE ${IN_SCOPE} GROUP BY 1`);
    for (const by of ["bytes", "packets"] as const) {
      const rows = await topTalkers({ ...SCOPE, by, limit: 15 }, db.pool);
      assertBounded(`talkers by ${by}`, rows, (r) => `${r.key.src} ${r.key.dst}`, raw, by);
      assert.equal(rows.length, 15);
      const heavy = rows.slice(0, 5);
      assert.deepEqual(heavy.map((r) => r.key.src), Array(5).fill("10.0.0.1"), `${by}: the heavy pairs lead`);
      for (const r of heavy) {
        assert.deepEqual(r.values, raw.get(`${r.key.src} ${r.key.dst}`), `${by}: a pair listed in every hour is exact`);
        assert.deepEqual(r.margin, { bytes: 0, packets: 0, flows: 0 });
      }
      // Tail pairs recur in about half the hours, listed in some and not others: their values lack those hours.
      assert.ok(rows.some((r) => r.values[by] < raw.get(`${r.key.src} ${r.key.dst}`)![by]!), `${by}: some tail row lacks hours that did not list it`);
    }
  });

  it("list rejected sources, SSH/RDP from the internet and destination ports within their bounds", async () => {
    const rejected = await truth(
      `SELECT host(srcaddr) AS k, count(*) AS flows, count(DISTINCT dstport) AS ports, count(DISTINCT dstaddr) AS targets, sum(bytes) AS bytes
         FROM flow_records WHERE ${IN_SCOPE} AND action = 'REJECT' GROUP BY 1`,
    );
    const sources = await topRejectedSources({ ...SCOPE, limit: 15 }, db.pool);
    assertBounded("rejected sources", sources, (r) => r.key.src!, rejected, "flows");
    // The scanner, refused in every hour, leads; its ports (a union taken after ranking) are exact.
    assert.deepEqual([sources[0]!.key.src, sources[0]!.values.ports], [SCANNER, rejected.get(SCANNER)!.ports]);
    assert.ok(sources.slice(1).every((r) => r.values.ports > 0), "every source's ports are merged");

    const remote = await truth(
      `SELECT host(srcaddr) || ' ' || dstport || ' ' || action AS k, count(*) AS flows, sum(bytes) AS bytes
         FROM flow_records WHERE ${IN_SCOPE} AND ${PUBLIC} AND dstport IN (22, 3389) GROUP BY 1`,
    );
    assertBounded("remote admin", await remoteAdminFromPublic({ ...SCOPE, limit: 20 }, db.pool), (r) => `${r.key.src} ${r.key.port} ${r.key.action}`, remote, "flows");

    const scans = await truth(
      `SELECT host(srcaddr) AS k, count(DISTINCT dstport) FILTER (WHERE action = 'REJECT') AS "rejectedPorts", count(*) FILTER (WHERE action = 'REJECT') AS rejected,
              count(DISTINCT dstport) FILTER (WHERE action = 'ACCEPT') AS "acceptedPorts", count(*) AS flows, count(DISTINCT dstaddr) AS targets
         FROM flow_records WHERE ${IN_SCOPE} AND ${PUBLIC} GROUP BY 1`,
    );
    const suspects = await portScanSuspects({ ...SCOPE, limit: 20 }, db.pool);
    assertBounded("port-scan suspects", suspects, (r) => r.key.src!, scans, "rejectedPorts");
    // The scanner probes 40 new ports an hour: the hours' port sets merge by union, so its count is exact.
    assert.equal(suspects[0]!.key.src, SCANNER);
    assert.equal(suspects[0]!.values.rejectedPorts, scans.get(SCANNER)!.rejectedPorts);
    assert.ok(suspects.every((r) => r.values.rejectedPorts >= 25));

    const ports = await truth(
      `SELECT protocol || ' ' || dstport AS k, count(*) AS flows, sum(bytes) AS bytes, count(DISTINCT srcaddr) AS sources
         FROM flow_records WHERE ${IN_SCOPE} AND dstport IS NOT NULL GROUP BY 1`,
    );
    const top = await topDestinationPorts({ ...SCOPE, limit: 15 }, db.pool);
    assertBounded("destination ports", top, (r) => `${r.key.protocol} ${r.key.port}`, ports, "flows");
    // Ports 443, 22 and 3389 are in every hour's list: their counts are exact.
    assert.deepEqual(top.slice(0, 3).map((r) => [r.key.port, r.values.flows, r.margin!.flows]).sort(), ["22", "3389", "443"].map((p) => [p, ports.get(`6 ${p}`)!.flows, 0]).sort());
  });

  it("list traffic per interface within its bounds, the interface busiest every hour exactly", async () => {
    const raw = await truth(
      `SELECT interface_id AS k, sum(bytes) AS bytes, count(*) AS flows, count(*) FILTER (WHERE action = 'REJECT') AS rejected FROM flow_records WHERE ${IN_SCOPE} GROUP BY 1`,
    );
    assert.ok(raw.size > LISTED, "more interfaces than a bucket lists");
    const plans: string[] = [];
    const rows = await trafficByInterface({ ...SCOPE, limit: 20 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"flow_leaders"')), "read from the board");
    const seen = assertBounded("per interface", rows, (r) => String(r.key.eni), raw, "bytes");
    assert.deepEqual([rows[0]!.key.eni, rows[0]!.values, rows[0]!.margin], ["eni-0a", seen[0]!.values, { bytes: 0, flows: 0, rejected: 0 }]);
    assert.ok(rows.some((r) => r.margin!.bytes! > 0), "tail interfaces carry a margin");
  });

  it("give the SSH/RDP-from-the-internet KPI exactly, from a board's totals", async () => {
    const plans: string[] = [];
    const { kpis } = await networkKpis(SCOPE, explaining(db.pool, plans));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM flow_records WHERE ${IN_SCOPE} AND ${PUBLIC} AND dstport IN (22, 3389)`, [SCOPE.from, SCOPE.to]);
    assert.ok(rows[0].n > 10_000);
    assert.equal(kpis.remoteAdminFromPublic, rows[0].n);
    assert.equal(plans.filter((p) => p.includes('"Relation Name":"flow_leaders"')).length, 1);
  });

  it("list top talkers and rejected sources over a whole week from its week row, within their bounds", async () => {
    const plans: string[] = [];
    const talkers = await topTalkers({ ...WEEK_SCOPE, by: "bytes", limit: 15 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"flow_leaders"')));
    const raw = await truth(`SELECT host(srcaddr) || ' ' || host(dstaddr) AS k, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows FROM flow_records WHERE ${IN_SCOPE} GROUP BY 1`, WEEK_SCOPE);
    const seen = assertBounded("talkers over the week", talkers, (r) => `${r.key.src} ${r.key.dst}`, raw, "bytes");
    // Busiest every hour, so listed by every hour, quarter, day and the week: exact.
    assert.deepEqual(seen.slice(0, 5).map((t) => t.key), [5, 4, 3, 2, 1].map((i) => `10.0.0.1 203.0.113.${i}`));
    assert.deepEqual(talkers.slice(0, 5).map((r) => [r.values, r.margin]), seen.slice(0, 5).map((t) => [t.values, { bytes: 0, packets: 0, flows: 0 }]));
    const rejected = await truth(
      `SELECT host(srcaddr) AS k, count(*) AS flows, count(DISTINCT dstport) AS ports, count(DISTINCT dstaddr) AS targets, sum(bytes) AS bytes
         FROM flow_records WHERE ${IN_SCOPE} AND action = 'REJECT' GROUP BY 1`,
      WEEK_SCOPE,
    );
    const sources = await topRejectedSources({ ...WEEK_SCOPE, limit: 15 }, db.pool);
    assertBounded("rejected sources over the week", sources, (r) => r.key.src!, rejected, "flows");
    assert.deepEqual([sources[0]!.key.src, sources[0]!.values.ports], [SCANNER, rejected.get(SCANNER)!.ports], "the scanner's ports, the union of every bucket's");
  });

  it("read the board rows", async () => {
    const plans: string[] = [];
    await topTalkers({ ...SCOPE, by: "bytes", limit: 15 }, explaining(db.pool, plans));
    assert.equal(plans.filter((p) => p.includes('"Relation Name":"flow_leaders"')).length, 1);
  });

  it("are exact with an account filter, which reads the raw records", async () => {
    const rows = await topTalkers({ ...SCOPE, account: B, by: "bytes", limit: 500 }, db.pool);
    const raw = await truth(
      `SELECT host(srcaddr) || ' ' || host(dstaddr) AS k, sum(bytes) AS bytes, sum(packets) AS packets, count(*) AS flows FROM flow_records WHERE ${IN_SCOPE} AND account_id = '${B}' GROUP BY 1`,
    );
    assert.equal(rows.length, Math.min(500, raw.size));
    for (const r of rows) {
      assert.equal(r.margin, undefined);
      assert.deepEqual(r.values, raw.get(`${r.key.src} ${r.key.dst}`));
    }
  });

  it("follow late records into hours and days already built", async () => {
    await topTalkers({ ...SCOPE, by: "bytes", limit: 15 }, db.pool); // built
    const late = line(A, "10.9.9.9", "203.0.113.99", 443, 5, 5e12, DAY0 + 30 * 3_600_000 + 60_000, "ACCEPT");
    await ingestFlowLog(db.pool, `${HEADER}\n${late}\n${late.replace("10.9.9.9", "10.9.9.8")}\n`, flowKey(A, "us-east-1"));
    const rows = await topTalkers({ ...SCOPE, by: "bytes", limit: 2 }, db.pool);
    assert.deepEqual(
      rows.map((r) => [r.key.src, r.values.bytes]),
      [
        ["10.9.9.8", 5e12],
        ["10.9.9.9", 5e12],
      ],
    );
  });
});

describe("flow leader boards' error bounds", () => {
  // Boards built with one listed key per bucket, so every bound is tight and computable by hand. Day D holds hours
  // 05 and 09; hour 01 of day D+1 is read as an hour row. The range starts in a partial hour, read from 5-minute
  // rows: at 23:50 LISTED + 1 pairs P of 5 bytes each and X (0 bytes) leave all but one P out, so its bound is 5.
  const D = Date.UTC(2026, 10, 18);
  const H = 3_600_000;
  const X = ["10.0.0.1", "203.0.113.1"];
  const Y = ["10.0.0.2", "203.0.113.2"];
  const Z = ["10.0.0.3", "203.0.113.3"];
  const scope = { from: new Date(D - H / 2), to: new Date(D + 24 * H + 3.5 * H) };
  let small: TestDatabase;

  before(async () => {
    small = await createTestDatabase("flow_leader_bounds");
    const flows = [
      [X, 100, D + 5 * H],
      [Y, 60, D + 5 * H],
      [Y, 50, D + 9 * H],
      [X, 40, D + 9 * H],
      [Z, 500, D + 25 * H],
      [X, 10, D + 25 * H],
    ] as const;
    const lines = flows.map(([[src, dst], bytes, at]) => line(A, src!, dst!, 443, 1, bytes, at, "ACCEPT"));
    const edge = D - H / 6;
    for (let i = 0; i <= LISTED; i++) lines.push(line(A, `10.1.${i >> 8}.${i & 255}`, "203.0.113.9", 443, 1, 5, edge, "ACCEPT"));
    lines.push(line(A, X[0]!, X[1]!, 443, 1, 0, edge, "ACCEPT"));
    await ingestFlowLog(small.pool, [HEADER, ...lines].join("\n") + "\n", flowKey(A, "us-east-1"));
    await small.pool.query("SELECT trailwatch_refresh_rollups()");
    await small.pool.query("SELECT trailwatch_refresh_flow_leaders($1::inet[], $2::int[], 1, 1)", [PRIVATE_NETWORKS, [...REMOTE_ADMIN_PORTS]]);
  });
  after(() => small.drop());

  it("bound each value by the buckets that did not list its key", async () => {
    const rows = await topTalkers({ ...scope, by: "bytes", limit: 2 }, small.pool);
    // Z: 500 listed in hour 01; it may lack day D's bound (Y's 50 + 60 = 110, the most a key the day dropped had)
    //    and the edge's (5).
    // X: day D lists 100 and may lack hour 09's bound (Y listed there, X's 40 unlisted); hour 01 did not list
    //    its 10 (bound 10), nor the edge its 0 (bound 5): 100 + 55 ≥ the true 150.
    // Y is listed in no bucket of the range: it is not a row, and it had at most day D's bound.
    assert.deepEqual(
      rows.map((r) => [r.key.src, r.values.bytes, r.margin!.bytes]),
      [
        ["10.0.0.3", 500, 115],
        ["10.0.0.1", 100, 55],
      ],
    );
    assert.deepEqual(rows.map((r) => [r.values.flows, r.margin!.flows]), [[1, 3], [1, 3]]);
  });

  it("keep exact totals for every key together", async () => {
    const { rows } = await small.pool.query("SELECT grain, sum(bytes)::int AS bytes FROM flow_leaders WHERE board = 'talkers-bytes' GROUP BY 1 ORDER BY 1");
    assert.deepEqual(
      rows,
      ["5min", "6h", "day", "hour", "week"].map((grain) => ({ grain, bytes: 760 + 5 * (LISTED + 1) })),
    );
  });
});
