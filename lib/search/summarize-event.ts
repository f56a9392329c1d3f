import { actorLabel, describeActor } from "./describe-actor";
import { describeChange } from "./describe-change";

/**
 * One sentence saying what a CloudTrail record says, e.g.
 * `alice (IAMUser, 111122223333) created access key AKIA… for bob from 198.51.100.7 using aws-cli, denied: AccessDenied`.
 * Who (lib/search/describe-actor.ts), what (a phrase per well-known call, else the
 * call's name in words with its target), from where, with what client, and how it
 * ended. Plain text built from attacker-controlled fields: render it as text.
 * Pure; never throws on odd input.
 */
export function summarizeEvent(raw: unknown): string {
  const r = obj(raw);
  const actor = describeActor(raw);
  const parts = [actorLabel(actor), whatWords(r)];
  const ip = str(r.sourceIPAddress);
  if (ip) parts.push(`from ${ip}`);
  const agent = agentName(str(r.userAgent));
  if (agent && agent !== ip) parts.push(`using ${agent}`);
  return parts.join(" ") + outcomeWords(r);
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);
const first = (v: unknown): Json => {
  const list = Array.isArray(v) ? v : Array.isArray(obj(v).items) ? (obj(v).items as unknown[]) : [];
  return obj(list[0]);
};

const ENTITY_WORDS: Record<string, [string, string]> = { User: ["user", "userName"], Role: ["role", "roleName"], Group: ["group", "groupName"] };

/** Phrases for calls that matter in security reviews (request / response fields as CloudTrail records them). */
const PHRASES: Record<string, (p: Json, resp: Json, r: Json) => string> = {
  CreateAccessKey: (p, resp) => `created access key ${str(obj(resp.accessKey).accessKeyId) ?? ""} for ${str(p.userName) ?? "themselves"}`.replace("  ", " "),
  DeleteAccessKey: (p) => `deleted access key ${str(p.accessKeyId) ?? "?"} of ${str(p.userName) ?? "themselves"}`,
  UpdateAccessKey: (p) => `set access key ${str(p.accessKeyId) ?? "?"} of ${str(p.userName) ?? "themselves"} to ${str(p.status) ?? "?"}`,
  CreateUser: (p) => `created IAM user ${str(p.userName) ?? "?"}`,
  DeleteUser: (p) => `deleted IAM user ${str(p.userName) ?? "?"}`,
  CreateLoginProfile: (p) => `gave ${str(p.userName) ?? "?"} a console password`,
  UpdateLoginProfile: (p) => `changed the console password of ${str(p.userName) ?? "?"}`,
  DeleteLoginProfile: (p) => `removed the console password of ${str(p.userName) ?? "?"}`,
  CreateRole: (p) => `created IAM role ${str(p.roleName) ?? "?"}`,
  DeleteRole: (p) => `deleted IAM role ${str(p.roleName) ?? "?"}`,
  UpdateAssumeRolePolicy: (p) => `changed the trust policy of role ${str(p.roleName) ?? "?"}`,
  CreatePolicy: (p) => `created managed policy ${str(p.policyName) ?? "?"}`,
  CreatePolicyVersion: (p) => `wrote a new version of managed policy ${str(p.policyArn) ?? "?"}`,
  AddUserToGroup: (p) => `added ${str(p.userName) ?? "?"} to group ${str(p.groupName) ?? "?"}`,
  RemoveUserFromGroup: (p) => `removed ${str(p.userName) ?? "?"} from group ${str(p.groupName) ?? "?"}`,
  DeactivateMFADevice: (p) => `deactivated MFA device ${str(p.serialNumber) ?? "?"} of ${str(p.userName) ?? "?"}`,
  AssumeRole: (p) => `assumed role ${str(p.roleArn) ?? "?"} as session ${str(p.roleSessionName) ?? "?"}`,
  AssumeRoleWithSAML: (p, resp) => `assumed role ${str(p.roleArn) ?? "?"} through SAML${str(resp.subject) ? ` as ${str(resp.subject)}` : ""}`,
  AssumeRoleWithWebIdentity: (p, resp) => `assumed role ${str(p.roleArn) ?? "?"} with a web identity token${str(resp.provider) ? ` from ${str(resp.provider)}` : ""}`,
  GetSessionToken: () => "got a session token",
  GetFederationToken: (p) => `got a federation token for ${str(p.name) ?? "?"}`,
  GetCallerIdentity: () => "asked who they are (GetCallerIdentity)",
  ConsoleLogin: (_p, _resp, r) => {
    const mfa = str(obj(r.additionalEventData).MFAUsed);
    return `signed in to the console${mfa === "Yes" ? " with MFA" : mfa === "No" ? " without MFA" : ""}`;
  },
  StopLogging: (p) => `stopped CloudTrail logging of trail ${str(p.name) ?? "?"}`,
  StartLogging: (p) => `started CloudTrail logging of trail ${str(p.name) ?? "?"}`,
  DeleteTrail: (p) => `deleted CloudTrail trail ${str(p.name) ?? "?"}`,
  UpdateTrail: (p) => `changed CloudTrail trail ${str(p.name) ?? "?"}`,
  CreateTrail: (p) => `created CloudTrail trail ${str(p.name) ?? "?"}`,
  PutEventSelectors: (p) => `changed what trail ${str(p.trailName) ?? "?"} logs`,
  PutBucketPolicy: (p) => `set the bucket policy of s3://${str(p.bucketName) ?? "?"}`,
  DeleteBucketPolicy: (p) => `deleted the bucket policy of s3://${str(p.bucketName) ?? "?"}`,
  PutBucketAcl: (p) => `set the ACL of s3://${str(p.bucketName) ?? "?"}`,
  PutBucketPublicAccessBlock: (p) => `set the public access block of s3://${str(p.bucketName) ?? "?"}`,
  DeleteBucketPublicAccessBlock: (p) => `removed the public access block of s3://${str(p.bucketName) ?? "?"}`,
  GetObject: (p) => `read s3://${str(p.bucketName) ?? "?"}/${str(p.key) ?? ""}`,
  PutObject: (p) => `wrote s3://${str(p.bucketName) ?? "?"}/${str(p.key) ?? ""}`,
  DeleteObject: (p) => `deleted s3://${str(p.bucketName) ?? "?"}/${str(p.key) ?? ""}`,
  CreateBucket: (p) => `created bucket s3://${str(p.bucketName) ?? "?"}`,
  DeleteBucket: (p) => `deleted bucket s3://${str(p.bucketName) ?? "?"}`,
  ListBuckets: () => "listed the S3 buckets",
  ScheduleKeyDeletion: (p) => `scheduled KMS key ${str(p.keyId) ?? "?"} for deletion${str(p.pendingWindowInDays) ? ` in ${str(p.pendingWindowInDays)} days` : ""}`,
  DisableKey: (p) => `disabled KMS key ${str(p.keyId) ?? "?"}`,
  PutKeyPolicy: (p) => `set the key policy of KMS key ${str(p.keyId) ?? "?"}`,
  RunInstances: (p) => {
    const image = str(first(p.instancesSet).imageId);
    return `launched EC2 instances${image ? ` from ${image}` : ""}`;
  },
  TerminateInstances: (p) => `terminated EC2 instance ${str(first(p.instancesSet).instanceId) ?? "?"}`,
  CreateKeyPair: (p) => `created EC2 key pair ${str(p.keyName) ?? "?"}`,
  DeleteFlowLogs: () => "deleted VPC flow logs",
  GetSecretValue: (p) => `read secret ${str(p.secretId) ?? "?"}`,
  SendCommand: (p) => `sent SSM command ${str(p.documentName) ?? "?"}`,
  StartSession: (p) => `started an SSM session on ${str(p.target) ?? "?"}`,
};

function whatWords(r: Json): string {
  const name = str(r.eventName);
  if (!name) return "made a call with no eventName";
  const p = obj(r.requestParameters);
  const resp = obj(r.responseElements);
  const phrase = PHRASES[name];
  if (phrase) return phrase(p, resp, r);
  const inline = /^(Put|Delete|Attach|Detach)(User|Role|Group)Policy$/.exec(name);
  if (inline) {
    const [word, key] = ENTITY_WORDS[inline[2]!]!;
    const target = `${word} ${str(p[key]) ?? "?"}`;
    if (inline[1] === "Put") return `put inline policy ${str(p.policyName) ?? "?"} on ${target}`;
    if (inline[1] === "Delete") return `deleted inline policy ${str(p.policyName) ?? "?"} of ${target}`;
    return `${inline[1] === "Attach" ? "attached" : "detached"} ${str(p.policyArn) ?? "?"} ${inline[1] === "Attach" ? "to" : "from"} ${target}`;
  }
  const change = describeChange(r);
  if (change && /SecurityGroup(Ingress|Egress)$/.test(name)) {
    const items = name.startsWith("Authorize") ? change.added : change.removed;
    const verb = name.startsWith("Authorize") ? "allowed" : "revoked";
    return `${verb} ${items.map((i) => i.words).join("; ") || "rules"} on security group ${str(p.groupId) ?? str(p.groupName) ?? "?"}`;
  }
  return genericWords(name, p);
}

const PAST: Record<string, string> = {
  Create: "created", Delete: "deleted", Put: "put", Update: "updated", Attach: "attached", Detach: "detached", Add: "added",
  Remove: "removed", Get: "read", Describe: "described", List: "listed", Run: "ran", Start: "started", Stop: "stopped",
  Terminate: "terminated", Reboot: "rebooted", Modify: "modified", Set: "set", Enable: "enabled", Disable: "disabled",
  Authorize: "authorized", Revoke: "revoked", Assume: "assumed", Decrypt: "decrypted", Encrypt: "encrypted", Generate: "generated",
  Invoke: "invoked", Send: "sent", Receive: "received", Upload: "uploaded", Copy: "copied", Restore: "restored", Tag: "tagged",
  Untag: "untagged", Associate: "associated", Disassociate: "disassociated", Schedule: "scheduled", Cancel: "canceled",
  Change: "changed", Reset: "reset", Register: "registered", Deregister: "deregistered", Publish: "published", Subscribe: "subscribed",
  Rotate: "rotated", Lookup: "looked up", Head: "checked", Import: "imported", Export: "exported", Apply: "applied", Accept: "accepted",
  Reject: "rejected", Allocate: "allocated", Release: "released", Batch: "batch-called", Search: "searched", Query: "queried",
  Scan: "scanned", Request: "requested", Confirm: "confirmed", Verify: "verified", Validate: "validated", Test: "tested",
  Open: "opened", Close: "closed", Execute: "executed", Retrieve: "retrieved", Share: "shared", Simulate: "simulated",
};

const TARGETS = [
  "userName", "roleName", "groupName", "bucketName", "instanceId", "groupId", "functionName", "keyId", "trailName", "name",
  "policyArn", "secretId", "topicArn", "queueUrl", "tableName", "dBInstanceIdentifier", "clusterName", "cluster", "repositoryName",
  "logGroupName", "stackName", "detectorId", "snapshotId", "imageId", "volumeId", "vpcId", "subnetId", "roleArn", "resourceArn",
];

function genericWords(name: string, p: Json): string {
  const words = name
    .replace(/\d{8}(v\d+)?$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ");
  const verb = PAST[words[0]!];
  const target = TARGETS.map((k) => str(p[k])).find((v) => v !== null) ?? str(first(p.instancesSet).instanceId);
  const rest = words.slice(1).map((w) => (/^[A-Z0-9]{2,}s?$/.test(w) ? w : w.toLowerCase())).join(" ");
  const what = verb ? `${verb}${rest ? ` ${rest}` : ""}` : `called ${name}`;
  return target ? `${what} ${target}` : what;
}

/** A short name of the client that made the call, from `userAgent`; null when there is none. */
export function agentName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  // S3 data events wrap the agent in brackets: `[aws-cli/2.17.0 …]`.
  const ua = userAgent.trim().replace(/^\[(.*)\]$/s, "$1").trim();
  if (!ua) return null;
  if (/^aws-cli\//i.test(ua)) return "aws-cli";
  if (/^Boto3\//i.test(ua)) return "boto3";
  if (/^Botocore\//i.test(ua)) return "botocore";
  if (/terraform/i.test(ua)) return "Terraform";
  const sdk = /^aws-sdk-([a-z0-9]+)/i.exec(ua);
  if (sdk) return `the AWS SDK for ${sdk[1]}`;
  if (/^(AWS Internal|console\.amazonaws\.com|signin\.amazonaws\.com)$/i.test(ua) || /^console\.(\S+\.)?amazonaws\.com/.test(ua)) return "the AWS console";
  if (/^Mozilla\//.test(ua)) return "a web browser";
  if (/\.amazonaws\.com$/.test(ua)) return ua;
  const token = (ua.split(/[\s/]/)[0] ?? ua).replace(/[,;:]+$/, "");
  return token.length > 40 ? `${token.slice(0, 40)}…` : token;
}

const DENIED = /AccessDenied|Unauthorized|Forbidden|NotAuthorized/i;

function outcomeWords(r: Json): string {
  const code = str(r.errorCode);
  if (code) return DENIED.test(code) ? `, denied: ${code}` : `, failed: ${code}`;
  if (str(obj(r.responseElements).ConsoleLogin) === "Failure") return `, failed: ${str(r.errorMessage) ?? "Failure"}`;
  return "";
}
