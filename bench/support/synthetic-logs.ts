import { DemoRandom } from "../../lib/demo/demo-random";
import { FLOW_LOG_HEADERS, type FlowLogFormat } from "../../lib/demo/demo-world";

/**
 * Synthetic AWS logs for the benchmarks: fast to make, realistic in size and cardinality.
 * - CloudTrail records ≈ 1.3 KB of JSON each (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
 *   from tens of accounts, thousands of principals and source addresses, hundreds of event names over ~40 services,
 *   varied user agents and requestParameters; written as `{"Records":[…]}` files the way CloudTrail delivers them.
 * - VPC flow-log lines in the default version-2 format and a version-5 custom field order, each file starting with
 *   the header line S3 delivery writes (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
 * The same seed gives the same records. Keys follow AWS's layouts (see ../../../shared/samples/KEY-LAYOUTS.md).
 */

const SERVICES = [
  "ec2", "s3", "iam", "sts", "kms", "lambda", "rds", "dynamodb", "cloudwatch", "logs", "sns", "sqs", "ecs", "eks", "ecr",
  "elasticloadbalancing", "autoscaling", "cloudformation", "ssm", "secretsmanager", "route53", "cloudfront", "apigateway",
  "glue", "athena", "kinesis", "firehose", "states", "events", "config", "guardduty", "securityhub", "organizations",
  "sso", "backup", "elasticache", "es", "redshift", "sagemaker", "codebuild",
] as const;
const VERBS = ["Describe", "List", "Get", "Create", "Update", "Delete", "Put", "Tag", "Untag", "Start", "Stop", "Modify"] as const;
const NOUNS = ["Instances", "Buckets", "Policy", "Roles", "Keys", "Functions", "Clusters", "Tables", "Alarms", "LogGroups", "Topics", "Queues", "Services", "Images", "Stacks", "Parameters", "Secrets", "Snapshots", "Volumes", "SecurityGroups"] as const;
const REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"] as const;
const ERRORS = [["AccessDenied", "User is not authorized to perform this operation"], ["ThrottlingException", "Rate exceeded"], ["NoSuchEntityException", "The resource cannot be found."], ["Client.UnauthorizedOperation", "You are not authorized to perform this operation."]] as const;
const AGENTS = [
  "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#",
  "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69",
  "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/",
  "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 ua/2.0 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/",
  "aws-sdk-js/3.569.0 ua/2.1 os/linux#5.10.215-203.850.amzn2.x86_64 lang/js md/nodejs#20.12.2 api/",
  "AWS Internal",
  "console.amazonaws.com",
] as const;

export interface SyntheticWorld {
  accounts: string[];
  /** [type, arn, principalId, accountIndex, userName] */
  principals: { type: "IAMUser" | "AssumedRole" | "AWSService"; account: string; name: string; principalId: string; accessKeyId: string }[];
  ips: string[];
  events: { source: string; name: string; readOnly: boolean }[];
}

/** Tens of accounts, thousands of principals and addresses, hundreds of event names (fixed by `seed`). */
export function syntheticWorld(seed = 7, sizes: { accounts?: number; principals?: number; ips?: number } = {}): SyntheticWorld {
  const rnd = new DemoRandom(seed);
  const accounts = Array.from({ length: sizes.accounts ?? 40 }, (_, i) => String(100000000000 + i * 7919 + rnd.int(0, 7000)).padStart(12, "0"));
  const principals = Array.from({ length: sizes.principals ?? 3000 }, (_, i) => {
    const type = rnd.weighted([["AssumedRole", 6], ["IAMUser", 3], ["AWSService", 1]] as const);
    return { type, account: rnd.pick(accounts), name: `${type === "IAMUser" ? "user" : "role"}-${i}-${rnd.hex(4)}`, principalId: `AID${rnd.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17)}`, accessKeyId: `ASIA${rnd.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}` };
  });
  const ips = Array.from({ length: sizes.ips ?? 4000 }, () => (rnd.chance(0.3) ? `10.${rnd.int(0, 255)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}` : `${rnd.pick([198, 203, 192, 81, 67, 89, 175])}.${rnd.int(0, 255)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`));
  const events: SyntheticWorld["events"] = [];
  for (const service of SERVICES) {
    for (let i = 0; i < 8; i += 1) {
      const verb = rnd.pick(VERBS);
      const name = `${verb}${rnd.pick(NOUNS)}`;
      if (!events.some((e) => e.source === `${service}.amazonaws.com` && e.name === name)) events.push({ source: `${service}.amazonaws.com`, name, readOnly: ["Describe", "List", "Get"].includes(verb) });
    }
  }
  events.push({ source: "signin.amazonaws.com", name: "ConsoleLogin", readOnly: false });
  return { accounts, principals, ips, events };
}

/** One CloudTrail record (≈ 1.3 KB as JSON) at `timeMs` (UTC ms); `overrides` replace top-level fields. */
export function syntheticCloudTrailRecord(rnd: DemoRandom, world: SyntheticWorld, timeMs: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const p = world.principals[Math.floor(Math.pow(rnd.next(), 2) * world.principals.length)] ?? world.principals[0]!;
  const ev = world.events[Math.floor(Math.pow(rnd.next(), 1.5) * (world.events.length - 1))] ?? world.events[0]!;
  const region = rnd.weighted(REGIONS.map((r, i) => [r, 6 - i] as const));
  const service = ev.source.split(".")[0] ?? "ec2";
  const error = rnd.chance(0.04) ? rnd.pick(ERRORS) : null;
  const arn = p.type === "IAMUser" ? `arn:aws:iam::${p.account}:user/${p.name}` : p.type === "AssumedRole" ? `arn:aws:sts::${p.account}:assumed-role/${p.name}/session-${rnd.int(1, 40)}` : undefined;
  const userIdentity: Record<string, unknown> =
    p.type === "AWSService"
      ? { type: "AWSService", invokedBy: `${service}.amazonaws.com` }
      : {
          type: p.type,
          principalId: p.type === "AssumedRole" ? `AROA${p.principalId.slice(3)}:session-${rnd.int(1, 40)}` : p.principalId,
          arn,
          accountId: p.account,
          accessKeyId: p.accessKeyId,
          ...(p.type === "IAMUser" ? { userName: p.name } : {}),
          sessionContext: {
            ...(p.type === "AssumedRole" ? { sessionIssuer: { type: "Role", principalId: `AROA${p.principalId.slice(3)}`, arn: `arn:aws:iam::${p.account}:role/${p.name}`, accountId: p.account, userName: p.name } } : {}),
            webIdFederationData: {},
            attributes: { creationDate: new Date(timeMs - rnd.int(0, 3_600_000)).toISOString().replace(/\.\d{3}Z$/, "Z"), mfaAuthenticated: rnd.chance(0.2) ? "true" : "false" },
          },
        };
  const resource = `${service}-${rnd.hex(8)}`;
  return {
    eventVersion: "1.09",
    userIdentity,
    eventTime: new Date(timeMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: ev.source,
    eventName: ev.name,
    awsRegion: region,
    sourceIPAddress: p.type === "AWSService" ? `${service}.amazonaws.com` : world.ips[Math.floor(Math.pow(rnd.next(), 2) * world.ips.length)],
    userAgent: p.type === "AWSService" ? `${service}.amazonaws.com` : userAgentFor(rnd.pick(AGENTS), service, ev.name),
    ...(error ? { errorCode: error[0], errorMessage: error[1] } : {}),
    requestParameters: {
      resourceName: resource,
      filter: [{ name: "tag:team", values: [rnd.pick(["platform", "data", "web", "payments", "security"])] }],
      maxResults: rnd.pick([50, 100, 1000]),
      ...(ev.readOnly ? {} : { tags: [{ key: "owner", value: p.name }, { key: "env", value: rnd.pick(["prod", "staging", "dev"]) }] }),
    },
    responseElements: ev.readOnly || error ? null : { requestId: rnd.uuid(), resourceArn: `arn:aws:${service}:${region}:${p.account}:${resource}` },
    requestID: rnd.uuid(),
    eventID: rnd.uuid(),
    readOnly: ev.readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: p.account,
    eventCategory: "Management",
    tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: `${service}.${region}.amazonaws.com` },
    ...overrides,
  };
}

/** SDK agents name the API they call at their end; the console's do not. */
function userAgentFor(agent: string, service: string, name: string): string {
  return agent.endsWith("api/") || agent.endsWith("md/command#") ? `${agent}${service}.${name.toLowerCase()}` : agent;
}

/** `{"Records":[…]}` text of one CloudTrail file. */
export function cloudTrailFileText(records: readonly Record<string, unknown>[]): string {
  return `{"Records":[${records.map((r) => JSON.stringify(r)).join(",")}]}`;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\d\d\.\d{3}Z$/, "Z");
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, "/");

/** A CloudTrail object key in AWS's layout. */
export function cloudTrailKey(account: string, region: string, ms: number, unique: string): string {
  return `AWSLogs/${account}/CloudTrail/${region}/${ymd(ms)}/${account}_CloudTrail_${region}_${stamp(ms)}_${unique}.json.gz`;
}

/** A VPC flow-log object key in AWS's layout. */
export function flowLogKey(account: string, region: string, ms: number, unique: string): string {
  return `AWSLogs/${account}/vpcflowlogs/${region}/${ymd(ms)}/${account}_vpcflowlogs_${region}_fl-0b1c2d3e4f5a6b7c8_${stamp(ms)}_${unique}.log.gz`;
}

export type { FlowLogFormat };

/**
 * `count` flow-log lines (each ending in "\n"), after the header line of `format`, covering the minute that starts at `startSec`.
 * Yields chunks of about 64 KB so huge objects can be streamed.
 */
export function* flowLogChunks(rnd: DemoRandom, world: SyntheticWorld, format: FlowLogFormat, count: number, startSec: number, account: string): Generator<string> {
  const header = FLOW_LOG_HEADERS[format];
  const fields = header.split(" ");
  // Pools keep the per-line cost low (a 1 GB object is millions of lines) and the cardinality realistic.
  const enis = Array.from({ length: 2000 }, () => ({ eni: `eni-${rnd.hex(17)}`, instance: `i-${rnd.hex(17)}`, vpc: `vpc-${rnd.hex(8)}`, subnet: `subnet-${rnd.hex(8)}`, ip: `10.${rnd.int(0, 3)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}` }));
  const version = format === "default-v2" ? "2" : "5";
  const int = (lo: number, hi: number) => lo + Math.floor(rnd.next() * (hi - lo + 1));
  const pick = (xs: readonly string[]) => xs[Math.floor(rnd.next() * xs.length)] ?? "-";
  const SERVER_PORTS = ["443", "80", "22", "3389", "8080", "5432"];
  const CLIENT_PORTS = ["443", "80", "53", "5432", "22", "3306"];
  const PROTOCOLS = ["6", "6", "6", "17", "1"];
  const FLAGS = ["2", "18", "3", "19", "0"];
  const AZS = ["use1-az1", "use1-az2", "use1-az4"];
  let chunk = `${header}\n`;
  for (let i = 0; i < count; i += 1) {
    const inbound = rnd.next() < 0.5;
    const nic = enis[Math.floor(rnd.next() * enis.length)] ?? enis[0]!;
    const external = world.ips[Math.floor(Math.pow(rnd.next(), 2) * world.ips.length)] ?? "198.51.100.1";
    const noData = rnd.next() < 0.01;
    const start = startSec + int(0, 50);
    const src = inbound ? external : nic.ip;
    const dst = inbound ? nic.ip : external;
    let line = "";
    for (const f of fields) {
      let v: string;
      switch (f) {
        case "version": v = version; break;
        case "account-id": v = account; break;
        case "interface-id": v = nic.eni; break;
        case "srcaddr": case "pkt-srcaddr": v = noData ? "-" : src; break;
        case "dstaddr": case "pkt-dstaddr": v = noData ? "-" : dst; break;
        case "srcport": v = noData ? "-" : inbound ? String(int(1024, 65535)) : pick(CLIENT_PORTS); break;
        case "dstport": v = noData ? "-" : inbound ? pick(SERVER_PORTS) : String(int(1024, 65535)); break;
        case "protocol": v = noData ? "-" : pick(PROTOCOLS); break;
        case "packets": v = noData ? "-" : String(int(1, 5000)); break;
        case "bytes": v = noData ? "-" : String(int(40, 5_000_000)); break;
        case "start": v = String(start); break;
        case "end": v = String(start + int(1, 60)); break;
        case "action": v = rnd.next() < 0.08 ? "REJECT" : "ACCEPT"; break;
        case "log-status": v = noData ? "NODATA" : "OK"; break;
        case "vpc-id": v = nic.vpc; break;
        case "subnet-id": v = nic.subnet; break;
        case "instance-id": v = nic.instance; break;
        case "type": v = "IPv4"; break;
        case "tcp-flags": v = noData ? "-" : pick(FLAGS); break;
        case "flow-direction": v = noData ? "-" : inbound ? "ingress" : "egress"; break;
        case "traffic-path": v = noData || inbound ? "-" : rnd.next() < 0.5 ? "1" : "8"; break;
        case "region": v = "us-east-1"; break;
        case "az-id": v = pick(AZS); break;
        default: v = "-";
      }
      line += line === "" ? v : ` ${v}`;
    }
    chunk += `${line}\n`;
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

export { DemoRandom };
