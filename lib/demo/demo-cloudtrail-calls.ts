import type { DemoRandom } from "./demo-random";
import { DEMO_HUMANS, type DemoAccount, type DemoRegion, type DemoResources, type DemoRole, type DemoVpc } from "./demo-world";

/**
 * The calls the demo week is made of: the service-specific half of a CloudTrail record
 * (event source and name, request and response, resources), before who made it and when.
 * Parameter shapes follow real records (AWS documentation and the samples in ../shared/samples).
 */

/** The service-specific part of a call, before who made it and when. */
export interface ApiSpec {
  source: string;
  name: string;
  readOnly: boolean;
  request?: unknown;
  response?: unknown;
  resources?: readonly Record<string, string>[];
  additional?: Record<string, unknown>;
  /** S3 data event (eventCategory Data, managementEvent false). */
  data?: boolean;
  /** The bucket an S3 call addresses: it names the TLS host. */
  bucket?: string;
}

/** Where and when a call happens, with the resources it can name. */
export interface Where {
  account: DemoAccount;
  region: DemoRegion;
  res: DemoResources;
  vpc: DemoVpc;
  time: number;
}

export const CONSOLE_AGENTS = ["AWS Internal", "AWS Internal", "console.amazonaws.com"] as const;

/** Sources whose events only ever appear in us-east-1 (global services). */
export const GLOBAL_SOURCES = new Set(["iam.amazonaws.com", "signin.amazonaws.com"]);

export const OLDER_EVENT_VERSION = new Set(["iam.amazonaws.com", "sts.amazonaws.com", "kms.amazonaws.com", "cloudtrail.amazonaws.com", "logs.amazonaws.com"]);

const CLI_SERVICE: Record<string, string> = { monitoring: "cloudwatch", s3: "s3api", elasticloadbalancing: "elbv2" };

/** `md/command#ec2.describe-instances`: what aws-cli v2 appends for `DescribeInstances` on ec2. */
function cliCommand(source: string, name: string): string {
  const prefix = source.replace(".amazonaws.com", "");
  const operation = name
    .replace(/\d{8}(v\d+)?$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
  return `md/command#${CLI_SERVICE[prefix] ?? prefix}.${operation}`;
}

export function cliAgent(base: string): (source: string, name: string) => string {
  return (source, name) => `${base} ${cliCommand(source, name)}`;
}

export function fixedAgent(agent: string): (source: string, name: string) => string {
  return () => agent;
}

export function ec2(name: string, request: unknown = null, readOnly = true, response: unknown = null): ApiSpec {
  return { source: "ec2.amazonaws.com", name, readOnly, request, response };
}

export function iam(name: string, request: unknown = null, readOnly = true, response: unknown = null): ApiSpec {
  return { source: "iam.amazonaws.com", name, readOnly, request, response };
}

export function simple(service: string, name: string, request: unknown = null, readOnly = true, response: unknown = null): ApiSpec {
  return { source: `${service}.amazonaws.com`, name, readOnly, request, response };
}

export function s3Host(bucket: string, region: string): string {
  return `${bucket}.s3.${region}.amazonaws.com`;
}

/** Read-only calls people and tools make all day, by name. */
export const READS: Record<string, (w: Where, rnd: DemoRandom) => ApiSpec> = {
  DescribeInstances: () => ec2("DescribeInstances", { instancesSet: {}, filterSet: {} }),
  DescribeInstanceStatus: () => ec2("DescribeInstanceStatus", { instancesSet: {}, filterSet: {}, includeAllInstances: false }),
  DescribeSecurityGroups: () => ec2("DescribeSecurityGroups", { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
  DescribeVpcs: () => ec2("DescribeVpcs", { vpcSet: {}, filterSet: {} }),
  DescribeSubnets: () => ec2("DescribeSubnets", { subnetSet: {}, filterSet: {} }),
  DescribeVolumes: () => ec2("DescribeVolumes", { volumeSet: {}, filterSet: {} }),
  DescribeNetworkInterfaces: () => ec2("DescribeNetworkInterfaces", { networkInterfaceIdSet: {}, filterSet: {} }),
  DescribeSnapshots: () => ec2("DescribeSnapshots", { snapshotSet: {}, ownersSet: { items: [{ owner: "self" }] }, sharedUsersSet: {}, filterSet: {} }),
  DescribeImages: () => ec2("DescribeImages", { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: "self" }] }, filterSet: {} }),
  DescribeFlowLogs: () => ec2("DescribeFlowLogs", { DescribeFlowLogsRequest: {} }),
  DescribeNetworkAcls: () => ec2("DescribeNetworkAcls", { networkAclIdSet: {}, filterSet: {} }),
  DescribeAddresses: () => ec2("DescribeAddresses", { publicIpsSet: {}, allocationIdsSet: {}, filterSet: {} }),
  DescribeRegions: () => ec2("DescribeRegions", { regionSet: {} }),
  ListBuckets: (w) => ({ source: "s3.amazonaws.com", name: "ListBuckets", readOnly: true, request: { Host: `s3.${w.region}.amazonaws.com` } }),
  GetBucketAcl: (w) => s3BucketRead(w, "GetBucketAcl", { acl: "" }),
  GetBucketPolicy: (w) => s3BucketRead(w, "GetBucketPolicy", { policy: "" }),
  GetBucketPublicAccessBlock: (w) => s3BucketRead(w, "GetBucketPublicAccessBlock", { publicAccessBlock: "" }),
  GetBucketEncryption: (w) => s3BucketRead(w, "GetBucketEncryption", { encryption: "" }),
  GetBucketVersioning: (w) => s3BucketRead(w, "GetBucketVersioning", { versioning: "" }),
  GetBucketLocation: (w) => s3BucketRead(w, "GetBucketLocation", { location: "" }),
  ListUsers: () => iam("ListUsers"),
  ListRoles: () => iam("ListRoles"),
  ListGroups: () => iam("ListGroups"),
  ListPolicies: () => iam("ListPolicies", { scope: "Local", onlyAttached: false }),
  GetAccountSummary: () => iam("GetAccountSummary"),
  GetAccountPasswordPolicy: () => iam("GetAccountPasswordPolicy"),
  ListMFADevices: (_w, rnd) => iam("ListMFADevices", { userName: rnd.pick(DEMO_HUMANS).userName }),
  GetUser: (_w, rnd) => iam("GetUser", { userName: rnd.pick(DEMO_HUMANS).userName }),
  ListAccessKeys: (_w, rnd) => iam("ListAccessKeys", { userName: rnd.pick(DEMO_HUMANS).userName }),
  GetRole: (_w, rnd) => iam("GetRole", { roleName: rnd.pick(["app-api-task-role", "web-ec2-instance-role", "GitHubActionsDeployRole", "developer-readonly"]) }),
  ListAttachedRolePolicies: (_w, rnd) => iam("ListAttachedRolePolicies", { roleName: rnd.pick(["app-api-task-role", "events-ingest-lambda-role", "DatadogIntegrationRole"]) }),
  ListFunctions20150331: () => simple("lambda", "ListFunctions20150331"),
  GetFunction20150331v2: (w, rnd) => simple("lambda", "GetFunction20150331v2", { functionName: rnd.pick(w.res.lambdaFunctions) }),
  GetFunctionConfiguration20150331v2: (w, rnd) => simple("lambda", "GetFunctionConfiguration20150331v2", { functionName: rnd.pick(w.res.lambdaFunctions) }),
  ListEventSourceMappings20150331: () => simple("lambda", "ListEventSourceMappings20150331"),
  DescribeAlarms: () => simple("monitoring", "DescribeAlarms", { maxRecords: 100 }),
  DescribeAlarmHistory: () => simple("monitoring", "DescribeAlarmHistory", { historyItemType: "StateUpdate", maxRecords: 50 }),
  ListDashboards: () => simple("monitoring", "ListDashboards"),
  DescribeLogGroups: () => simple("logs", "DescribeLogGroups", { limit: 50 }),
  DescribeLogStreams: (w, rnd) =>
    simple("logs", "DescribeLogStreams", { logGroupName: `/aws/lambda/${rnd.pick(w.res.lambdaFunctions)}`, orderBy: "LastEventTime", descending: true }),
  GetCallerIdentity: () => simple("sts", "GetCallerIdentity"),
  ListAliases: () => simple("kms", "ListAliases"),
  ListKeys: () => simple("kms", "ListKeys"),
  DescribeKey: (w) => ({ ...simple("kms", "DescribeKey", { keyId: "alias/app-data" }), resources: [kmsResource(w)] }),
  GetKeyRotationStatus: (w) => ({ ...simple("kms", "GetKeyRotationStatus", { keyId: w.res.kmsKeyId }), resources: [kmsResource(w)] }),
  DescribeTrails: () => simple("cloudtrail", "DescribeTrails", { trailNameList: [], includeShadowTrails: true }),
  GetTrailStatus: (w) => simple("cloudtrail", "GetTrailStatus", { name: w.res.trailArn }),
  GetEventSelectors: (w) => simple("cloudtrail", "GetEventSelectors", { trailName: w.res.trailArn }),
  LookupEvents: () => simple("cloudtrail", "LookupEvents", { maxResults: 50 }),
  DescribeInstanceInformation: () => simple("ssm", "DescribeInstanceInformation", { maxResults: 50 }),
  ListClusters: () => simple("ecs", "ListClusters"),
  DescribeServices: (w) => simple("ecs", "DescribeServices", { cluster: w.res.ecsCluster, services: ["api"] }),
  ListTasks: (w) => simple("ecs", "ListTasks", { cluster: w.res.ecsCluster, serviceName: "api" }),
  DescribeDBInstances: () => simple("rds", "DescribeDBInstances"),
  DescribeLoadBalancers: () => simple("elasticloadbalancing", "DescribeLoadBalancers", { pageSize: 400 }),
  DescribeConfigurationRecorders: () => simple("config", "DescribeConfigurationRecorders"),
  DescribeStacks: () => simple("cloudformation", "DescribeStacks"),
  DescribeRepositories: () => simple("ecr", "DescribeRepositories"),
};

export type ReadName = keyof typeof READS;

export const HUMAN_READS: readonly ReadName[] = [
  "DescribeInstances", "DescribeInstances", "DescribeInstanceStatus", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets",
  "DescribeVolumes", "DescribeNetworkInterfaces", "DescribeImages", "DescribeRegions", "DescribeAddresses",
  "ListBuckets", "ListBuckets", "GetBucketLocation", "GetBucketPolicy", "GetBucketEncryption", "GetBucketVersioning",
  "ListUsers", "ListRoles", "GetRole", "GetUser", "ListAttachedRolePolicies", "ListAccessKeys", "ListMFADevices", "GetAccountSummary",
  "ListFunctions20150331", "GetFunction20150331v2", "GetFunctionConfiguration20150331v2", "ListEventSourceMappings20150331",
  "DescribeAlarms", "DescribeAlarmHistory", "ListDashboards", "DescribeLogGroups", "DescribeLogStreams", "DescribeLogStreams",
  "GetCallerIdentity", "ListAliases", "DescribeKey", "DescribeTrails", "DescribeInstanceInformation",
  "ListClusters", "DescribeServices", "ListTasks", "DescribeDBInstances", "DescribeLoadBalancers", "DescribeStacks", "DescribeRepositories",
];

export const SCANNER_READS: readonly ReadName[] = [
  "DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeVolumes", "DescribeSnapshots",
  "DescribeImages", "DescribeFlowLogs", "DescribeNetworkAcls", "DescribeAddresses", "DescribeRegions",
  "ListBuckets", "GetBucketAcl", "GetBucketPolicy", "GetBucketPublicAccessBlock", "GetBucketEncryption", "GetBucketVersioning",
  "ListFunctions20150331", "ListKeys", "GetKeyRotationStatus", "DescribeTrails", "GetTrailStatus", "GetEventSelectors",
  "DescribeConfigurationRecorders", "DescribeDBInstances", "DescribeLoadBalancers", "DescribeLogGroups", "DescribeAlarms",
];

export const SCANNER_GLOBAL_READS: readonly ReadName[] = [
  "ListUsers", "ListRoles", "ListPolicies", "ListGroups", "GetAccountSummary", "GetAccountPasswordPolicy", "ListMFADevices", "ListAccessKeys",
];

export const DATADOG_READS: readonly ReadName[] = [
  "DescribeInstances", "DescribeInstances", "DescribeInstanceStatus", "DescribeVolumes", "DescribeAlarms", "ListFunctions20150331",
  "DescribeDBInstances", "DescribeLoadBalancers", "ListClusters", "DescribeServices", "LookupEvents", "LookupEvents",
];

export const CONFIG_READS: readonly ReadName[] = [
  "DescribeInstances", "DescribeSecurityGroups", "DescribeNetworkInterfaces", "DescribeVolumes", "DescribeSubnets", "DescribeVpcs", "DescribeAddresses",
];

export const TERRAFORM_READS: readonly ReadName[] = [
  "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeInstances", "DescribeNetworkAcls", "DescribeAddresses", "DescribeImages",
  "GetRole", "ListAttachedRolePolicies", "GetBucketPolicy", "GetBucketVersioning", "GetBucketEncryption", "GetBucketAcl", "GetBucketPublicAccessBlock",
  "GetFunction20150331v2", "DescribeKey", "GetKeyRotationStatus", "DescribeTrails", "GetEventSelectors", "DescribeDBInstances",
  "DescribeLoadBalancers", "DescribeServices", "DescribeLogGroups", "DescribeAlarms", "DescribeRepositories",
];

export function s3BucketRead(w: Where, name: string, subresource: Record<string, string>): ApiSpec {
  const bucket = w.res.appBucket;
  return {
    source: "s3.amazonaws.com",
    name,
    readOnly: true,
    bucket,
    request: { bucketName: bucket, Host: s3Host(bucket, w.region), ...subresource },
    resources: [{ accountId: w.account.id, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` }],
  };
}

export function kmsResource(w: Where, keyArn = w.res.kmsKeyArn): Record<string, string> {
  return { accountId: w.account.id, type: "AWS::KMS::Key", ARN: keyArn };
}

export function roleArn(account: DemoAccount, role: DemoRole): string {
  return `arn:aws:iam::${account.id}:role${role.path}${role.name}`;
}

export function ymd(ms: number, sep = "/"): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll("-", sep);
}
