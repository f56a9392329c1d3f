import { HEX, UPPER_ALNUM, stableId } from "./demo-random";

/**
 * The fixed cast of the demo week: accounts, regions, people, roles, addresses and network.
 * Everything here is independent of the seed, so every demo week shows the same organisation;
 * the seed only changes what happens during the week.
 *
 * Account ids and most addresses come from documentation ranges (AWS's example account ids,
 * RFC 5737 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24). The "foreign" attacker addresses are
 * from the blocks MaxMind publishes in its GeoIP test databases (175.16.199.0/24, 67.43.156.0/24,
 * 89.160.20.112/28), widely used in log-pipeline fixtures: a GeoIP lookup gives them a country,
 * which the demo needs, while they stay recognisable as test data.
 */

export type DemoRegion = "us-east-1" | "eu-west-1";

/** The two regions the demo week covers; us-east-1 also receives global service events (IAM, sign-in). */
export const DEMO_REGIONS: readonly DemoRegion[] = ["us-east-1", "eu-west-1"];

export type FlowLogFormat = "default-v2" | "custom-v5";

export interface DemoAccount {
  /** 12-digit AWS account id. */
  id: string;
  name: "prod" | "staging";
  /** Relative amount of API calls and traffic (prod = 1). */
  activity: number;
  /** The format its VPC flow log was created with; the header line of every file states it. */
  flowLogFormat: FlowLogFormat;
  /** First two octets of the VPC CIDR (`10.0` → 10.0.0.0/16). */
  cidr: string;
}

/** The two accounts of the demo organisation. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { id: "111122223333", name: "prod", activity: 1, flowLogFormat: "default-v2", cidr: "10.0" },
  { id: "444455556666", name: "staging", activity: 0.55, flowLogFormat: "custom-v5", cidr: "10.20" },
];

/** Share of an account's activity that happens in each region (us-east-1 is the main one). */
export const REGION_ACTIVITY: Record<DemoRegion, number> = { "us-east-1": 1, "eu-west-1": 0.45 };

/**
 * Header lines exactly as S3 delivery writes them: the default format (all version 2 fields in
 * table order), and a custom order mixing version 3–5 fields, so its records say version 5.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
export const FLOW_LOG_HEADERS: Record<FlowLogFormat, string> = {
  "default-v2": "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
  "custom-v5":
    "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path region az-id",
};

// ---- people and their addresses ----

export const OFFICE_IPS = ["203.0.113.10", "203.0.113.11"] as const;
export const VPN_IP = "198.51.100.7";
/** A hotel network one person uses for a day: a new but harmless address. */
export const HOTEL_IP = "198.51.100.88";

const BROWSERS = {
  macChrome: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  macSafari: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
  macFirefox: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0",
  winChrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  winEdge: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
  winFirefox: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
  linuxChrome: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  linuxFirefox: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
} as const;

/** The start of an aws-cli v2 user agent; `md/command#<service>.<operation>` is appended per call. */
const CLI = {
  mac: "aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off",
  linux: "aws-cli/2.15.38 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-28-generic md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off",
  windows: "aws-cli/2.15.31 md/awscrt#0.19.19 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off",
} as const;

export interface DemoHuman {
  userName: string;
  /** UTC hour at which their working day usually starts. */
  shiftStart: number;
  homeIp: string;
  /** Whether their console sign-ins use MFA (two people's do not: the demo's "login without MFA"). */
  mfa: boolean;
  /** Admins use their IAM user directly in prod; others assume the read-only role there. */
  admin: boolean;
  /** How often they work in AWS on a weekday (0–1). */
  presence: number;
  browser: string;
  cli: string;
}

/** The people: each has an IAM user in both accounts. */
export const DEMO_HUMANS: readonly DemoHuman[] = [
  { userName: "alice.nguyen", shiftStart: 7, homeIp: "192.0.2.14", mfa: true, admin: true, presence: 0.9, browser: BROWSERS.macChrome, cli: CLI.mac },
  { userName: "bogdan.petrov", shiftStart: 6, homeIp: "192.0.2.23", mfa: true, admin: true, presence: 0.8, browser: BROWSERS.linuxFirefox, cli: CLI.linux },
  { userName: "carmen.ruiz", shiftStart: 8, homeIp: "192.0.2.31", mfa: true, admin: false, presence: 0.7, browser: BROWSERS.winEdge, cli: CLI.windows },
  { userName: "dev.patel", shiftStart: 13, homeIp: "192.0.2.45", mfa: true, admin: false, presence: 0.75, browser: BROWSERS.macSafari, cli: CLI.mac },
  { userName: "emma.larsen", shiftStart: 7, homeIp: "192.0.2.52", mfa: true, admin: false, presence: 0.7, browser: BROWSERS.macChrome, cli: CLI.mac },
  { userName: "farid.haddad", shiftStart: 8, homeIp: "192.0.2.67", mfa: true, admin: false, presence: 0.6, browser: BROWSERS.winChrome, cli: CLI.windows },
  { userName: "grace.kim", shiftStart: 14, homeIp: "192.0.2.78", mfa: true, admin: true, presence: 0.8, browser: BROWSERS.macChrome, cli: CLI.mac },
  { userName: "hiro.tanaka", shiftStart: 8, homeIp: "192.0.2.86", mfa: false, admin: false, presence: 0.7, browser: BROWSERS.linuxChrome, cli: CLI.linux },
  { userName: "ines.moreau", shiftStart: 7, homeIp: "192.0.2.91", mfa: true, admin: false, presence: 0.6, browser: BROWSERS.macFirefox, cli: CLI.mac },
  { userName: "jonas.weber", shiftStart: 6, homeIp: "192.0.2.104", mfa: true, admin: false, presence: 0.65, browser: BROWSERS.winFirefox, cli: CLI.windows },
  { userName: "m.okafor", shiftStart: 9, homeIp: "192.0.2.117", mfa: true, admin: false, presence: 0.6, browser: BROWSERS.macChrome, cli: CLI.mac },
  // A shared break-glass user without MFA: the kind of account attackers look for.
  { userName: "legacy.admin", shiftStart: 9, homeIp: OFFICE_IPS[0], mfa: false, admin: true, presence: 0.05, browser: BROWSERS.winChrome, cli: CLI.windows },
];

/** IAM users that are programs (long-term access keys), not people. */
export const AUTOMATION_USERS = {
  jenkins: {
    userName: "ci-jenkins",
    ip: "198.51.100.40",
    userAgent: "aws-cli/2.13.25 Python/3.11.6 Linux/5.15.0-1051-aws exe/x86_64.ubuntu.22 prompt/off",
  },
  terraform: { userName: "terraform", ip: "198.51.100.41", userAgent: "" },
  backup: {
    userName: "backup-sync",
    ip: "198.51.100.60",
    userAgent:
      "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.14.0-362.24.1.el9_3.x86_64 md/arch#x86_64 lang/python#3.9.18 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
  },
} as const;

/** Terraform's user agent names the API it calls (`api/<service>#<version>`). */
export function terraformUserAgent(service: string): string {
  return `APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.47.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/${service}#1.30.0`;
}

export const GITHUB_RUNNER_IPS = ["198.51.100.43", "198.51.100.44", "198.51.100.45"] as const;
export const DATADOG_IPS = ["198.51.100.120", "198.51.100.121", "198.51.100.122"] as const;
export const SCANNER_IP = "198.51.100.150";

/** Addresses of the week's attacks (see the module comment for why these blocks). */
export const FOREIGN_IPS = {
  /** Console password guessing against m.okafor. */
  bruteForce: "175.16.199.45",
  /** The address StopLogging came from. */
  stopLogging: "89.160.20.115",
  /** Flow logs only: the port scan. */
  portScan: "67.43.156.14",
  /** Flow logs only: the SSH probe. */
  sshProbe: ["175.16.199.201", "89.160.20.130"],
} as const;

/**
 * People who work through IAM Identity Center instead of IAM users: they sign in to the access portal
 * (recorded in prod, the organisation's Identity Center account, as `UserAuthentication`) and federate
 * into staging with a permission set (`AssumeRoleWithSAML`, then a `ConsoleLogin` of the role session
 * that says `MFAUsed: No`, because the MFA happened at the portal).
 */
export interface DemoSsoUser {
  /** The Identity Center user name (an email address), also the role session name. */
  userName: string;
  ip: string;
  /** UTC hour their working day usually starts. */
  shiftStart: number;
  permissionSet: string;
  browser: string;
}

export const DEMO_SSO_USERS: readonly DemoSsoUser[] = [
  { userName: "priya.shah@examplecorp.com", ip: "192.0.2.140", shiftStart: 8, permissionSet: "PowerUserAccess", browser: BROWSERS.macChrome },
  { userName: "tom.becker@examplecorp.com", ip: "192.0.2.141", shiftStart: 9, permissionSet: "ReadOnlyAccess", browser: BROWSERS.winEdge },
];

/** The IAM Identity Center instance behind the portal sign-ins. */
export const IDENTITY_STORE_ARN = "arn:aws:identitystore::111122223333:identitystore/d-9067c1a2b3";

/**
 * A data-analytics vendor's account that reads prod's EU data lake every night through a bucket
 * policy grant: cross-account S3 data events, delivered to prod's trail (the bucket owner's).
 */
export const PARTNER_ACCOUNT = { id: "999900001111", role: "examplecorp-datalake-reader", ip: "198.51.100.230" } as const;

/** An internal identity broker for on-call staff: GetFederationToken, GetSigninToken, then a federated console sign-in. */
export const OPS_PORTAL = { userName: "ops-portal", ip: "198.51.100.42", federatedUser: "oncall" } as const;

/** Anonymous visitors of the public assets bucket (website images). */
export const PUBLIC_CLIENT_IPS = ["192.0.2.160", "192.0.2.171", "198.51.100.177", "198.51.100.190", "81.2.69.142"] as const;

export const BOTO3_LAMBDA_UA =
  "Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.214-223.863.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.42";
export const BOTO3_DATADOG_UA =
  "Boto3/1.34.98 md/Botocore#1.34.98 ua/2.0 os/linux#5.15.0-1057-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.98";
export const BOTO3_SCANNER_UA =
  "Boto3/1.34.70 md/Botocore#1.34.70 ua/2.0 os/linux#6.1.79-99.164.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.70";
export const NODE_SDK_UA = "aws-sdk-js/3.569.0 ua/2.1 os/linux#5.10.215-203.850.amzn2.x86_64 lang/js md/nodejs#20.12.2 api/s3#3.569.0";
export const SSM_AGENT_UA = "aws-sdk-go/1.44.260 (go1.21.9; linux; amd64) amazon-ssm-agent/3.3.131.0";

// ---- roles ----

export type RoleKind =
  | "admin-switch"
  | "readonly"
  | "scanner"
  | "monitoring"
  | "ecs-task"
  | "lambda"
  | "ec2"
  | "ci-oidc"
  | "scheduler"
  | "config";

export interface DemoRole {
  name: string;
  /** IAM path, e.g. `/` or `/aws-service-role/config.amazonaws.com/`. */
  path: string;
  kind: RoleKind;
}

/** The roles of each account (the same names in both, as infrastructure-as-code makes them). */
export const DEMO_ROLES: readonly DemoRole[] = [
  { name: "OrganizationAccountAccessRole", path: "/", kind: "admin-switch" },
  { name: "developer-readonly", path: "/", kind: "readonly" },
  { name: "security-audit-scanner", path: "/", kind: "scanner" },
  { name: "DatadogIntegrationRole", path: "/", kind: "monitoring" },
  { name: "app-api-task-role", path: "/", kind: "ecs-task" },
  { name: "events-ingest-lambda-role", path: "/service-role/", kind: "lambda" },
  { name: "web-ec2-instance-role", path: "/", kind: "ec2" },
  { name: "GitHubActionsDeployRole", path: "/", kind: "ci-oidc" },
  { name: "instance-scheduler-role", path: "/service-role/", kind: "scheduler" },
  { name: "AWSServiceRoleForConfig", path: "/aws-service-role/config.amazonaws.com/", kind: "config" },
];

/** The role of a kind (every kind exists exactly once). */
export function roleOf(kind: RoleKind): DemoRole {
  const role = DEMO_ROLES.find((r) => r.kind === kind);
  if (role === undefined) throw new Error(`no demo role of kind ${kind}`);
  return role;
}

/** `AIDA…` for users, `AROA…` for roles: stable per account and name. */
export function principalIdOf(account: DemoAccount, kind: "user" | "role", name: string): string {
  return (kind === "user" ? "AIDA" : "AROA") + stableId(`${account.id}:${kind}:${name}`, UPPER_ALNUM, 17);
}

/** A user's long-term access key id (`AKIA…`). */
export function accessKeyOf(account: DemoAccount, userName: string): string {
  return `AKIA${stableId(`${account.id}:key:${userName}`, UPPER_ALNUM, 16)}`;
}

/** Temporary credentials (`ASIA…`): one id per session, so repeated calls of a session share it. */
export function sessionKeyOf(sessionLabel: string): string {
  return `ASIA${stableId(`session:${sessionLabel}`, UPPER_ALNUM, 16)}`;
}

// ---- resources ----

export interface DemoResources {
  /** Bucket the application reads and writes (S3 data events). */
  appBucket: string;
  /** Deployment artifacts (us-east-1 only). */
  artifactsBucket: string | null;
  /** Website assets anyone may read once the week's change opens it (prod us-east-1 only). */
  publicAssetsBucket: string | null;
  /** The trail's bucket (us-east-1 only). */
  trailBucket: string | null;
  /** The KMS key protecting the app bucket, as a key ARN. */
  kmsKeyArn: string;
  kmsKeyId: string;
  /** The key the week's ScheduleKeyDeletion targets. */
  retiredKmsKeyArn: string;
  trailArn: string;
  lambdaFunctions: readonly string[];
  ecsCluster: string;
}

const resourcesCache = new Map<string, DemoResources>();
const vpcCache = new Map<string, DemoVpc>();

/** Buckets, keys and functions of one account in one region (computed once, then shared). */
export function demoResources(account: DemoAccount, region: DemoRegion): DemoResources {
  const cacheKey = `${account.id}:${region}`;
  const cached = resourcesCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const resources = buildResources(account, region);
  resourcesCache.set(cacheKey, resources);
  return resources;
}

function buildResources(account: DemoAccount, region: DemoRegion): DemoResources {
  const home = region === "us-east-1";
  const keyId = stableUuid(`${account.id}:${region}:kms:app`);
  return {
    appBucket: home ? `examplecorp-${account.name}-uploads` : `examplecorp-${account.name}-datalake-eu`,
    artifactsBucket: home ? `examplecorp-${account.name}-artifacts` : null,
    publicAssetsBucket: home && account.name === "prod" ? "examplecorp-prod-public-assets" : null,
    trailBucket: home ? `examplecorp-${account.name}-cloudtrail` : null,
    kmsKeyId: keyId,
    kmsKeyArn: `arn:aws:kms:${region}:${account.id}:key/${keyId}`,
    retiredKmsKeyArn: `arn:aws:kms:${region}:${account.id}:key/${stableUuid(`${account.id}:${region}:kms:retired`)}`,
    trailArn: `arn:aws:cloudtrail:us-east-1:${account.id}:trail/examplecorp-trail`,
    lambdaFunctions: ["events-ingest", "image-resizer"],
    ecsCluster: "app-cluster",
  };
}

function stableUuid(label: string): string {
  const h = stableId(label, HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---- network ----

export type EniTier = "web" | "app" | "db" | "nat" | "dns" | "bastion" | "idle";

export interface DemoEni {
  id: string;
  /** Primary private IPv4 address. */
  ip: string;
  subnetId: string;
  /** null for requester-managed interfaces (NAT gateway, RDS), which flow logs show as `-`. */
  instanceId: string | null;
  azId: string;
  tier: EniTier;
  name: string;
}

export interface DemoVpc {
  account: DemoAccount;
  region: DemoRegion;
  vpcId: string;
  /** `fl-` + 17 hex: the flow log's id, part of every file name. */
  flowLogId: string;
  enis: readonly DemoEni[];
  /** The NAT gateway's Elastic IP: instances' API calls come from it. */
  natPublicIp: string;
  webSecurityGroupId: string;
  bastionSecurityGroupId: string;
}

const AZ_IDS: Record<DemoRegion, readonly [string, string]> = {
  "us-east-1": ["use1-az4", "use1-az6"],
  "eu-west-1": ["euw1-az1", "euw1-az2"],
};

const NAT_IPS: Record<string, string> = {
  "111122223333:us-east-1": "203.0.113.200",
  "111122223333:eu-west-1": "203.0.113.201",
  "444455556666:us-east-1": "203.0.113.210",
  "444455556666:eu-west-1": "203.0.113.211",
};

/** The VPC of one account in one region: a small three-tier application (computed once, then shared). */
export function demoVpc(account: DemoAccount, region: DemoRegion): DemoVpc {
  const cacheKey = `${account.id}:${region}`;
  const cached = vpcCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const vpc = buildVpc(account, region);
  vpcCache.set(cacheKey, vpc);
  return vpc;
}

function buildVpc(account: DemoAccount, region: DemoRegion): DemoVpc {
  const label = `${account.id}:${region}`;
  const id = (kind: string, name: string) => `${kind}-${stableId(`${label}:${kind}:${name}`, HEX, 17)}`;
  const [azA, azB] = AZ_IDS[region];
  const subnets = {
    publicA: id("subnet", "public-a"),
    publicB: id("subnet", "public-b"),
    privateA: id("subnet", "private-a"),
    privateB: id("subnet", "private-b"),
    data: id("subnet", "data-a"),
  };
  const net = account.cidr;
  const eni = (name: string, tier: EniTier, ip: string, subnetId: string, azId: string, instance: boolean): DemoEni => ({
    id: id("eni", name),
    ip,
    subnetId,
    instanceId: instance ? id("i", name) : null,
    azId,
    tier,
    name,
  });
  const home = region === "us-east-1";
  const enis: DemoEni[] = [
    eni("web-1", "web", `${net}.0.21`, subnets.publicA, azA, true),
    ...(home ? [eni("web-2", "web", `${net}.1.37`, subnets.publicB, azB, true)] : []),
    eni("bastion", "bastion", `${net}.0.5`, subnets.publicA, azA, true),
    eni("nat", "nat", `${net}.0.220`, subnets.publicA, azA, false),
    eni("app-1", "app", `${net}.10.15`, subnets.privateA, azA, true),
    eni("app-2", "app", `${net}.11.42`, subnets.privateB, azB, true),
    ...(home ? [eni("app-3", "app", `${net}.10.77`, subnets.privateA, azA, true)] : []),
    // A self-hosted resolver: queries to the Amazon-provided resolver (VPC base + 2) are never
    // captured by flow logs, so DNS traffic only shows up when it goes to a host like this.
    eni("dns", "dns", `${net}.10.10`, subnets.privateA, azA, true),
    eni("db", "db", `${net}.20.31`, subnets.data, azA, false),
    // A standby instance with no traffic: the source of NODATA records.
    eni("standby", "idle", `${net}.11.200`, subnets.privateB, azB, true),
  ];
  return {
    account,
    region,
    vpcId: id("vpc", "main"),
    flowLogId: id("fl", "main"),
    enis,
    natPublicIp: NAT_IPS[label] ?? "203.0.113.250",
    webSecurityGroupId: id("sg", "web"),
    bastionSecurityGroupId: id("sg", "bastion"),
  };
}

/** The first interface of a tier (every VPC has at least one of each). */
export function eniOf(vpc: DemoVpc, tier: EniTier): DemoEni {
  const eni = vpc.enis.find((e) => e.tier === tier);
  if (eni === undefined) throw new Error(`no ${tier} interface in ${vpc.vpcId}`);
  return eni;
}
