import { diffStatements, parsePolicyDocument, statementWarnings, statementWords, type PolicyStatement } from "./policy-statements";

/**
 * "What changed", in words, for CloudTrail events that change permissions or
 * network exposure: inline and managed IAM policies, trust policies, bucket and
 * key policies, policy attachments, group membership, security-group rules,
 * snapshot / AMI sharing. Decoded from `requestParameters` (and
 * `responseElements` where the request names rules only by id).
 *
 * Pure: for policies replaced as a whole (Put*Policy, UpdateAssumeRolePolicy,
 * PutBucketPolicy …) the statements added and removed come from a diff with the
 * previous version, which the caller looks up with {@link changeHistory}
 * (lib/search/event-change.ts does, in the database).
 */

export interface ChangeItem {
  /** The statement or rule in words (plain text; every part of it is attacker-controlled). */
  words: string;
  /** Broad grants and internet exposure, in words. */
  warnings: string[];
}

/** How the state before the change is known. */
export type ChangeBaseline =
  /** The change names what it adds or removes (attachments, rules, membership): no earlier state needed. */
  | { kind: "self-contained" }
  /** The earlier version is the one this event's predecessor wrote. */
  | { kind: "previous-event"; account: string; eventId: string; eventName: string; time: Date }
  /** No earlier version is stored: every statement is shown as added. */
  | { kind: "none-stored" };

export interface EventChange {
  /** What was changed, e.g. `inline policy reports of IAM user bob`. */
  subject: string;
  added: ChangeItem[];
  removed: ChangeItem[];
  /** Statements kept from the previous version (policy replacements only). */
  unchanged: ChangeItem[];
  baseline: ChangeBaseline;
  /** Set when the call failed: then nothing changed, and this says so. */
  failed: string | null;
}

/** An earlier event that wrote the same policy. */
export interface PreviousVersion {
  account: string;
  eventId: string;
  eventName: string;
  time: Date;
  raw: unknown;
}

/**
 * Where the previous version of a replaced policy is found: an earlier successful event of one of
 * `candidates` (same account) whose JSON paths hold the given values. Null when the event does not
 * replace a whole policy.
 */
export interface ChangeHistory {
  candidates: { eventName: string; match: { path: string[]; value: string }[] }[];
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null;
}

function items(v: unknown): Json[] {
  const list = Array.isArray(v) ? v : Array.isArray(obj(v).items) ? (obj(v).items as unknown[]) : [];
  return list.map(obj);
}

const ENTITY = { User: "userName", Role: "roleName", Group: "groupName" } as const;
const ENTITY_WORD = { User: "IAM user", Role: "IAM role", Group: "IAM group" } as const;
type Entity = keyof typeof ENTITY;

/** Where each policy-replacing event keeps its document, and what identifies the policy. */
interface PolicySlot {
  subject: (p: Json) => string;
  /** The document a successful event of this name leaves in place (null: the policy is gone). */
  document: (p: Json) => unknown;
  /** Events that write the same slot, with the paths that must match this event's values. */
  history: (p: Json, r: Json) => ChangeHistory["candidates"];
}

function inlineSlots(): Record<string, PolicySlot> {
  const out: Record<string, PolicySlot> = {};
  for (const entity of Object.keys(ENTITY) as Entity[]) {
    const key = ENTITY[entity];
    const subject = (p: Json) => `inline policy ${str(p.policyName) ?? "?"} of ${ENTITY_WORD[entity]} ${str(p[key]) ?? "?"}`;
    const history = (p: Json) =>
      [`Put${entity}Policy`, `Delete${entity}Policy`].map((eventName) => ({
        eventName,
        match: [
          { path: ["requestParameters", key], value: str(p[key]) ?? "" },
          { path: ["requestParameters", "policyName"], value: str(p.policyName) ?? "" },
        ],
      }));
    out[`Put${entity}Policy`] = { subject, document: (p) => p.policyDocument, history };
    out[`Delete${entity}Policy`] = { subject, document: () => null, history };
  }
  return out;
}

const SLOTS: Record<string, PolicySlot> = {
  ...inlineSlots(),
  UpdateAssumeRolePolicy: {
    subject: (p) => `trust policy of IAM role ${str(p.roleName) ?? "?"}`,
    document: (p) => p.policyDocument,
    history: (p) =>
      ["UpdateAssumeRolePolicy", "CreateRole"].map((eventName) => ({ eventName, match: [{ path: ["requestParameters", "roleName"], value: str(p.roleName) ?? "" }] })),
  },
  CreateRole: {
    subject: (p) => `trust policy of new IAM role ${str(p.roleName) ?? "?"}`,
    document: (p) => p.assumeRolePolicyDocument,
    history: () => [],
  },
  CreatePolicy: {
    subject: (p) => `new managed policy ${str(p.policyName) ?? "?"}`,
    document: (p) => p.policyDocument,
    history: () => [],
  },
  CreatePolicyVersion: {
    subject: (p) => `managed policy ${str(p.policyArn) ?? "?"} (new version${p.setAsDefault === true || p.setAsDefault === "true" ? ", set as default" : ", not default"})`,
    document: (p) => p.policyDocument,
    history: (p) => [
      { eventName: "CreatePolicyVersion", match: [{ path: ["requestParameters", "policyArn"], value: str(p.policyArn) ?? "" }] },
      { eventName: "CreatePolicy", match: [{ path: ["responseElements", "policy", "arn"], value: str(p.policyArn) ?? "" }] },
    ],
  },
  PutBucketPolicy: {
    subject: (p) => `bucket policy of s3://${str(p.bucketName) ?? "?"}`,
    document: (p) => p.bucketPolicy ?? p.policy,
    history: (p) => bucketHistory(p),
  },
  DeleteBucketPolicy: {
    subject: (p) => `bucket policy of s3://${str(p.bucketName) ?? "?"}`,
    document: () => null,
    history: (p) => bucketHistory(p),
  },
  PutKeyPolicy: {
    subject: (p) => `key policy of KMS key ${str(p.keyId) ?? "?"}`,
    document: (p) => p.policy,
    history: (p) => [{ eventName: "PutKeyPolicy", match: [{ path: ["requestParameters", "keyId"], value: str(p.keyId) ?? "" }] }],
  },
};

function bucketHistory(p: Json): ChangeHistory["candidates"] {
  return ["PutBucketPolicy", "DeleteBucketPolicy"].map((eventName) => ({ eventName, match: [{ path: ["requestParameters", "bucketName"], value: str(p.bucketName) ?? "" }] }));
}

/** Where to find the version this event replaced, or null when it replaces no whole policy (or starts one). */
export function changeHistory(raw: unknown): ChangeHistory | null {
  const r = obj(raw);
  const name = str(r.eventName);
  const slot = name ? SLOTS[name] : undefined;
  if (!slot) return null;
  const candidates = slot.history(obj(r.requestParameters), r);
  return candidates.length > 0 && candidates.every((c) => c.match.every((m) => m.value !== "")) ? { candidates } : null;
}

/**
 * The change an event makes, or null when it is not a change this module reads.
 * `previous`: the earlier version found through {@link changeHistory} (null: looked for, none stored;
 * undefined: not looked for, e.g. no history applies). Never throws on odd input.
 */
export function describeChange(raw: unknown, previous?: PreviousVersion | null): EventChange | null {
  const r = obj(raw);
  const name = str(r.eventName);
  if (!name) return null;
  const p = obj(r.requestParameters);
  const code = str(r.errorCode);
  const failed = code ? `The call failed (${code}${str(r.errorMessage) ? `: ${str(r.errorMessage)}` : ""}): nothing changed. Shown is what it tried to do.` : null;
  const self: ChangeBaseline = { kind: "self-contained" };
  const base = { failed, unchanged: [] as ChangeItem[] };

  const slot = SLOTS[name];
  if (slot) {
    const after = name.startsWith("Delete") ? [] : (parsePolicyDocument(slot.document(p))?.statements ?? []);
    const history = changeHistory(raw);
    let before: PolicyStatement[] = [];
    let baseline: ChangeBaseline = history ? { kind: "none-stored" } : self;
    if (history && previous) {
      const prevName = str(obj(previous.raw).eventName) ?? previous.eventName;
      const prevSlot = SLOTS[prevName];
      before = prevSlot && !prevName.startsWith("Delete") ? (parsePolicyDocument(prevSlot.document(obj(obj(previous.raw).requestParameters)))?.statements ?? []) : [];
      baseline = { kind: "previous-event", account: previous.account, eventId: previous.eventId, eventName: prevName, time: previous.time };
    }
    const diff = diffStatements(before, after);
    const words = (s: PolicyStatement): ChangeItem => ({ words: statementWords(s), warnings: statementWarnings(s) });
    return { ...base, subject: slot.subject(p), added: diff.added.map(words), removed: diff.removed.map(words), unchanged: diff.unchanged.map(words), baseline };
  }

  const attach = /^(Attach|Detach)(User|Role|Group)Policy$/.exec(name);
  if (attach) {
    const entity = attach[2] as Entity;
    const arn = str(p.policyArn) ?? "?";
    const item: ChangeItem = { words: `managed policy ${arn}`, warnings: managedPolicyWarnings(arn) };
    const subject = `managed policies of ${ENTITY_WORD[entity]} ${str(p[ENTITY[entity]]) ?? "?"}`;
    return { ...base, subject, added: attach[1] === "Attach" ? [item] : [], removed: attach[1] === "Detach" ? [item] : [], baseline: self };
  }

  if (name === "AddUserToGroup" || name === "RemoveUserFromGroup") {
    const item: ChangeItem = { words: `IAM user ${str(p.userName) ?? "?"}`, warnings: [] };
    return { ...base, subject: `members of IAM group ${str(p.groupName) ?? "?"}`, added: name === "AddUserToGroup" ? [item] : [], removed: name === "RemoveUserFromGroup" ? [item] : [], baseline: self };
  }

  const sg = /^(Authorize|Revoke)SecurityGroup(Ingress|Egress)$/.exec(name);
  if (sg) {
    const egress = sg[2] === "Egress";
    const rules = securityGroupRules(p, obj(r.responseElements), egress);
    const group = str(p.groupId) ?? str(p.groupName) ?? "?";
    const subject = `${egress ? "outbound" : "inbound"} rules of security group ${group}`;
    return { ...base, subject, added: sg[1] === "Authorize" ? rules : [], removed: sg[1] === "Revoke" ? rules : [], baseline: self };
  }

  const share = /^Modify(Snapshot|Image)Attribute$/.exec(name);
  if (share) {
    const attr = obj(share[1] === "Snapshot" ? p.createVolumePermission : p.launchPermission);
    const who = (list: unknown) =>
      items(list).map((i): ChangeItem => {
        if (str(i.group) === "all") return { words: "everyone (public)", warnings: ["shared publicly"] };
        return { words: `AWS account ${str(i.userId) ?? str(i.group) ?? "?"}`, warnings: [] };
      });
    const id = str(p.snapshotId) ?? str(p.imageId) ?? "?";
    const added = who(attr.add);
    const removed = who(attr.remove);
    if (added.length === 0 && removed.length === 0) return null;
    return { ...base, subject: `who may use ${share[1] === "Snapshot" ? "EBS snapshot" : "AMI"} ${id}`, added, removed, baseline: self };
  }

  if (name === "PutBucketPublicAccessBlock" || name === "DeleteBucketPublicAccessBlock") {
    const conf = obj(obj(p.PublicAccessBlockConfiguration));
    const settings = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];
    const off = name === "DeleteBucketPublicAccessBlock" ? settings : settings.filter((s) => conf[s] === false || conf[s] === "false");
    const on = name === "DeleteBucketPublicAccessBlock" ? [] : settings.filter((s) => conf[s] === true || conf[s] === "true");
    return {
      ...base,
      subject: `public access block of s3://${str(p.bucketName) ?? "?"}`,
      added: on.map((s) => ({ words: `${s} on`, warnings: [] })),
      removed: off.map((s) => ({ words: `${s} off`, warnings: ["public access no longer blocked"] })),
      baseline: self,
    };
  }
  return null;
}

function managedPolicyWarnings(arn: string): string[] {
  if (/:policy\/AdministratorAccess$/.test(arn)) return ["full administrator access"];
  if (/:policy\/(IAMFullAccess|PowerUserAccess)$/.test(arn)) return ["can change permissions or do nearly everything"];
  if (/FullAccess$/.test(arn)) return ["every action of a service"];
  return [];
}

const ALL_PORT_PROTOCOLS = new Set(["-1", "all"]);
const PROTOCOL_WORDS: Record<string, string> = { tcp: "TCP", "6": "TCP", udp: "UDP", "17": "UDP", icmp: "ICMP", "1": "ICMP", icmpv6: "ICMPv6", "58": "ICMPv6" };
const RISKY_PORTS: Record<number, string> = { 22: "SSH", 3389: "RDP", 3306: "MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 6379: "Redis", 9200: "Elasticsearch", 27017: "MongoDB" };

function securityGroupRules(p: Json, response: Json, egress: boolean): ChangeItem[] {
  const dir = egress ? "to" : "from";
  const out: ChangeItem[] = [];
  for (const perm of items(p.ipPermissions)) {
    const what = trafficWords(str(perm.ipProtocol), perm.fromPort, perm.toPort);
    const peers: { words: string; description: string | null; internet: boolean }[] = [
      ...items(perm.ipRanges).map((x) => ({ words: str(x.cidrIp) ?? "?", description: str(x.description), internet: x.cidrIp === "0.0.0.0/0" })),
      ...items(perm.ipv6Ranges).map((x) => ({ words: str(x.cidrIpv6) ?? "?", description: str(x.description), internet: x.cidrIpv6 === "::/0" })),
      ...items(perm.groups).map((x) => ({ words: `security group ${str(x.groupId) ?? str(x.groupName) ?? "?"}${str(x.userId) ? ` of account ${str(x.userId)}` : ""}`, description: str(x.description), internet: false })),
      ...items(perm.prefixListIds).map((x) => ({ words: `prefix list ${str(x.prefixListId) ?? "?"}`, description: str(x.description), internet: false })),
    ];
    for (const peer of peers) out.push(ruleItem(what, dir, peer, perm.fromPort, perm.toPort, str(perm.ipProtocol)));
  }
  // The rules the request named only by id (RevokeSecurityGroupIngress with securityGroupRuleIds), or the
  // rule set AWS answered with when the request had no ipPermissions.
  if (out.length === 0) {
    for (const rule of items(response.securityGroupRuleSet)) {
      const what = trafficWords(str(rule.ipProtocol), rule.fromPort, rule.toPort);
      const cidr = str(rule.cidrIpv4) ?? str(rule.cidrIpv6);
      const peer = cidr
        ? { words: cidr, description: str(rule.description), internet: cidr === "0.0.0.0/0" || cidr === "::/0" }
        : { words: `security group ${str(obj(rule.referencedGroupInfo).groupId) ?? "?"}`, description: str(rule.description), internet: false };
      out.push(ruleItem(what, dir, peer, rule.fromPort, rule.toPort, str(rule.ipProtocol)));
    }
    for (const id of items(p.securityGroupRuleIds)) {
      out.push({ words: `rule ${str(id.securityGroupRuleId) ?? "?"}`, warnings: [] });
    }
  }
  return out;
}

function ruleItem(
  what: string,
  dir: string,
  peer: { words: string; description: string | null; internet: boolean },
  from: unknown,
  to: unknown,
  protocol: string | null,
): ChangeItem {
  const warnings: string[] = [];
  if (peer.internet) {
    warnings.push("open to the whole internet");
    const lo = Number(from);
    const hi = Number(to);
    const all = protocol !== null && ALL_PORT_PROTOCOLS.has(protocol);
    for (const [port, service] of Object.entries(RISKY_PORTS)) {
      if (all || (Number.isFinite(lo) && Number.isFinite(hi) && lo <= Number(port) && Number(port) <= hi)) warnings.push(`${service} (port ${port}) reachable from anywhere`);
    }
  }
  return { words: `${what} ${dir} ${peer.words}${peer.description ? ` — “${peer.description}”` : ""}`, warnings };
}

function trafficWords(protocol: string | null, from: unknown, to: unknown): string {
  if (protocol === null || ALL_PORT_PROTOCOLS.has(protocol)) return "all traffic";
  const name = PROTOCOL_WORDS[protocol.toLowerCase()] ?? `protocol ${protocol}`;
  if (name.startsWith("ICMP")) return name;
  const lo = Number(from);
  const hi = Number(to);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || (lo === 0 && hi === 65535)) return `${name} on all ports`;
  return lo === hi ? `${name} port ${lo}` : `${name} ports ${lo}–${hi}`;
}
