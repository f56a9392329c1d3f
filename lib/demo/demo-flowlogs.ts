import type { DemoRandom } from "./demo-random";
import { FLOW_LOG_HEADERS, FOREIGN_IPS, OFFICE_IPS, REGION_ACTIVITY, eniOf, type DemoEni, type DemoVpc } from "./demo-world";
import { HOUR_MS, MINUTE_MS, SECOND_MS, businessFactor } from "./demo-time";
import type { DemoTimeline } from "./demo-timeline";

/**
 * One flow-log record on one network interface, before it is written in a file's field order.
 * Field meanings: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
interface FlowRecord {
  eni: DemoEni;
  srcaddr: string;
  dstaddr: string;
  srcport: number;
  dstport: number;
  /** IANA number: 6 TCP, 17 UDP. */
  protocol: number;
  packets: number;
  bytes: number;
  /** Unix seconds. */
  start: number;
  end: number;
  action: "ACCEPT" | "REJECT";
  /** The original addresses when they differ from srcaddr/dstaddr (traffic through the NAT gateway). */
  pktSrcaddr?: string;
  pktDstaddr?: string;
  tcpFlags: number;
  direction: "ingress" | "egress";
  /** Egress only: 1 within the VPC (NAT gateway included), 8 internet gateway; undefined → `-`. */
  trafficPath?: number;
}

/** A NODATA or SKIPDATA record: the interface and the interval, everything else `-`. */
interface StatusRecord {
  eni: DemoEni;
  start: number;
  end: number;
  status: "NODATA" | "SKIPDATA";
}

type Line = FlowRecord | StatusRecord;

// TCP flag bits as flow logs OR them over the aggregation interval.
const SYN = 2;
const SYN_FIN = 3;
const SYN_ACK_FIN = 19;

/**
 * Connections per interface and hour in prod us-east-1: `quiet` at night, `quiet + busy` at the
 * height of the working day (scaled by the account's and region's activity). Tuned so that the
 * week lands near 100k records.
 */
const RATES = {
  /** Customers → each web server, HTTPS. */
  https: { quiet: 6, busy: 28 },
  /** Each web server → the app tier, 8080. */
  proxy: { quiet: 2.5, busy: 12 },
  /** Each app host → PostgreSQL. */
  postgres: { quiet: 2.5, busy: 8 },
  /** Each app host → the resolver, UDP 53. */
  dns: { quiet: 1.5, busy: 3 },
  /** Each app host → the internet through the NAT gateway. */
  egress: { quiet: 1.5, busy: 4.5 },
  /** Office → bastion, SSH. */
  ssh: { quiet: 0, busy: 1.5 },
} as const;

/** Ports internet scanners knock on all day. */
const NOISE_PORTS = [22, 22, 22, 23, 25, 80, 443, 445, 1433, 2375, 3306, 3389, 3389, 5060, 5432, 5900, 6379, 8080, 8443, 9200, 11211, 27017];

/**
 * The flow-log file of one VPC for the part [from, to) (epoch ms) of one hour: header line, then
 * one record per line, every field in the header's order, `-` where AWS writes it.
 * Returns the text and the number of records (lines after the header).
 */
export function generateFlowLogHour(rnd: DemoRandom, vpc: DemoVpc, from: number, to: number, timeline: DemoTimeline): { text: string; records: number } {
  const lines = flowLines(rnd, vpc, from, to, timeline);
  lines.sort((a, b) => a.start - b.start);
  const header = FLOW_LOG_HEADERS[vpc.account.flowLogFormat];
  const fields = header.split(" ");
  const out = [header];
  for (const line of lines) out.push(fields.map((field) => fieldValue(field, line, vpc)).join(" "));
  return { text: `${out.join("\n")}\n`, records: lines.length };
}

function flowLines(rnd: DemoRandom, vpc: DemoVpc, from: number, to: number, timeline: DemoTimeline): Line[] {
  const lines: Line[] = [];
  const fromSec = Math.ceil(from / SECOND_MS);
  const toSec = Math.ceil(to / SECOND_MS);
  if (toSec <= fromSec) return lines;
  const b = businessFactor(from);
  const k = vpc.account.activity * REGION_ACTIVITY[vpc.region];
  const connections = (rate: { quiet: number; busy: number }) => rnd.count((rate.quiet + rate.busy * b) * k);
  // Records cover at most one minute (Nitro aggregation interval) and stay inside the file's hour.
  const interval = (): [number, number] => {
    const start = rnd.int(fromSec, toSec - 1);
    return [start, Math.min(start + rnd.int(0, 58), toSec - 1)];
  };
  const tier = (t: DemoEni["tier"]) => vpc.enis.filter((e) => e.tier === t);
  const nat = eniOf(vpc, "nat");
  const db = eniOf(vpc, "db");
  const dns = eniOf(vpc, "dns");

  for (const web of tier("web")) {
    // Customers reach the web servers over HTTPS…
    for (let i = connections(RATES.https); i > 0; i -= 1) {
      const requests = rnd.int(6, 30);
      const responses = rnd.int(8, 120);
      const traffic = { packetsOut: responses, bytesOut: responses * rnd.int(400, 1400), packetsIn: requests, bytesIn: requests * rnd.int(90, 900) };
      lines.push(...conversation(web, internetClient(rnd), 443, rnd.int(1024, 65535), 6, "remote", traffic, interval(), 8));
    }
    // …which proxy them to the app tier on 8080.
    for (let i = connections(RATES.proxy); i > 0; i -= 1) {
      const requests = rnd.int(5, 25);
      const responses = rnd.int(5, 80);
      lines.push(...internal(web, ephemeral(rnd), rnd.pick(tier("app")), 8080, 6, requests, requests * rnd.int(200, 900), responses, responses * rnd.int(300, 1400), interval()));
    }
  }

  for (const app of tier("app")) {
    // PostgreSQL, seen on both the app host and the database interface.
    for (let i = connections(RATES.postgres); i > 0; i -= 1) {
      const queries = rnd.int(4, 60);
      const rows = rnd.int(4, 200);
      lines.push(...internal(app, ephemeral(rnd), db, 5432, 6, queries, queries * rnd.int(80, 400), rows, rows * rnd.int(120, 1400), interval()));
    }
    // DNS to the self-hosted resolver (UDP 53).
    for (let i = connections(RATES.dns); i > 0; i -= 1) {
      const queries = rnd.int(1, 4);
      lines.push(...internal(app, ephemeral(rnd), dns, 53, 17, queries, queries * rnd.int(60, 90), queries, queries * rnd.int(90, 300), interval()));
    }
    // Outbound HTTPS to third-party APIs (and plain HTTP to the package mirror), through the NAT gateway.
    for (let i = connections(RATES.egress); i > 0; i -= 1) {
      const http = rnd.chance(0.08);
      const remote = http ? "198.51.100.240" : `198.51.100.${rnd.int(200, 230)}`;
      lines.push(...natEgress(rnd, app, nat, remote, http ? 80 : 443, interval()));
    }
  }

  // Staff SSH into the bastion from the office.
  const bastion = eniOf(vpc, "bastion");
  for (let i = connections(RATES.ssh); i > 0; i -= 1) {
    const packets = rnd.int(40, 600);
    const traffic = { packetsOut: packets, bytesOut: packets * rnd.int(80, 300), packetsIn: packets, bytesIn: packets * rnd.int(60, 140) };
    lines.push(...conversation(bastion, rnd.pick(OFFICE_IPS), 22, rnd.int(49152, 65535), 6, "remote", traffic, interval(), 8));
  }

  // The internet's background radiation: unsolicited SYNs to public interfaces, refused by the security groups.
  const exposed = [...tier("web"), bastion];
  for (let i = rnd.count(8); i > 0; i -= 1) {
    const eni = rnd.pick(exposed);
    const port = rnd.pick(NOISE_PORTS);
    // Web servers accept 80/443 from anyone; everything else is refused.
    if (eni.tier === "web" && (port === 80 || port === 443)) continue;
    lines.push(rejected(eni, noiseSource(rnd), rnd.int(1024, 65535), port, rnd.int(1, 2), interval()));
  }

  // The standby instance has nothing to say now and then; rarely the service drops an interval.
  if (rnd.chance(0.04)) {
    const [start] = interval();
    lines.push({ eni: eniOf(vpc, "idle"), start, end: Math.min(start + 59, toSec - 1), status: "NODATA" });
  }
  if (rnd.chance(0.01)) {
    const [start] = interval();
    lines.push({ eni: rnd.pick(tier("app")), start, end: Math.min(start + 59, toSec - 1), status: "SKIPDATA" });
  }

  lines.push(...portScan(rnd, vpc, fromSec, toSec, timeline));
  lines.push(...sshProbe(rnd, vpc, fromSec, toSec, timeline));
  return lines;
}

/** Packets and bytes one interface sent (`…Out`) and received (`…In`) over a connection. */
interface Traffic {
  packetsOut: number;
  bytesOut: number;
  packetsIn: number;
  bytesIn: number;
}

/**
 * The two records of one connection as seen on `eni`, one per direction. `initiator`: who opened
 * it ("local": this interface, the client; "remote": the peer). `egressPath`: traffic-path of
 * the outbound record.
 */
function conversation(
  eni: DemoEni,
  peer: string,
  localPort: number,
  peerPort: number,
  protocol: number,
  initiator: "local" | "remote",
  { packetsOut, bytesOut, packetsIn, bytesIn }: Traffic,
  [start, end]: [number, number],
  egressPath: number | undefined,
): FlowRecord[] {
  const tcp = protocol === 6;
  const localOpened = initiator === "local";
  const out: FlowRecord = {
    eni, srcaddr: eni.ip, dstaddr: peer, srcport: localPort, dstport: peerPort, protocol,
    packets: packetsOut, bytes: bytesOut, start, end, action: "ACCEPT",
    tcpFlags: tcp ? (localOpened ? SYN_FIN : SYN_ACK_FIN) : 0,
    direction: "egress",
    trafficPath: eni.instanceId === null ? undefined : egressPath,
  };
  const back: FlowRecord = {
    eni, srcaddr: peer, dstaddr: eni.ip, srcport: peerPort, dstport: localPort, protocol,
    packets: packetsIn, bytes: bytesIn, start, end, action: "ACCEPT",
    tcpFlags: tcp ? (localOpened ? SYN_ACK_FIN : SYN_FIN) : 0,
    direction: "ingress",
  };
  return initiator === "local" ? [out, back] : [back, out];
}

/**
 * A connection between two of our interfaces: both capture it, with the same counters seen
 * from each side (the client's egress is the server's ingress).
 */
function internal(
  client: DemoEni,
  clientPort: number,
  server: DemoEni,
  port: number,
  protocol: number,
  clientPackets: number,
  clientBytes: number,
  serverPackets: number,
  serverBytes: number,
  when: [number, number],
): FlowRecord[] {
  return [
    ...conversation(client, server.ip, clientPort, port, protocol, "local", { packetsOut: clientPackets, bytesOut: clientBytes, packetsIn: serverPackets, bytesIn: serverBytes }, when, 1),
    ...conversation(server, client.ip, port, clientPort, protocol, "remote", { packetsOut: serverPackets, bytesOut: serverBytes, packetsIn: clientPackets, bytesIn: clientBytes }, when, 1),
  ];
}

/**
 * An outbound connection from a private host through the NAT gateway: two records on the host,
 * four on the NAT gateway's interface, whose srcaddr/dstaddr show its own private address and
 * whose pkt-srcaddr/pkt-dstaddr keep the original ends (AWS's "NAT gateway" example).
 */
function natEgress(rnd: DemoRandom, app: DemoEni, nat: DemoEni, remote: string, port: number, when: [number, number]): FlowRecord[] {
  const appPort = ephemeral(rnd);
  const natPort = rnd.int(1024, 65535);
  const sent = rnd.int(6, 40);
  const received = rnd.int(6, 200);
  const bytesOut = sent * rnd.int(80, 700);
  const bytesIn = received * rnd.int(300, 1400);
  const [start, end] = when;
  const base = { protocol: 6, start, end, action: "ACCEPT" as const };
  return [
    ...conversation(app, remote, appPort, port, 6, "local", { packetsOut: sent, bytesOut, packetsIn: received, bytesIn }, when, 1),
    { ...base, eni: nat, srcaddr: app.ip, dstaddr: nat.ip, srcport: appPort, dstport: port, packets: sent, bytes: bytesOut, pktSrcaddr: app.ip, pktDstaddr: remote, tcpFlags: SYN_FIN, direction: "ingress" },
    { ...base, eni: nat, srcaddr: nat.ip, dstaddr: remote, srcport: natPort, dstport: port, packets: sent, bytes: bytesOut, tcpFlags: SYN_FIN, direction: "egress" },
    { ...base, eni: nat, srcaddr: remote, dstaddr: nat.ip, srcport: port, dstport: natPort, packets: received, bytes: bytesIn, tcpFlags: SYN_ACK_FIN, direction: "ingress" },
    { ...base, eni: nat, srcaddr: nat.ip, dstaddr: app.ip, srcport: port, dstport: appPort, packets: received, bytes: bytesIn, pktSrcaddr: remote, pktDstaddr: app.ip, tcpFlags: SYN_ACK_FIN, direction: "egress" },
  ];
}

/** An inbound attempt refused by the security group: one record, SYN only, tiny packets. */
function rejected(eni: DemoEni, source: string, srcport: number, dstport: number, packets: number, [start, end]: [number, number]): FlowRecord {
  return {
    eni, srcaddr: source, dstaddr: eni.ip, srcport, dstport, protocol: 6,
    packets, bytes: packets * 44, start, end, action: "REJECT", tcpFlags: SYN, direction: "ingress",
  };
}

/** prod us-east-1: one external address sweeps web-1's ports in about four minutes (mostly REJECT). */
function portScan(rnd: DemoRandom, vpc: DemoVpc, fromSec: number, toSec: number, timeline: DemoTimeline): FlowRecord[] {
  const startSec = Math.floor(timeline.portScan / SECOND_MS);
  if (vpc.account.name !== "prod" || vpc.region !== "us-east-1" || startSec < fromSec || startSec >= toSec) return [];
  const target = eniOf(vpc, "web");
  const ports = new Set<number>([21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 2049, 2375, 3000, 3306, 3389, 5432, 5900, 6379, 8000, 8080, 8443, 9000, 9200, 11211, 27017]);
  while (ports.size < 420) ports.add(rnd.int(1, 10_000));
  // Scanners randomise the port order (nmap does by default).
  const order = [...ports];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = rnd.int(0, i);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  // Scanners such as nmap keep one source port for most probes.
  const srcport = rnd.int(40_000, 65_000);
  const out: FlowRecord[] = [];
  order.forEach((port, i) => {
    const start = Math.min(startSec + Math.floor((i * 240) / order.length), toSec - 1);
    const when: [number, number] = [start, Math.min(start + rnd.int(0, 2), toSec - 1)];
    if (port === 80 || port === 443) {
      // Open ports answer: the SYN is accepted and the server replies (SYN-ACK, then the scanner's RST).
      out.push({ eni: target, srcaddr: FOREIGN_IPS.portScan, dstaddr: target.ip, srcport, dstport: port, protocol: 6, packets: 2, bytes: 84, start: when[0], end: when[1], action: "ACCEPT", tcpFlags: 6, direction: "ingress" });
      out.push({ eni: target, srcaddr: target.ip, dstaddr: FOREIGN_IPS.portScan, srcport: port, dstport: srcport, protocol: 6, packets: 1, bytes: 44, start: when[0], end: when[1], action: "ACCEPT", tcpFlags: 18, direction: "egress", trafficPath: 8 });
    } else {
      out.push(rejected(target, FOREIGN_IPS.portScan, srcport, port, 1, when));
    }
  });
  return out;
}

/**
 * staging eu-west-1: two addresses hammer the bastion's SSH port. While its security group is
 * open to the world (see the timeline) the attempts are accepted and get a short exchange;
 * for three hours after terraform closes it they keep coming and are refused.
 */
function sshProbe(rnd: DemoRandom, vpc: DemoVpc, fromSec: number, toSec: number, timeline: DemoTimeline): FlowRecord[] {
  if (vpc.account.name !== "staging" || vpc.region !== "eu-west-1") return [];
  const probeFrom = Math.floor((timeline.sshOpened + 15 * MINUTE_MS) / SECOND_MS);
  const probeTo = Math.floor((timeline.sshClosed + 3 * HOUR_MS) / SECOND_MS);
  const closed = Math.floor(timeline.sshClosed / SECOND_MS);
  const lo = Math.max(fromSec, probeFrom);
  const hi = Math.min(toSec, probeTo);
  if (hi <= lo) return [];
  const bastion = eniOf(vpc, "bastion");
  const out: FlowRecord[] = [];
  for (const attacker of FOREIGN_IPS.sshProbe) {
    const attempts = Math.round((rnd.int(26, 40) * (hi - lo)) / 3600);
    for (let i = 0; i < attempts; i += 1) {
      const start = rnd.int(lo, hi - 1);
      const when: [number, number] = [start, Math.min(start + rnd.int(2, 20), toSec - 1)];
      const port = rnd.int(32768, 60999);
      if (start < closed) {
        // A password attempt: key exchange and a failed login, a few kilobytes each way.
        const packets = rnd.int(10, 25);
        const traffic = { packetsOut: packets, bytesOut: packets * rnd.int(120, 220), packetsIn: packets, bytesIn: packets * rnd.int(100, 180) };
        out.push(...conversation(bastion, attacker, 22, port, 6, "remote", traffic, when, 8));
      } else {
        out.push(rejected(bastion, attacker, port, 22, rnd.int(1, 3), when));
      }
    }
  }
  return out;
}

function fieldValue(field: string, line: Line, vpc: DemoVpc): string {
  const { eni } = line;
  switch (field) {
    case "version":
      return vpc.account.flowLogFormat === "default-v2" ? "2" : "5";
    case "account-id":
      return vpc.account.id;
    case "interface-id":
      return eni.id;
    case "vpc-id":
      return vpc.vpcId;
    case "subnet-id":
      return eni.subnetId;
    case "instance-id":
      return eni.instanceId ?? "-";
    case "region":
      return vpc.region;
    case "az-id":
      return eni.azId;
    case "start":
      return String(line.start);
    case "end":
      return String(line.end);
    case "log-status":
      return "status" in line ? line.status : "OK";
  }
  if ("status" in line) return "-";
  switch (field) {
    case "type":
      return "IPv4";
    case "srcaddr":
      return line.srcaddr;
    case "dstaddr":
      return line.dstaddr;
    case "pkt-srcaddr":
      return line.pktSrcaddr ?? line.srcaddr;
    case "pkt-dstaddr":
      return line.pktDstaddr ?? line.dstaddr;
    case "srcport":
      return String(line.srcport);
    case "dstport":
      return String(line.dstport);
    case "protocol":
      return String(line.protocol);
    case "packets":
      return String(line.packets);
    case "bytes":
      return String(line.bytes);
    case "action":
      return line.action;
    case "tcp-flags":
      return String(line.tcpFlags);
    case "flow-direction":
      return line.direction;
    case "traffic-path":
      return line.direction === "egress" && line.trafficPath !== undefined ? String(line.trafficPath) : "-";
    default:
      return "-";
  }
}

/** Linux's default ephemeral port range. */
function ephemeral(rnd: DemoRandom): number {
  return rnd.int(32768, 60999);
}

/** Customers: documentation-range addresses that stay clear of the ones the cast uses. */
function internetClient(rnd: DemoRandom): string {
  return rnd.chance(0.5) ? `192.0.2.${rnd.int(130, 254)}` : `198.51.100.${rnd.int(160, 199)}`;
}

function noiseSource(rnd: DemoRandom): string {
  return rnd.chance(0.7) ? `203.0.113.${rnd.int(30, 190)}` : `81.2.69.${rnd.int(160, 190)}`;
}
