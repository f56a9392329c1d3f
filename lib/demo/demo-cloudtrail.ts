import {
  CONSOLE_AGENTS,
  CONFIG_READS,
  DATADOG_READS,
  GLOBAL_SOURCES,
  HUMAN_READS,
  OLDER_EVENT_VERSION,
  READS,
  SCANNER_GLOBAL_READS,
  SCANNER_READS,
  TERRAFORM_READS,
  cliAgent,
  ec2,
  fixedAgent,
  iam,
  kmsResource,
  roleArn,
  s3Host,
  simple,
  ymd,
  type ApiSpec,
  type Where,
} from "./demo-cloudtrail-calls";
import { DemoRandom, HEX, UPPER_ALNUM, hashString, stableId } from "./demo-random";
import {
  AUTOMATION_USERS,
  BOTO3_DATADOG_UA,
  BOTO3_LAMBDA_UA,
  BOTO3_SCANNER_UA,
  DATADOG_IPS,
  DEMO_ACCOUNTS,
  DEMO_HUMANS,
  DEMO_REGIONS,
  DEMO_SSO_USERS,
  FOREIGN_IPS,
  GITHUB_RUNNER_IPS,
  HOTEL_IP,
  IDENTITY_STORE_ARN,
  NODE_SDK_UA,
  OFFICE_IPS,
  OPS_PORTAL,
  PARTNER_ACCOUNT,
  PUBLIC_CLIENT_IPS,
  REGION_ACTIVITY,
  SCANNER_IP,
  SSM_AGENT_UA,
  VPN_IP,
  accessKeyOf,
  demoResources,
  demoVpc,
  eniOf,
  principalIdOf,
  roleOf,
  sessionKeyOf,
  terraformUserAgent,
  type DemoAccount,
  type DemoHuman,
  type DemoRegion,
  type DemoRole,
  type DemoSsoUser,
} from "./demo-world";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  SECOND_MS,
  awsResponseDate,
  businessFactor,
  isWeekend,
  isoSeconds,
  slotRange,
  type DemoWeek,
} from "./demo-time";
import type { DemoTimeline } from "./demo-timeline";

/**
 * One CloudTrail record as delivered (the fields AWS writes, in AWS's order).
 * Field reference: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export interface CloudTrailRecord {
  eventTime: string;
  eventID: string;
  awsRegion: string;
  recipientAccountId: string;
  [field: string]: unknown;
}

/** Records of the week grouped by delivery file: key from `cloudTrailSlotKey`, records sorted by time. */
export type CloudTrailFiles = Map<string, CloudTrailRecord[]>;

/** The file a record belongs to: one per account, region (the event's awsRegion) and hour slot. */
export function cloudTrailSlotKey(accountId: string, region: string, slot: number): string {
  return `${accountId}|${region}|${slot}`;
}

/** Generates every CloudTrail record of the week, grouped by the file that would deliver it. */
export function generateCloudTrailWeek(rnd: DemoRandom, week: DemoWeek, timeline: DemoTimeline): CloudTrailFiles {
  const builder = new CloudTrailWeekBuilder(rnd, week, timeline);
  builder.generate();
  return builder.files;
}

// ---------------------------------------------------------------------------------------------
// Shapes

interface Actor {
  userIdentity: Record<string, unknown>;
  /** The ARN AWS names in "is not authorized" messages. */
  arn: string;
  sourceIPAddress: string;
  /** The user agent of one call: the AWS CLI names the command it ran. */
  agent: (source: string, name: string) => string;
  /** TLS version of the client, or null when the call never crossed a public endpoint (AWS services, the console back end). */
  tls: "TLSv1.3" | "TLSv1.2" | null;
  /** Credentials from a console session: AWS adds `sessionCredentialFromConsole`. */
  console: boolean;
}

interface CallError {
  /** Absent for console sign-in failures, which AWS records with a message only. */
  code?: string;
  message: string;
}

interface Call extends ApiSpec {
  time: number;
  account: DemoAccount;
  region: DemoRegion;
  actor: Actor;
  error?: CallError;
  eventType?: "AwsApiCall" | "AwsConsoleSignIn" | "AwsServiceEvent";
  vpcEndpointId?: string;
  sharedEventID?: boolean;
  serviceEventDetails?: unknown;
  /** StopLogging and StartLogging are recorded although they bound the gap. */
  survivesGap?: boolean;
}


// ---------------------------------------------------------------------------------------------

class CloudTrailWeekBuilder {
  readonly files: CloudTrailFiles = new Map();
  private readonly eventIds = new Set<string>();
  private readonly prod: DemoAccount;
  private readonly staging: DemoAccount;

  constructor(
    private readonly rnd: DemoRandom,
    private readonly week: DemoWeek,
    private readonly timeline: DemoTimeline,
  ) {
    const [prod, staging] = DEMO_ACCOUNTS;
    if (prod === undefined || staging === undefined) throw new Error("demo needs two accounts");
    this.prod = prod;
    this.staging = staging;
  }

  generate(): void {
    for (let slot = 0; slot < this.week.hours; slot += 1) {
      const { from, to } = slotRange(this.week, slot);
      if (to <= from) continue;
      for (const account of DEMO_ACCOUNTS) {
        for (const region of DEMO_REGIONS) this.backgroundHour(account, region, from, to);
      }
    }
    for (let day = this.week.day0; day < this.week.end; day += DAY_MS) {
      for (const account of DEMO_ACCOUNTS) {
        for (const human of DEMO_HUMANS) this.humanDay(account, human, day);
      }
      for (const person of DEMO_SSO_USERS) this.ssoDay(person, day);
      this.brokerDay(day);
    }
    this.scenarios();
    for (const records of this.files.values()) records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  }

  // ---- emitting -----------------------------------------------------------------------------

  private where(account: DemoAccount, region: DemoRegion, time: number): Where {
    return { account, region, res: demoResources(account, region), vpc: demoVpc(account, region), time };
  }

  private emit(call: Call): void {
    const { week, timeline } = this;
    if (call.time < week.start || call.time >= week.end) return;
    // The trail is stopped: AWS records nothing for prod until StartLogging.
    if (call.account === this.prod && call.time > timeline.stopLogging && call.time < timeline.startLogging && !call.survivesGap) return;

    const region: DemoRegion = GLOBAL_SOURCES.has(call.source) ? "us-east-1" : call.region;
    const { rnd } = this;
    const eventType = call.eventType ?? "AwsApiCall";
    // Fields in the order AWS writes them.
    const ordered: Record<string, unknown> = {
      eventVersion: OLDER_EVENT_VERSION.has(call.source) ? "1.08" : "1.09",
      userIdentity: call.actor.userIdentity,
      eventTime: isoSeconds(call.time),
      eventSource: call.source,
      eventName: call.name,
      awsRegion: region,
      sourceIPAddress: call.actor.sourceIPAddress,
      userAgent: call.actor.agent(call.source, call.name),
    };
    if (call.error !== undefined) {
      if (call.error.code !== undefined) ordered.errorCode = call.error.code;
      ordered.errorMessage = call.error.message;
    }
    ordered.requestParameters = call.request ?? null;
    ordered.responseElements = call.error !== undefined && eventType === "AwsApiCall" ? null : (call.response ?? null);
    const isS3 = call.source === "s3.amazonaws.com";
    if (call.additional !== undefined) ordered.additionalEventData = call.additional;
    else if (isS3) ordered.additionalEventData = this.s3Additional(0, 0);
    if (eventType === "AwsApiCall") ordered.requestID = isS3 ? rnd.string(UPPER_ALNUM, 16) : rnd.uuid();
    ordered.eventID = this.newEventId();
    ordered.readOnly = call.readOnly;
    if (call.resources !== undefined) ordered.resources = call.resources;
    ordered.eventType = eventType;
    ordered.managementEvent = call.data !== true;
    ordered.recipientAccountId = call.account.id;
    if (call.sharedEventID === true) ordered.sharedEventID = rnd.uuid();
    if (call.vpcEndpointId !== undefined) ordered.vpcEndpointId = call.vpcEndpointId;
    if (call.serviceEventDetails !== undefined) ordered.serviceEventDetails = call.serviceEventDetails;
    ordered.eventCategory = call.data === true ? "Data" : "Management";
    if (call.actor.tls !== null) {
      ordered.tlsDetails = {
        tlsVersion: call.actor.tls,
        cipherSuite: call.actor.tls === "TLSv1.3" ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256",
        clientProvidedHostHeader: tlsHost(call.source, region, call.bucket),
      };
    }
    if (call.actor.console) ordered.sessionCredentialFromConsole = "true";

    const slot = Math.floor((call.time - week.firstHour) / HOUR_MS);
    const key = cloudTrailSlotKey(call.account.id, region, slot);
    const list = this.files.get(key);
    // Every field CloudTrailRecord names was set above.
    const record = ordered as CloudTrailRecord;
    if (list === undefined) this.files.set(key, [record]);
    else list.push(record);
  }

  /** eventID is the idempotency key downstream: it must never repeat within the week. */
  private newEventId(): string {
    for (;;) {
      const id = this.rnd.uuid();
      if (!this.eventIds.has(id)) {
        this.eventIds.add(id);
        return id;
      }
    }
  }

  private s3Additional(bytesIn: number, bytesOut: number): Record<string, unknown> {
    return {
      SignatureVersion: "SigV4",
      CipherSuite: "TLS_AES_128_GCM_SHA256",
      bytesTransferredIn: bytesIn,
      AuthenticationMethod: "AuthHeader",
      "x-amz-id-2": this.rnd.string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 76),
      bytesTransferredOut: bytesOut,
    };
  }

  private call(actor: Actor, w: Where, spec: ApiSpec, extra: Partial<Call> = {}): void {
    this.emit({ ...spec, actor, account: w.account, region: w.region, time: w.time, ...extra });
  }

  private randomTime(from: number, to: number): number {
    return from + Math.floor((this.rnd.next() * (to - from)) / SECOND_MS) * SECOND_MS;
  }

  // ---- actors -------------------------------------------------------------------------------

  private userActor(
    account: DemoAccount,
    userName: string,
    ip: string,
    agent: (source: string, name: string) => string,
    tls: Actor["tls"],
    consoleSession?: { loginAt: number; mfa: boolean },
  ): Actor {
    const arn = `arn:aws:iam::${account.id}:user/${userName}`;
    const userIdentity: Record<string, unknown> = {
      type: "IAMUser",
      principalId: principalIdOf(account, "user", userName),
      arn,
      accountId: account.id,
      accessKeyId: consoleSession ? sessionKeyOf(`${arn}:${consoleSession.loginAt}`) : accessKeyOf(account, userName),
      userName,
    };
    if (consoleSession) {
      userIdentity.sessionContext = {
        sessionIssuer: {},
        webIdFederationData: {},
        attributes: { creationDate: isoSeconds(consoleSession.loginAt), mfaAuthenticated: String(consoleSession.mfa) },
      };
    }
    return { userIdentity, arn, sourceIPAddress: ip, agent, tls, console: consoleSession !== undefined };
  }

  private roleActor(
    account: DemoAccount,
    role: DemoRole,
    session: string,
    createdAt: number,
    options: {
      ip: string;
      agent: (source: string, name: string) => string;
      tls: Actor["tls"];
      mfa?: boolean;
      invokedBy?: string;
      ec2?: boolean;
      oidc?: boolean;
      console?: boolean;
      /** `sts:SourceIdentity` set when the role was assumed; it stays on every session of a role chain. */
      sourceIdentity?: string;
    },
  ): Actor {
    const arn = `arn:aws:sts::${account.id}:assumed-role/${role.name}/${session}`;
    const roleId = principalIdOf(account, "role", role.name);
    const sessionContext: Record<string, unknown> = {
      sessionIssuer: { type: "Role", principalId: roleId, arn: roleArn(account, role), accountId: account.id, userName: role.name },
      webIdFederationData:
        options.oidc === true
          ? { federatedProvider: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`, attributes: {} }
          : {},
      attributes: { creationDate: isoSeconds(createdAt), mfaAuthenticated: String(options.mfa ?? false) },
    };
    if (options.ec2 === true) sessionContext.ec2RoleDelivery = "2.0";
    if (options.sourceIdentity !== undefined) sessionContext.sourceIdentity = options.sourceIdentity;
    const userIdentity: Record<string, unknown> = {
      type: "AssumedRole",
      principalId: `${roleId}:${session}`,
      arn,
      accountId: account.id,
      accessKeyId: sessionKeyOf(`${arn}:${createdAt}`),
      sessionContext,
    };
    if (options.invokedBy !== undefined) userIdentity.invokedBy = options.invokedBy;
    return { userIdentity, arn, sourceIPAddress: options.ip, agent: options.agent, tls: options.tls, console: options.console === true };
  }

  private serviceActor(service: string): Actor {
    return {
      userIdentity: { type: "AWSService", invokedBy: service },
      arn: service,
      sourceIPAddress: service,
      agent: fixedAgent(service),
      tls: null,
      console: false,
    };
  }

  /** Start of the credential period containing `time` (roles refresh their session every `period`). */
  private sessionStart(time: number, period: number, label: string): number {
    const offset = ((hashString(label) % 60) * MINUTE_MS) % period;
    return Math.floor((time - offset) / period) * period + offset;
  }

  // ---- background: machines and services, every hour ---------------------------------------

  private backgroundHour(account: DemoAccount, region: DemoRegion, from: number, to: number): void {
    const { rnd } = this;
    const hourStart = Math.floor(from / HOUR_MS) * HOUR_MS;
    const hour = new Date(hourStart).getUTCHours();
    const b = businessFactor(hourStart);
    const k = account.activity * REGION_ACTIVITY[region];
    const weekday = !isWeekend(hourStart);
    const home = region === "us-east-1";
    const at = (time: number) => this.where(account, region, time);
    const pick = () => this.randomTime(from, to);

    if (hour % 6 === 0) this.scannerRun(account, region, hourStart + 7 * MINUTE_MS);
    for (let i = rnd.count(7 * k); i > 0; i -= 1) this.datadogCall(at(pick()));
    for (let i = rnd.count(2.5 * k); i > 0; i -= 1) this.configCall(at(pick()));
    for (let i = rnd.count((6 + 34 * b) * k); i > 0; i -= 1) this.appS3Call(at(pick()));
    for (let i = rnd.count(4 * k); i > 0; i -= 1) this.lambdaS3Call(at(pick()));
    for (let i = rnd.count(1.2 * k); i > 0; i -= 1) this.serviceAssumeRole(at(pick()));

    // The SSM agent on web-1 reports in every 15 minutes; staging instances only run 07–19 on weekdays.
    const running = account.name === "prod" || (weekday && hour >= 7 && hour < 19);
    if (running) for (let m = 2; m < 60; m += 15) this.ssmHeartbeat(at(hourStart + m * MINUTE_MS + rnd.int(0, 20) * SECOND_MS));

    const trailBucket = demoResources(account, region).trailBucket;
    if (trailBucket !== null) {
      // CloudTrail checks its bucket's ACL before delivering.
      this.call(this.serviceActor("cloudtrail.amazonaws.com"), at(pick()), {
        source: "s3.amazonaws.com",
        name: "GetBucketAcl",
        readOnly: true,
        request: { bucketName: trailBucket, Host: `${trailBucket}.s3.amazonaws.com`, acl: "" },
        resources: [{ accountId: account.id, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${trailBucket}` }],
      });
    }
    if (weekday && rnd.chance(0.3 * b * (account.name === "prod" ? 0.8 : 1.3)) && (home || rnd.chance(0.2))) {
      this.deployBurst(account, region, pick());
    }
    if (weekday && home && rnd.chance(0.12 * b)) this.terraformPlan(account, pick());
    if (home && hour === 2) this.jenkinsNightly(account, hourStart + rnd.int(0, 10) * MINUTE_MS);
    if (home && hour === 1 && account.name === "prod") this.backupUpload(account, hourStart + 30 * MINUTE_MS);
    const assets = demoResources(account, region).publicAssetsBucket;
    if (assets !== null && hourStart + HOUR_MS > this.timeline.publicAssetsOpened) {
      for (let i = rnd.count(4 + 10 * b); i > 0; i -= 1) this.anonymousRead(at(Math.max(pick(), this.timeline.publicAssetsOpened + MINUTE_MS)), assets);
    }
    if (account.name === "prod" && region === "eu-west-1" && hour === 3) this.partnerReads(account, hourStart + rnd.int(2, 9) * MINUTE_MS);
    if (account.name === "staging" && weekday && (hour === 7 || hour === 19)) this.scheduler(account, region, hourStart + rnd.int(0, 40) * SECOND_MS, hour === 7);
  }

  /** A posture scanner (read-only) every six hours: a quick sweep through many services, a few expected errors. */
  private scannerRun(account: DemoAccount, region: DemoRegion, start: number): void {
    const { rnd } = this;
    const role = roleOf("scanner");
    const session = `audit-${Math.floor(start / 1000)}`;
    const actor = this.roleActor(account, role, session, start - 2 * SECOND_MS, { ip: SCANNER_IP, agent: fixedAgent(BOTO3_SCANNER_UA), tls: "TLSv1.3" });
    let t = start;
    const names = region === "us-east-1" ? [...SCANNER_READS, ...SCANNER_GLOBAL_READS] : SCANNER_READS;
    for (const name of names) {
      t += rnd.int(0, 3) * SECOND_MS;
      const w = this.where(account, region, t);
      const spec = READS[name]?.(w, rnd);
      if (spec === undefined) continue;
      // The app bucket has no bucket policy: S3 answers GetBucketPolicy with an error, every time.
      const error = name === "GetBucketPolicy" ? { code: "NoSuchBucketPolicy", message: "The bucket policy does not exist" } : undefined;
      this.call(actor, w, spec, { error });
    }
    // The scanner's policy lacks GuardDuty: a steady trickle of AccessDenied that is not an attack.
    const w = this.where(account, region, t + SECOND_MS);
    this.call(actor, w, simple("guardduty", "ListDetectors"), {
      error: {
        code: "AccessDeniedException",
        message: `User: ${actor.arn} is not authorized to perform: guardduty:ListDetectors on resource: arn:aws:guardduty:${region}:${account.id}:detector/* because no identity-based policy allows the guardduty:ListDetectors action`,
      },
    });
  }

  private datadogCall(w: Where): void {
    const { rnd } = this;
    const role = roleOf("monitoring");
    const created = this.sessionStart(w.time, HOUR_MS, role.name);
    const actor = this.roleActor(w.account, role, "DatadogAWSIntegration", created, {
      ip: rnd.pick(DATADOG_IPS),
      agent: fixedAgent(BOTO3_DATADOG_UA),
      tls: "TLSv1.3",
    });
    const name = rnd.pick(DATADOG_READS);
    const spec = READS[name]?.(w, rnd);
    if (spec === undefined) return;
    // LookupEvents allows two calls a second per account: pollers get throttled.
    const error = name === "LookupEvents" && rnd.chance(0.3) ? { code: "ThrottlingException", message: "Rate exceeded" } : undefined;
    this.call(actor, w, spec, { error });
  }

  private configCall(w: Where): void {
    const role = roleOf("config");
    const actor = this.roleActor(w.account, role, "AWSConfig-Describe", this.sessionStart(w.time, HOUR_MS, role.name), {
      ip: "config.amazonaws.com",
      agent: fixedAgent("config.amazonaws.com"),
      tls: null,
      invokedBy: "config.amazonaws.com",
    });
    const spec = READS[this.rnd.pick(CONFIG_READS)]?.(w, this.rnd);
    if (spec !== undefined) this.call(actor, w, spec);
  }

  /** The API service reads and writes user files through the S3 gateway endpoint (so: a private source address). */
  private appS3Call(w: Where): void {
    const { rnd } = this;
    const role = roleOf("ecs-task");
    const app = rnd.pick(w.vpc.enis.filter((e) => e.tier === "app"));
    // ECS task ids change with every deployment; one task per app host and credential period is close enough.
    const created = this.sessionStart(w.time, 6 * HOUR_MS, role.name);
    const taskId = stableId(`${w.account.id}:${w.region}:${app.name}:${created}`, HEX, 32);
    const actor = this.roleActor(w.account, role, taskId, created, { ip: app.ip, agent: fixedAgent(NODE_SDK_UA), tls: "TLSv1.3" });
    const op = rnd.weighted([
      ["GetObject", 62],
      ["PutObject", 26],
      ["HeadObject", 8],
      ["DeleteObject", 4],
    ] as const);
    const bucket = w.res.appBucket;
    const key = w.region === "us-east-1" ? `uploads/${ymd(w.time)}/${rnd.uuid()}.${rnd.pick(["jpg", "png", "pdf"])}` : `raw/events/dt=${ymd(w.time, "-")}/part-${String(rnd.int(0, 99999)).padStart(5, "0")}.parquet`;
    const missing = op === "GetObject" && rnd.chance(0.015);
    const vpce = `vpce-${stableId(`${w.account.id}:${w.region}:vpce-s3`, HEX, 17)}`;
    this.call(actor, w, this.s3Object(w, op, bucket, key, rnd.int(2_000, 4_000_000)), {
      vpcEndpointId: vpce,
      error: missing ? { code: "NoSuchKey", message: "The specified key does not exist." } : undefined,
    });
    // SSE-KMS: S3 calls KMS on the caller's behalf, which CloudTrail records too.
    if (!missing && (op === "GetObject" || op === "PutObject") && rnd.chance(0.35)) {
      const viaS3 = this.roleActor(w.account, role, taskId, created, {
        ip: "s3.amazonaws.com",
        agent: fixedAgent("s3.amazonaws.com"),
        tls: null,
        invokedBy: "s3.amazonaws.com",
      });
      const context = { "aws:s3:arn": `arn:aws:s3:::${bucket}/${key}` };
      const spec: ApiSpec =
        op === "GetObject"
          ? { ...simple("kms", "Decrypt", { encryptionContext: context, encryptionAlgorithm: "SYMMETRIC_DEFAULT" }), resources: [kmsResource(w)] }
          : { ...simple("kms", "GenerateDataKey", { keyId: w.res.kmsKeyArn, encryptionContext: context, keySpec: "AES_256" }), resources: [kmsResource(w)] };
      this.call(viaS3, w, spec);
    }
  }

  private lambdaS3Call(w: Where): void {
    const { rnd } = this;
    const role = roleOf("lambda");
    const fn = rnd.pick(w.res.lambdaFunctions);
    const created = this.sessionStart(w.time, 2 * HOUR_MS, `${role.name}:${fn}`);
    const actor = this.roleActor(w.account, role, fn, created, { ip: w.vpc.natPublicIp, agent: fixedAgent(BOTO3_LAMBDA_UA), tls: "TLSv1.3" });
    const put = rnd.chance(0.4);
    const key = fn === "image-resizer" ? `thumbnails/${rnd.uuid()}_320.jpg` : `events/${ymd(w.time)}/${rnd.hex(12)}.json.gz`;
    this.call(actor, w, this.s3Object(w, put ? "PutObject" : "GetObject", w.res.appBucket, key, rnd.int(1_000, 300_000)));
  }

  private serviceAssumeRole(w: Where): void {
    const { rnd } = this;
    const kind = rnd.weighted([
      ["lambda", 5],
      ["ecs-task", 3],
      ["ec2", 1],
    ] as const);
    const role = roleOf(kind);
    const service = kind === "lambda" ? "lambda.amazonaws.com" : kind === "ecs-task" ? "ecs-tasks.amazonaws.com" : "ec2.amazonaws.com";
    const session = kind === "lambda" ? rnd.pick(w.res.lambdaFunctions) : kind === "ec2" ? (eniOf(w.vpc, "web").instanceId ?? "i-unknown") : rnd.hex(32);
    const arn = roleArn(w.account, role);
    this.call(
      this.serviceActor(service),
      w,
      {
        ...simple("sts", "AssumeRole", { roleArn: arn, roleSessionName: session }, true, {
          credentials: {
            accessKeyId: sessionKeyOf(`${arn}:${session}:${w.time}`),
            sessionToken: `IQoJb3JpZ2luX2VjE${rnd.string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 60)}`,
            expiration: awsResponseDate(w.time + (kind === "ec2" ? 6 : 1) * HOUR_MS),
          },
        }),
        resources: [{ accountId: w.account.id, type: "AWS::IAM::Role", ARN: arn }],
      },
      { sharedEventID: true },
    );
  }

  private ssmHeartbeat(w: Where): void {
    const web = eniOf(w.vpc, "web");
    const instanceId = web.instanceId ?? "i-unknown";
    const role = roleOf("ec2");
    const actor = this.roleActor(w.account, role, instanceId, this.sessionStart(w.time, 6 * HOUR_MS, `${role.name}:${instanceId}`), {
      ip: w.vpc.natPublicIp,
      agent: fixedAgent(SSM_AGENT_UA),
      tls: "TLSv1.2",
      ec2: true,
    });
    this.call(
      actor,
      w,
      simple(
        "ssm",
        "UpdateInstanceInformation",
        {
          instanceId,
          agentVersion: "3.3.131.0",
          agentStatus: "Active",
          platformType: "Linux",
          platformName: "Amazon Linux",
          platformVersion: "2023",
          iPAddress: web.ip,
          computerName: `ip-${web.ip.replaceAll(".", "-")}.${w.region === "us-east-1" ? "ec2.internal" : `${w.region}.compute.internal`}`,
          agentName: "amazon-ssm-agent",
          availabilityZone: `${w.region}a`,
          availabilityZoneId: web.azId,
        },
        false,
      ),
    );
  }

  private s3Object(w: Where, op: "GetObject" | "PutObject" | "HeadObject" | "DeleteObject", bucket: string, key: string, size: number): ApiSpec {
    const write = op === "PutObject" || op === "DeleteObject";
    return {
      source: "s3.amazonaws.com",
      name: op,
      readOnly: !write,
      data: true,
      bucket,
      request: { bucketName: bucket, Host: s3Host(bucket, w.region), key },
      response: op === "PutObject" ? { "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": w.res.kmsKeyArn } : null,
      additional: this.s3Additional(op === "PutObject" ? size : 0, op === "GetObject" ? size : 0),
      resources: [
        { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket}/${key}` },
        { accountId: w.account.id, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` },
      ],
    };
  }

  /** A GitHub Actions deployment: web-identity sign-in, then ECS or Lambda rollout, all within minutes. */
  private deployBurst(account: DemoAccount, region: DemoRegion, start: number): void {
    const { rnd } = this;
    const role = roleOf("ci-oidc");
    const ip = rnd.pick(GITHUB_RUNNER_IPS);
    const repo = rnd.pick(["examplecorp/api", "examplecorp/events-pipeline"]);
    const subject = `repo:${repo}:ref:refs/heads/main`;
    const provider = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
    const arn = roleArn(account, role);
    const roleId = principalIdOf(account, "role", role.name);
    const ghAgent = fixedAgent("configure-aws-credentials-for-github-actions");
    let t = start;
    const w = () => this.where(account, region, t);
    this.emit({
      ...simple("sts", "AssumeRoleWithWebIdentity", { roleArn: arn, roleSessionName: "GitHubActions", durationSeconds: 3600 }, true, {
        credentials: { accessKeyId: sessionKeyOf(`${arn}:GitHubActions:${t}`), expiration: awsResponseDate(t + HOUR_MS) },
        subjectFromWebIdentityToken: subject,
        assumedRoleUser: { assumedRoleId: `${roleId}:GitHubActions`, arn: `arn:aws:sts::${account.id}:assumed-role/${role.name}/GitHubActions` },
        provider,
        audience: "sts.amazonaws.com",
      }),
      resources: [{ accountId: account.id, type: "AWS::IAM::Role", ARN: arn }],
      actor: {
        userIdentity: { type: "WebIdentityUser", principalId: `${provider}:sts.amazonaws.com:${subject}`, userName: subject, identityProvider: provider },
        arn: subject,
        sourceIPAddress: ip,
        agent: ghAgent,
        tls: "TLSv1.3",
        console: false,
      },
      account,
      region,
      time: t,
    });
    const actor = this.roleActor(account, role, "GitHubActions", t, { ip, agent: cliAgent("aws-cli/2.15.40 Python/3.11.8 Linux/6.5.0-1018-azure exe/x86_64.ubuntu.22 prompt/off"), tls: "TLSv1.3", oidc: true });
    const step = (spec: ApiSpec, seconds: [number, number] = [1, 8]) => {
      t += rnd.int(seconds[0], seconds[1]) * SECOND_MS;
      this.call(actor, w(), spec);
    };
    const res = demoResources(account, region);
    step(READS.GetCallerIdentity!(w(), rnd));
    const sha = rnd.hex(7);
    if (repo === "examplecorp/api") {
      step(simple("ecr", "GetAuthorizationToken"));
      step(simple("ecr", "PutImage", { repositoryName: "api", imageTag: sha }, false, { image: { repositoryName: "api", imageId: { imageTag: sha, imageDigest: `sha256:${rnd.hex(64)}` } } }), [40, 120]);
      step(simple("ecs", "DescribeTaskDefinition", { taskDefinition: "api" }));
      step(simple("ecs", "RegisterTaskDefinition", { family: "api", containerDefinitions: [{ name: "api", image: `${account.id}.dkr.ecr.${region}.amazonaws.com/api:${sha}` }] }, false));
      step(simple("ecs", "UpdateService", { cluster: res.ecsCluster, service: "api", taskDefinition: "api", forceNewDeployment: false }, false));
      for (let i = rnd.int(3, 8); i > 0; i -= 1) step(READS.DescribeServices!(w(), rnd), [15, 30]);
    } else {
      const fn = "events-ingest";
      const bucket = res.artifactsBucket ?? res.appBucket;
      const key = `lambda/${fn}/${sha}.zip`;
      step(this.s3Object(w(), "PutObject", bucket, key, rnd.int(2_000_000, 9_000_000)), [20, 60]);
      step(
        simple("lambda", "UpdateFunctionCode20150331v2", { functionName: fn, s3Bucket: bucket, s3Key: key, publish: true }, false, {
          functionName: fn,
          functionArn: `arn:aws:lambda:${region}:${account.id}:function:${fn}`,
          runtime: "python3.12",
          codeSize: rnd.int(2_000_000, 9_000_000),
          lastModified: `${new Date(t).toISOString().slice(0, 23)}+0000`,
          version: String(rnd.int(40, 300)),
          state: "Pending",
        }),
      );
      step(READS.GetFunctionConfiguration20150331v2!(w(), rnd), [5, 15]);
      step(READS.GetFunctionConfiguration20150331v2!(w(), rnd), [5, 15]);
    }
  }

  /** `terraform plan`: a fast sweep of reads by the terraform user, mostly us-east-1, some eu-west-1. */
  private terraformPlan(account: DemoAccount, start: number): void {
    const { rnd } = this;
    const user = AUTOMATION_USERS.terraform;
    let t = start;
    for (let i = rnd.int(20, 35); i > 0; i -= 1) {
      t += rnd.int(0, 2) * SECOND_MS;
      const region: DemoRegion = rnd.chance(0.3) ? "eu-west-1" : "us-east-1";
      const w = this.where(account, region, t);
      const spec = READS[rnd.pick(TERRAFORM_READS)]?.(w, rnd);
      if (spec === undefined) continue;
      const actor = this.userActor(account, user.userName, user.ip, (source) => terraformUserAgent(source.split(".")[0] ?? source), "TLSv1.3");
      this.call(actor, w, spec);
    }
  }

  private jenkinsNightly(account: DemoAccount, start: number): void {
    const { rnd } = this;
    const user = AUTOMATION_USERS.jenkins;
    const actor = this.userActor(account, user.userName, user.ip, fixedAgent(user.userAgent), "TLSv1.2");
    let t = start;
    for (const spec of [simple("sts", "GetCallerIdentity"), simple("ecr", "GetAuthorizationToken"), READS.DescribeImages!(this.where(account, "us-east-1", t), rnd)]) {
      t += rnd.int(1, 20) * SECOND_MS;
      this.call(actor, this.where(account, "us-east-1", t), spec);
    }
  }

  private backupUpload(account: DemoAccount, start: number): void {
    const { rnd } = this;
    const user = AUTOMATION_USERS.backup;
    const actor = this.userActor(account, user.userName, user.ip, fixedAgent(user.userAgent), "TLSv1.2");
    let t = start;
    for (let i = 0; i < rnd.int(20, 40); i += 1) {
      t += rnd.int(5, 40) * SECOND_MS;
      const w = this.where(account, "us-east-1", t);
      this.call(actor, w, this.s3Object(w, "PutObject", w.res.appBucket, `backups/onprem/db-${ymd(t, "-")}/chunk-${String(i).padStart(4, "0")}.bin`, rnd.int(50_000_000, 100_000_000)));
    }
  }

  /** Staging's instances are started at 07:00 and stopped at 19:00 UTC on weekdays by a Lambda. */
  private scheduler(account: DemoAccount, region: DemoRegion, time: number, start: boolean): void {
    const role = roleOf("scheduler");
    const vpc = demoVpc(account, region);
    const actor = this.roleActor(account, role, "instance-scheduler", time - 3 * SECOND_MS, { ip: vpc.natPublicIp, agent: fixedAgent(BOTO3_LAMBDA_UA), tls: "TLSv1.3" });
    const instances = vpc.enis.filter((e) => (e.tier === "web" || e.tier === "app") && e.instanceId !== null).map((e) => e.instanceId ?? "");
    this.call(actor, this.where(account, region, time), ec2("DescribeInstances", { instancesSet: {}, filterSet: { items: [{ name: "tag:Schedule", valueSet: { items: [{ value: "office-hours" }] } }] } }));
    const items = instances.map((instanceId) => ({ instanceId }));
    const [from, to] = start ? [{ code: 80, name: "stopped" }, { code: 0, name: "pending" }] : [{ code: 16, name: "running" }, { code: 64, name: "stopping" }];
    this.call(
      actor,
      this.where(account, region, time + 2 * SECOND_MS),
      ec2(start ? "StartInstances" : "StopInstances", { instancesSet: { items } }, false, {
        requestId: this.rnd.uuid(),
        instancesSet: { items: instances.map((instanceId) => ({ instanceId, currentState: to, previousState: from })) },
      }),
    );
  }

  /** Someone on the internet fetches a website asset from the public bucket, unauthenticated. */
  private anonymousRead(w: Where, bucket: string): void {
    const { rnd } = this;
    const key = `site/img/${rnd.pick(["hero", "logo", "team", "product-1", "product-2", "banner"])}.${rnd.pick(["webp", "png"])}`;
    const missing = rnd.chance(0.03);
    const browser = rnd.pick(DEMO_HUMANS).browser;
    const actor: Actor = {
      // How CloudTrail records an unauthenticated request.
      userIdentity: { type: "AWSAccount", principalId: "", accountId: "anonymous" },
      arn: "anonymous",
      sourceIPAddress: rnd.pick(PUBLIC_CLIENT_IPS),
      agent: fixedAgent(browser),
      tls: "TLSv1.3",
      console: false,
    };
    const spec = this.s3Object(w, "GetObject", bucket, key, missing ? 0 : rnd.int(8_000, 900_000));
    this.call(actor, w, { ...spec, additional: { ...spec.additional, AuthenticationMethod: undefined } }, {
      error: missing ? { code: "NoSuchKey", message: "The specified key does not exist." } : undefined,
    });
  }

  /** The vendor's nightly export: a role in its own account reads yesterday's partitions (cross-account). */
  private partnerReads(account: DemoAccount, start: number): void {
    const { rnd } = this;
    const role = PARTNER_ACCOUNT.role;
    const created = start - 20 * SECOND_MS;
    const sessionArn = `arn:aws:sts::${PARTNER_ACCOUNT.id}:assumed-role/${role}/nightly-export`;
    const roleId = `AROA${stableId(`${PARTNER_ACCOUNT.id}:role:${role}`, UPPER_ALNUM, 17)}`;
    const actor: Actor = {
      userIdentity: {
        type: "AssumedRole",
        principalId: `${roleId}:nightly-export`,
        arn: sessionArn,
        accountId: PARTNER_ACCOUNT.id,
        accessKeyId: sessionKeyOf(`${sessionArn}:${created}`),
        sessionContext: {
          sessionIssuer: { type: "Role", principalId: roleId, arn: `arn:aws:iam::${PARTNER_ACCOUNT.id}:role/${role}`, accountId: PARTNER_ACCOUNT.id, userName: role },
          webIdFederationData: {},
          attributes: { creationDate: isoSeconds(created), mfaAuthenticated: "false" },
        },
      },
      arn: sessionArn,
      sourceIPAddress: PARTNER_ACCOUNT.ip,
      agent: fixedAgent(BOTO3_LAMBDA_UA),
      tls: "TLSv1.3",
      console: false,
    };
    let t = start;
    const bucket = demoResources(account, "eu-west-1").appBucket;
    for (let i = rnd.int(8, 16); i > 0; i -= 1) {
      t += rnd.int(2, 25) * SECOND_MS;
      const w = this.where(account, "eu-west-1", t);
      const key = `raw/events/dt=${ymd(t - DAY_MS, "-")}/part-${String(rnd.int(0, 99999)).padStart(5, "0")}.parquet`;
      this.call(actor, w, this.s3Object(w, "GetObject", bucket, key, rnd.int(2_000_000, 60_000_000)));
    }
    // The grant does not cover the PII prefix: the vendor's job tries it anyway, and S3 refuses.
    t += rnd.int(2, 25) * SECOND_MS;
    const w = this.where(account, "eu-west-1", t);
    this.call(actor, w, this.s3Object(w, "GetObject", bucket, `pii/customers/dt=${ymd(t - DAY_MS, "-")}/part-00000.parquet`, 0), {
      error: { code: "AccessDenied", message: "Access Denied" },
    });
  }

  /**
   * An IAM Identity Center user's day: the access-portal sign-in (`UserAuthentication`, in prod, the
   * Identity Center account), then federation into staging with the permission set: `AssumeRoleWithSAML`
   * and a console sign-in of the role session (`MFAUsed: No`: MFA happened at the portal), then some reads.
   */
  private ssoDay(person: DemoSsoUser, day: number): void {
    const { rnd, prod, staging } = this;
    if (isWeekend(day) || !rnd.chance(0.6)) return;
    let t = day + (person.shiftStart * 60 + rnd.int(0, 60)) * MINUTE_MS;
    const portal = (result: "Success" | "Failure") =>
      this.emit({
        source: "signin.amazonaws.com",
        name: "UserAuthentication",
        readOnly: false,
        request: null,
        response: null,
        additional: { AuthWorkflowID: rnd.uuid(), UserName: person.userName, LoginTo: "https://d-9067c1a2b3.awsapps.com/start/", CredentialType: "PASSWORD" },
        eventType: "AwsServiceEvent",
        serviceEventDetails: { UserAuthentication: result },
        actor: {
          userIdentity: { type: "IdentityCenterUser", accountId: prod.id, onBehalfOf: { userId: stableId(person.userName, HEX, 32), identityStoreArn: IDENTITY_STORE_ARN }, credentialId: rnd.hex(24) },
          arn: "",
          sourceIPAddress: person.ip,
          agent: fixedAgent(person.browser),
          tls: "TLSv1.3",
          console: false,
        },
        account: prod,
        region: "us-east-1",
        time: t,
        // A failed portal sign-in says so in serviceEventDetails and errorMessage; it has no errorCode.
        ...(result === "Failure" ? { error: { message: "Failed authentication" } } : {}),
      });
    if (rnd.chance(0.15)) {
      portal("Failure");
      t += rnd.int(20, 60) * SECOND_MS;
    }
    portal("Success");

    const roleName = `AWSReservedSSO_${person.permissionSet}_${stableId(`${staging.id}:${person.permissionSet}`, HEX, 16)}`;
    const roleArnValue = `arn:aws:iam::${staging.id}:role/aws-reserved/sso.amazonaws.com/${roleName}`;
    const roleId = principalIdOf(staging, "role", roleName);
    const provider = `arn:aws:iam::${staging.id}:saml-provider/AWSSSO_${stableId(`${staging.id}:saml`, HEX, 16)}_DO_NOT_DELETE`;
    t += rnd.int(15, 60) * SECOND_MS;
    const session = t;
    this.emit({
      ...simple("sts", "AssumeRoleWithSAML", { sAMLAssertionID: `_${rnd.uuid()}`, roleSessionName: person.userName, roleArn: roleArnValue, principalArn: provider, durationSeconds: 43200 }, true, {
        credentials: { accessKeyId: sessionKeyOf(`${roleArnValue}:${person.userName}:${session}`), expiration: awsResponseDate(session + 12 * HOUR_MS) },
        assumedRoleUser: { assumedRoleId: `${roleId}:${person.userName}`, arn: `arn:aws:sts::${staging.id}:assumed-role/${roleName}/${person.userName}` },
        subject: person.userName,
        subjectType: "persistent",
        issuer: "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MDk0NzQ2NjQ0NDgz",
        audience: "https://signin.aws.amazon.com/saml",
      }),
      resources: [{ accountId: staging.id, type: "AWS::IAM::Role", ARN: roleArnValue }],
      actor: {
        userIdentity: { type: "SAMLUser", principalId: `${stableId(provider, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 28)}=:${person.userName}`, userName: person.userName, identityProvider: stableId(provider, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 28) },
        arn: person.userName,
        sourceIPAddress: person.ip,
        agent: fixedAgent(person.browser),
        tls: "TLSv1.3",
        console: false,
      },
      account: staging,
      region: "us-east-1",
      time: session,
    });
    const role: DemoRole = { name: roleName, path: "/aws-reserved/sso.amazonaws.com/", kind: "readonly" };
    t = session + rnd.int(2, 6) * SECOND_MS;
    const sessionActor = this.roleActor(staging, role, person.userName, session, { ip: person.ip, agent: fixedAgent("AWS Internal"), tls: null, console: true });
    this.emit({
      source: "signin.amazonaws.com",
      name: "ConsoleLogin",
      readOnly: false,
      request: null,
      response: { ConsoleLogin: "Success" },
      additional: { LoginTo: "https://console.aws.amazon.com/console/home?region=us-east-1", MobileVersion: "No", MFAUsed: "No" },
      eventType: "AwsConsoleSignIn",
      actor: { ...sessionActor, agent: fixedAgent(person.browser), tls: "TLSv1.3", console: false },
      account: staging,
      region: "us-east-1",
      time: t,
    });
    for (let i = rnd.int(4, 12); i > 0; i -= 1) {
      t += rnd.int(30, 900) * SECOND_MS;
      const w = this.where(staging, rnd.chance(0.7) ? "us-east-1" : "eu-west-1", t);
      const spec = READS[rnd.pick(HUMAN_READS)]?.(w, rnd);
      if (spec !== undefined) this.call(sessionActor, w, spec);
    }
  }

  /**
   * The on-call portal, a custom identity broker: it asks STS for federation credentials for the person
   * on call (`GetFederationToken`), trades them for a sign-in token (`GetSigninToken`) and sends them to
   * the console, where they sign in as a federated user.
   */
  private brokerDay(day: number): void {
    const { rnd, prod } = this;
    if (isWeekend(day) || !rnd.chance(0.7)) return;
    let t = day + (rnd.int(8, 17) * 60 + rnd.int(0, 59)) * MINUTE_MS;
    const broker = this.userActor(prod, OPS_PORTAL.userName, OPS_PORTAL.ip, fixedAgent(BOTO3_LAMBDA_UA), "TLSv1.3");
    const name = OPS_PORTAL.federatedUser;
    const arn = `arn:aws:sts::${prod.id}:federated-user/${name}`;
    this.call(broker, this.where(prod, "us-east-1", t), {
      ...simple("sts", "GetFederationToken", { name, durationSeconds: 3600, policyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }] }, true, {
        credentials: { accessKeyId: sessionKeyOf(`${arn}:${t}`), expiration: awsResponseDate(t + HOUR_MS) },
        federatedUser: { federatedUserId: `${prod.id}:${name}`, arn },
        packedPolicySize: 6,
      }),
    });
    const created = t;
    const federated: Actor = {
      userIdentity: {
        type: "FederatedUser",
        principalId: `${prod.id}:${name}`,
        arn,
        accountId: prod.id,
        accessKeyId: sessionKeyOf(`${arn}:${created}`),
        sessionContext: {
          sessionIssuer: { type: "IAMUser", principalId: principalIdOf(prod, "user", OPS_PORTAL.userName), arn: `arn:aws:iam::${prod.id}:user/${OPS_PORTAL.userName}`, accountId: prod.id, userName: OPS_PORTAL.userName },
          webIdFederationData: {},
          attributes: { creationDate: isoSeconds(created), mfaAuthenticated: "false" },
        },
      },
      arn,
      sourceIPAddress: OPS_PORTAL.ip,
      agent: fixedAgent(BOTO3_LAMBDA_UA),
      tls: "TLSv1.3",
      console: false,
    };
    t += rnd.int(1, 3) * SECOND_MS;
    this.emit({
      source: "signin.amazonaws.com",
      name: "GetSigninToken",
      readOnly: false,
      request: null,
      response: { GetSigninToken: "Success" },
      additional: { MobileVersion: "No" },
      eventType: "AwsConsoleSignIn",
      actor: federated,
      account: prod,
      region: "us-east-1",
      time: t,
    });
    t += rnd.int(2, 8) * SECOND_MS;
    const browser = rnd.pick(DEMO_HUMANS).browser;
    this.emit({
      source: "signin.amazonaws.com",
      name: "ConsoleLogin",
      readOnly: false,
      request: null,
      response: { ConsoleLogin: "Success" },
      additional: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" },
      eventType: "AwsConsoleSignIn",
      actor: { ...federated, sourceIPAddress: rnd.pick(OFFICE_IPS), agent: fixedAgent(browser) },
      account: prod,
      region: "us-east-1",
      time: t,
    });
  }

  // ---- people -------------------------------------------------------------------------------

  /** One person's working day in one account: maybe a console sign-in, then a mix of console and CLI calls. */
  private humanDay(account: DemoAccount, human: DemoHuman, day: number): void {
    const { rnd } = this;
    const weekend = isWeekend(day);
    const presence = weekend ? 0.04 : human.presence * (account.name === "prod" ? 0.55 : 0.75);
    if (!rnd.chance(presence)) return;
    const start = day + (human.shiftStart * 60 + rnd.int(0, 90)) * MINUTE_MS;
    const length = rnd.int(5, 9) * HOUR_MS;
    const ip = weekend || rnd.chance(0.35) ? (rnd.chance(0.04) ? HOTEL_IP : rnd.chance(0.2) ? VPN_IP : human.homeIp) : rnd.pick(OFFICE_IPS);
    const region: DemoRegion = rnd.chance(0.75) ? "us-east-1" : "eu-west-1";
    const usesConsole = rnd.chance(0.75);

    let consoleActor: Actor | null = null;
    if (usesConsole) {
      // A mistyped password now and then: a single failure right before the success.
      if (rnd.chance(0.04)) this.consoleLogin(account, { human }, start - rnd.int(20, 60) * SECOND_MS, ip, human.browser, false, false);
      this.consoleLogin(account, { human }, start, ip, human.browser, true, human.mfa);
      const consoleAgent = (): ((source: string, name: string) => string) => {
        const agent = rnd.pick(CONSOLE_AGENTS);
        return () => agent;
      };
      if (account.name === "staging" && human.admin && rnd.chance(0.5)) {
        // Admins switch into the organisation's admin role for staging changes.
        const switched = start + rnd.int(20, 100) * SECOND_MS;
        consoleActor = this.roleActor(account, roleOf("admin-switch"), human.userName, switched, {
          ip,
          agent: consoleAgent(),
          tls: null,
          mfa: human.mfa,
          console: true,
        });
      } else {
        consoleActor = this.userActor(account, human.userName, ip, consoleAgent(), null, { loginAt: start, mfa: human.mfa });
      }
    }

    // In prod, non-admins work through a read-only role assumed with MFA from the CLI. The
    // session lasts an hour, so the CLI assumes the role again in every hour it is used.
    const readOnlyRole = account.name === "prod" && !human.admin;
    const firstAssume = start + rnd.int(10, 90) * SECOND_MS;
    const roleSessions = new Map<number, Actor>();
    const cliActorAt = (t: number): Actor => {
      if (!readOnlyRole) return this.userActor(account, human.userName, ip, cliAgent(human.cli), "TLSv1.3");
      const index = Math.floor((t - firstAssume) / HOUR_MS);
      const existing = roleSessions.get(index);
      if (existing !== undefined) return existing;
      const assumedAt = firstAssume + index * HOUR_MS;
      const session = this.assumeReadOnly(account, human, ip, region, assumedAt);
      roleSessions.set(index, session);
      return session;
    };

    // Work begins once signed in (and after the first AssumeRole).
    const workStart = start + 2 * MINUTE_MS;
    for (let i = rnd.count(human.admin ? 46 : 38); i > 0; i -= 1) {
      const t = workStart + Math.floor((rnd.next() * length) / SECOND_MS) * SECOND_MS;
      const viaConsole = consoleActor !== null && rnd.chance(0.6);
      const actor = viaConsole && consoleActor !== null ? consoleActor : cliActorAt(t);
      const w = this.where(account, rnd.chance(0.85) ? region : region === "us-east-1" ? "eu-west-1" : "us-east-1", t);
      this.humanCall(actor, w, readOnlyRole && !viaConsole);
    }
  }

  /** sts:AssumeRole of developer-readonly by a person (with MFA); returns the session's actor. */
  private assumeReadOnly(account: DemoAccount, human: DemoHuman, ip: string, region: DemoRegion, assumedAt: number): Actor {
    const userActor = this.userActor(account, human.userName, ip, cliAgent(human.cli), "TLSv1.3");
    const role = roleOf("readonly");
    const arn = roleArn(account, role);
    this.call(userActor, this.where(account, region, assumedAt), {
      // The role's trust policy requires sts:SourceIdentity, so every session names the person behind it.
      ...simple("sts", "AssumeRole", { roleArn: arn, roleSessionName: human.userName, durationSeconds: 3600, serialNumber: `arn:aws:iam::${account.id}:mfa/${human.userName}`, sourceIdentity: human.userName }, true, {
        credentials: { accessKeyId: sessionKeyOf(`${arn}:${human.userName}:${assumedAt}`), expiration: awsResponseDate(assumedAt + HOUR_MS) },
        assumedRoleUser: {
          assumedRoleId: `${principalIdOf(account, "role", role.name)}:${human.userName}`,
          arn: `arn:aws:sts::${account.id}:assumed-role/${role.name}/${human.userName}`,
        },
        sourceIdentity: human.userName,
      }),
      resources: [{ accountId: account.id, type: "AWS::IAM::Role", ARN: arn }],
    });
    return this.roleActor(account, role, human.userName, assumedAt, { ip, agent: cliAgent(human.cli), tls: "TLSv1.3", mfa: true, sourceIdentity: human.userName });
  }

  private humanCall(actor: Actor, w: Where, readOnlyRole: boolean): void {
    const { rnd } = this;
    const kind = rnd.weighted([
      ["read", 72],
      ["s3", 10],
      ["write", 9],
      ["mistake", 9],
    ] as const);
    if (kind === "read") {
      const spec = READS[rnd.pick(HUMAN_READS)]?.(w, rnd);
      if (spec !== undefined) this.call(actor, w, spec);
      return;
    }
    if (kind === "s3") {
      const get = rnd.chance(0.8);
      const key = get ? `exports/report-${ymd(w.time - DAY_MS, "-")}.csv.gz` : `manual/${rnd.hex(8)}.json`;
      const denied = !get && readOnlyRole;
      this.call(actor, w, this.s3Object(w, get ? "GetObject" : "PutObject", w.res.appBucket, key, rnd.int(10_000, 2_000_000)), {
        error: denied ? { code: "AccessDenied", message: "Access Denied" } : undefined,
      });
      return;
    }
    if (kind === "write") {
      const instance = rnd.pick(w.vpc.enis.filter((e) => e.instanceId !== null)).instanceId ?? "i-unknown";
      const choice = rnd.pick(["CreateTags", "RebootInstances", "PutParameter", "UpdateFunctionConfiguration"] as const);
      if (choice === "CreateTags" || choice === "RebootInstances") {
        const action = `ec2:${choice}`;
        const spec =
          choice === "CreateTags"
            ? ec2("CreateTags", { resourcesSet: { items: [{ resourceId: instance }] }, tagSet: { items: [{ key: "Owner", value: "platform" }] } }, false, { requestId: rnd.uuid(), _return: true })
            : ec2("RebootInstances", { instancesSet: { items: [{ instanceId: instance }] } }, false, { requestId: rnd.uuid(), _return: true });
        this.call(actor, w, spec, {
          error: readOnlyRole
            ? {
                code: "Client.UnauthorizedOperation",
                message: `You are not authorized to perform this operation. User: ${actor.arn} is not authorized to perform: ${action} on resource: arn:aws:ec2:${w.region}:${w.account.id}:instance/${instance} because no identity-based policy allows the ${action} action. Encoded authorization failure message: ${rnd.string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 180)}`,
              }
            : undefined,
        });
      } else if (choice === "PutParameter") {
        const name = `/${w.account.name}/api/feature-flags`;
        this.call(actor, w, simple("ssm", "PutParameter", { name, type: "String", overwrite: true }, false, { version: rnd.int(2, 90), tier: "Standard" }), {
          error: readOnlyRole ? this.accessDeniedException(actor, "ssm:PutParameter", `arn:aws:ssm:${w.region}:${w.account.id}:parameter${name}`) : undefined,
        });
      } else {
        const fn = rnd.pick(w.res.lambdaFunctions);
        this.call(actor, w, simple("lambda", "UpdateFunctionConfiguration20150331v2", { functionName: fn, timeout: rnd.pick([30, 60, 120]) }, false, { functionName: fn, lastUpdateStatus: "InProgress" }), {
          error: readOnlyRole ? this.accessDeniedException(actor, "lambda:UpdateFunctionConfiguration", `arn:aws:lambda:${w.region}:${w.account.id}:function:${fn}`) : undefined,
        });
      }
      return;
    }
    // Everyday mistakes: names that do not exist, secrets a role may not read.
    const mistake = rnd.pick(["missing-user", "missing-role", "secret", "finance"] as const);
    if (mistake === "missing-user") {
      const userName = rnd.pick(["j.doe", "contractor-2023", "alice.n"]);
      this.call(actor, w, iam("GetUser", { userName }), { error: { code: "NoSuchEntityException", message: `The user with name ${userName} cannot be found.` } });
    } else if (mistake === "missing-role") {
      const roleName = rnd.pick(["lambda-legacy-role", "app-api-role", "ReadOnly"]);
      this.call(actor, w, iam("GetRole", { roleName }), { error: { code: "NoSuchEntityException", message: `The role with name ${roleName} cannot be found.` } });
    } else if (mistake === "finance") {
      // The finance prefix is locked down by bucket policy, whoever asks.
      const key = `finance/payroll-${ymd(w.time - 30 * DAY_MS, "-").slice(0, 7)}.xlsx`;
      this.call(actor, w, this.s3Object(w, "GetObject", w.res.appBucket, key, 0), { error: { code: "AccessDenied", message: "Access Denied" } });
    } else {
      const name = `/${w.account.name}/db/password`;
      this.call(actor, w, simple("ssm", "GetParameter", { name, withDecryption: true }), {
        error: this.accessDeniedException(actor, "ssm:GetParameter", `arn:aws:ssm:${w.region}:${w.account.id}:parameter${name}`),
      });
    }
  }

  private accessDeniedException(actor: Actor, action: string, resource: string): CallError {
    return {
      code: "AccessDeniedException",
      message: `User: ${actor.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    };
  }

  /**
   * A console sign-in (global service event, recorded in us-east-1), in the shape of
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
   */
  private consoleLogin(
    account: DemoAccount,
    who: { human: DemoHuman } | { root: true },
    time: number,
    ip: string,
    browser: string,
    success: boolean,
    mfaUsed: boolean,
  ): void {
    let userIdentity: Record<string, unknown>;
    let mfaIdentifier: string;
    if ("root" in who) {
      userIdentity = { type: "Root", principalId: account.id, arn: `arn:aws:iam::${account.id}:root`, accountId: account.id, accessKeyId: "" };
      mfaIdentifier = `arn:aws:iam::${account.id}:mfa/root-account-mfa-device`;
    } else {
      const userName = who.human.userName;
      const principalId = principalIdOf(account, "user", userName);
      // A failed sign-in has no session yet: AWS leaves out the ARN and writes an empty key id.
      userIdentity = success
        ? { type: "IAMUser", principalId, arn: `arn:aws:iam::${account.id}:user/${userName}`, accountId: account.id, userName }
        : { type: "IAMUser", principalId, accountId: account.id, accessKeyId: "", userName };
      mfaIdentifier = `arn:aws:iam::${account.id}:mfa/${userName}`;
    }
    const additional: Record<string, unknown> = {
      LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_${this.rnd.hex(16)}`,
      MobileVersion: "No",
      MFAUsed: success && mfaUsed ? "Yes" : "No",
    };
    if (success && mfaUsed) additional.MFAIdentifier = mfaIdentifier;
    this.emit({
      source: "signin.amazonaws.com",
      name: "ConsoleLogin",
      readOnly: false,
      request: null,
      response: { ConsoleLogin: success ? "Success" : "Failure" },
      additional,
      error: success ? undefined : { message: "Failed authentication" },
      eventType: "AwsConsoleSignIn",
      actor: { userIdentity, arn: "", sourceIPAddress: ip, agent: fixedAgent(browser), tls: "TLSv1.3", console: false },
      account,
      region: "us-east-1",
      time,
    });
  }

  // ---- the week's stories -------------------------------------------------------------------

  private scenarios(): void {
    const { rnd, timeline: tl, prod, staging } = this;
    const human = (name: string): DemoHuman => {
      const found = DEMO_HUMANS.find((h) => h.userName === name);
      if (found === undefined) throw new Error(`no demo human ${name}`);
      return found;
    };
    const alice = human("alice.nguyen");
    const hiro = human("hiro.tanaka");
    const okafor = human("m.okafor");
    const legacy = human("legacy.admin");
    const bogdan = human("bogdan.petrov");
    const grace = human("grace.kim");
    const ines = human("ines.moreau");
    const terraform = AUTOMATION_USERS.terraform;
    const tfActor = (account: DemoAccount) => this.userActor(account, terraform.userName, terraform.ip, (source) => terraformUserAgent(source.split(".")[0] ?? source), "TLSv1.3");
    const consoleOf = (account: DemoAccount, h: DemoHuman, loginAt: number, ip: string) =>
      this.userActor(account, h.userName, ip, fixedAgent("AWS Internal"), null, { loginAt, mfa: h.mfa });
    const cliOf = (account: DemoAccount, h: DemoHuman, ip: string) => this.userActor(account, h.userName, ip, cliAgent(h.cli), "TLSv1.3");
    const w = (account: DemoAccount, region: DemoRegion, time: number) => this.where(account, region, time);
    const sgRule = (groupId: string, port: number, cidr: string, description: string) => ({
      groupId,
      ipPermissions: {
        items: [{ ipProtocol: "tcp", fromPort: port, toPort: port, groups: {}, ipRanges: { items: [{ cidrIp: cidr, description }] }, ipv6Ranges: {}, prefixListIds: {} }],
      },
    });
    const sgResponse = (account: DemoAccount, region: DemoRegion, groupId: string, port: number, cidr: string) => {
      const ruleId = `sgr-${rnd.hex(17)}`;
      return {
        requestId: rnd.uuid(),
        _return: true,
        securityGroupRuleSet: {
          items: [
            {
              groupOwnerId: account.id,
              groupId,
              securityGroupRuleId: ruleId,
              securityGroupRuleArn: `arn:aws:ec2:${region}:${account.id}:security-group-rule/${ruleId}`,
              isEgress: false,
              ipProtocol: "tcp",
              fromPort: port,
              toPort: port,
              cidrIpv4: cidr,
            },
          ],
        },
      };
    };
    const policyDocument = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

    // Day 1, staging: a routine terraform apply.
    {
      const account = staging;
      let t = tl.terraformApply;
      const vpc = demoVpc(account, "us-east-1");
      const tf = tfActor(account);
      this.call(tf, w(account, "us-east-1", t), ec2("AuthorizeSecurityGroupIngress", sgRule(vpc.webSecurityGroupId, 443, "203.0.113.0/24", "office"), false, sgResponse(account, "us-east-1", vpc.webSecurityGroupId, 443, "203.0.113.0/24")));
      t += 4 * SECOND_MS;
      this.call(tf, w(account, "us-east-1", t), iam("PutRolePolicy", {
        roleName: "app-api-task-role",
        policyName: "s3-uploads-access",
        policyDocument: policyDocument({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:aws:s3:::examplecorp-${account.name}-uploads/*` }),
      }, false));
      t += 2 * SECOND_MS;
      this.call(tf, w(account, "us-east-1", t), ec2("CreateTags", { resourcesSet: { items: [{ resourceId: vpc.webSecurityGroupId }] }, tagSet: { items: [{ key: "ManagedBy", value: "terraform" }] } }, false, { requestId: rnd.uuid(), _return: true }));
      // A network ACL entry refusing RDP from anywhere on the public subnets.
      t += 3 * SECOND_MS;
      this.call(tf, w(account, "us-east-1", t), ec2("CreateNetworkAclEntry", {
        networkAclId: `acl-${rnd.hex(17)}`,
        ruleNumber: 90,
        egress: false,
        ruleAction: "deny",
        protocol: "6",
        portRange: { from: 3389, to: 3389 },
        cidrBlock: "0.0.0.0/0",
      }, false, { requestId: rnd.uuid(), _return: true }));
    }

    // Day 1, staging eu-west-1: hiro signs in without MFA and opens SSH to the world "for a quick debug"…
    {
      const account = staging;
      const ip = OFFICE_IPS[1];
      this.consoleLogin(account, { human: hiro }, tl.sshOpenLogin, ip, hiro.browser, true, false);
      const actor = consoleOf(account, hiro, tl.sshOpenLogin, ip);
      const vpc = demoVpc(account, "eu-west-1");
      this.call(actor, w(account, "eu-west-1", tl.sshOpened - 40 * SECOND_MS), READS.DescribeSecurityGroups!(w(account, "eu-west-1", 0), rnd));
      this.call(
        actor,
        w(account, "eu-west-1", tl.sshOpened),
        ec2("AuthorizeSecurityGroupIngress", sgRule(vpc.bastionSecurityGroupId, 22, "0.0.0.0/0", "temp debug"), false, sgResponse(account, "eu-west-1", vpc.bastionSecurityGroupId, 22, "0.0.0.0/0")),
      );
      // …and terraform puts it back at the evening run.
      this.call(
        tfActor(account),
        w(account, "eu-west-1", tl.sshClosed),
        ec2("RevokeSecurityGroupIngress", sgRule(vpc.bastionSecurityGroupId, 22, "0.0.0.0/0", "temp debug"), false, { requestId: rnd.uuid(), _return: true }),
      );
    }

    // Day 1, staging: alice creates a CI user for preview environments.
    {
      const account = staging;
      const ip = OFFICE_IPS[0];
      this.consoleLogin(account, { human: alice }, tl.ciPreviewUser - 3 * MINUTE_MS, ip, alice.browser, true, true);
      const actor = consoleOf(account, alice, tl.ciPreviewUser - 3 * MINUTE_MS, ip);
      this.call(actor, w(account, "us-east-1", tl.ciPreviewUser), this.createUser(account, "ci-preview", tl.ciPreviewUser));
      this.call(actor, w(account, "us-east-1", tl.ciPreviewUser + 50 * SECOND_MS), this.createAccessKey("ci-preview", tl.ciPreviewUser + 50 * SECOND_MS));
    }

    // Day 2, prod: password guessing against m.okafor from abroad — a burst of failures, no success.
    {
      const bot = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/123.0.6312.58 Safari/537.36";
      let t = tl.bruteForce;
      for (let i = rnd.int(24, 32); i > 0; i -= 1) {
        this.consoleLogin(prod, { human: okafor }, t, FOREIGN_IPS.bruteForce, bot, false, false);
        t += rnd.int(8, 30) * SECOND_MS;
      }
    }

    // Day 2, prod: bogdan opens the website assets bucket to the world: Block Public Access off, a public-read policy.
    {
      const ip = OFFICE_IPS[0];
      const loginAt = tl.publicAssetsOpened - 4 * MINUTE_MS;
      this.consoleLogin(prod, { human: bogdan }, loginAt, ip, bogdan.browser, true, true);
      const actor = consoleOf(prod, bogdan, loginAt, ip);
      const bucket = demoResources(prod, "us-east-1").publicAssetsBucket ?? "examplecorp-prod-public-assets";
      const where = w(prod, "us-east-1", tl.publicAssetsOpened);
      const bucketResource = [{ accountId: prod.id, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` }];
      this.call(actor, where, {
        source: "s3.amazonaws.com",
        name: "PutBucketPublicAccessBlock",
        readOnly: false,
        bucket,
        request: {
          publicAccessBlock: "",
          bucketName: bucket,
          PublicAccessBlockConfiguration: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/", BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
          Host: s3Host(bucket, "us-east-1"),
        },
        resources: bucketResource,
      });
      this.call(actor, w(prod, "us-east-1", tl.publicAssetsOpened + 45 * SECOND_MS), {
        source: "s3.amazonaws.com",
        name: "PutBucketPolicy",
        readOnly: false,
        bucket,
        request: {
          bucketPolicy: { Version: "2012-10-17", Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }] },
          bucketName: bucket,
          Host: s3Host(bucket, "us-east-1"),
          policy: "",
        },
        resources: bucketResource,
      });
    }

    // Day 2, prod: bogdan rotates his access key (one retry hits a key that is already gone).
    {
      const ip = OFFICE_IPS[0];
      const actor = cliOf(prod, bogdan, ip);
      const oldKey = `AKIA${rnd.string(UPPER_ALNUM, 16)}`;
      this.call(actor, w(prod, "us-east-1", tl.keyRotation), READS.ListAccessKeys!(w(prod, "us-east-1", 0), rnd));
      this.call(actor, w(prod, "us-east-1", tl.keyRotation + 30 * SECOND_MS), this.createAccessKey(bogdan.userName, tl.keyRotation + 30 * SECOND_MS));
      const deleted = tl.keyRotation + 9 * MINUTE_MS;
      this.call(actor, w(prod, "us-east-1", deleted), iam("DeleteAccessKey", { userName: bogdan.userName, accessKeyId: oldKey }, false));
      this.call(actor, w(prod, "us-east-1", deleted + 12 * SECOND_MS), iam("DeleteAccessKey", { userName: bogdan.userName, accessKeyId: oldKey }, false), {
        error: { code: "NoSuchEntityException", message: `The Access Key with id ${oldKey} cannot be found.` },
      });
    }

    // Day 2, prod: terraform enables log file validation on the trail.
    {
      const res = demoResources(prod, "us-east-1");
      this.call(tfActor(prod), w(prod, "us-east-1", tl.updateTrail), simple("cloudtrail", "UpdateTrail", { name: res.trailArn, enableLogFileValidation: true }, false, {
        name: "examplecorp-trail",
        s3BucketName: res.trailBucket,
        includeGlobalServiceEvents: true,
        isMultiRegionTrail: true,
        trailARN: res.trailArn,
        logFileValidationEnabled: true,
        isOrganizationTrail: false,
      }));
    }

    // Day 3, prod: KMS rotates the app key by itself (AwsServiceEvent, shape from AWS's non-API events page).
    {
      const res = demoResources(prod, "us-east-1");
      this.emit({
        source: "kms.amazonaws.com",
        name: "RotateKey",
        readOnly: false,
        request: null,
        response: null,
        resources: [{ ARN: res.kmsKeyArn, accountId: prod.id, type: "AWS::KMS::Key" }],
        eventType: "AwsServiceEvent",
        serviceEventDetails: { keyId: res.kmsKeyId },
        actor: { userIdentity: { accountId: prod.id, invokedBy: "AWS Internal" }, arn: "", sourceIPAddress: "AWS Internal", agent: fixedAgent("AWS Internal"), tls: null, console: false },
        account: prod,
        region: "us-east-1",
        time: tl.rotateKey,
      });
    }

    // Day 3, prod: terraform adds an inline policy to the app role.
    this.call(tfActor(prod), w(prod, "us-east-1", tl.putRolePolicy), iam("PutRolePolicy", {
      roleName: "app-api-task-role",
      policyName: "kms-decrypt",
      policyDocument: policyDocument({ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: demoResources(prod, "us-east-1").kmsKeyArn }),
    }, false));

    // Day 3→4, prod: legacy.admin's key is used from abroad to stop the trail; on-call alice restarts it.
    {
      const res = demoResources(prod, "us-east-1");
      const actor = cliOf(prod, legacy, FOREIGN_IPS.stopLogging);
      const t = tl.stopLogging;
      this.call(actor, w(prod, "us-east-1", t - 95 * SECOND_MS), simple("sts", "GetCallerIdentity"));
      this.call(actor, w(prod, "us-east-1", t - 50 * SECOND_MS), READS.DescribeTrails!(w(prod, "us-east-1", 0), rnd));
      this.call(actor, w(prod, "us-east-1", t), simple("cloudtrail", "StopLogging", { name: res.trailArn }, false), { survivesGap: true });
      const responder = cliOf(prod, alice, alice.homeIp);
      this.call(responder, w(prod, "us-east-1", tl.startLogging), simple("cloudtrail", "StartLogging", { name: res.trailArn }, false), { survivesGap: true });
      this.call(responder, w(prod, "us-east-1", tl.startLogging + 20 * SECOND_MS), READS.GetTrailStatus!(w(prod, "us-east-1", 0), rnd));
    }

    // Day 4, prod: legacy.admin (no MFA) creates an administrator user with an access key.
    {
      const ip = OFFICE_IPS[0];
      const loginAt = tl.backdoorUser - 7 * MINUTE_MS;
      this.consoleLogin(prod, { human: legacy }, loginAt, ip, legacy.browser, true, false);
      const actor = consoleOf(prod, legacy, loginAt, ip);
      const t = tl.backdoorUser;
      this.call(actor, w(prod, "us-east-1", t), this.createUser(prod, "svc-reporting", t));
      this.call(actor, w(prod, "us-east-1", t + 70 * SECOND_MS), this.createAccessKey("svc-reporting", t + 70 * SECOND_MS));
      this.call(actor, w(prod, "us-east-1", t + 2 * MINUTE_MS), iam("AttachUserPolicy", { userName: "svc-reporting", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, false));
    }

    // Day 4, prod: alice responds to the backdoor. From her user she assumes the organisation's admin role
    // with her name as source identity, chains into the audit role to sweep IAM, then, back in the admin
    // role, detaches AdministratorAccess and deletes svc-reporting's key and the user.
    {
      const ip = alice.homeIp;
      let t = tl.incidentResponse;
      const user = cliOf(prod, alice, ip);
      const admin = roleOf("admin-switch");
      const audit = roleOf("scanner");
      const assume = (caller: Actor, role: DemoRole, session: string, at: number, sourceIdentity: string | undefined) => {
        const arn = roleArn(prod, role);
        this.call(caller, w(prod, "us-east-1", at), {
          ...simple("sts", "AssumeRole", { roleArn: arn, roleSessionName: session, durationSeconds: 3600, ...(sourceIdentity ? { sourceIdentity } : {}) }, true, {
            credentials: { accessKeyId: sessionKeyOf(`${arn}:${session}:${at}`), expiration: awsResponseDate(at + HOUR_MS) },
            assumedRoleUser: { assumedRoleId: `${principalIdOf(prod, "role", role.name)}:${session}`, arn: `arn:aws:sts::${prod.id}:assumed-role/${role.name}/${session}` },
            sourceIdentity: alice.userName,
          }),
          resources: [{ accountId: prod.id, type: "AWS::IAM::Role", ARN: arn }],
        });
        return this.roleActor(prod, role, session, at, { ip, agent: cliAgent(alice.cli), tls: "TLSv1.3", mfa: true, sourceIdentity: alice.userName });
      };
      const adminSession = assume(user, admin, "alice-incident", t, alice.userName);
      t += 40 * SECOND_MS;
      // Role chaining: the source identity carries over without being asked for again.
      const auditSession = assume(adminSession, audit, "alice-incident-sweep", t, undefined);
      for (const spec of [iam("ListUsers"), iam("ListAccessKeys", { userName: "svc-reporting" }), iam("ListAttachedUserPolicies", { userName: "svc-reporting" })]) {
        t += rnd.int(3, 20) * SECOND_MS;
        this.call(auditSession, w(prod, "us-east-1", t), spec);
      }
      t += rnd.int(60, 180) * SECOND_MS;
      this.call(adminSession, w(prod, "us-east-1", t), iam("DetachUserPolicy", { userName: "svc-reporting", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, false));
      t += rnd.int(5, 20) * SECOND_MS;
      this.call(adminSession, w(prod, "us-east-1", t), iam("DeleteAccessKey", { userName: "svc-reporting", accessKeyId: `AKIA${rnd.string(UPPER_ALNUM, 16)}` }, false));
      t += rnd.int(5, 20) * SECOND_MS;
      this.call(adminSession, w(prod, "us-east-1", t), iam("DeleteUser", { userName: "svc-reporting" }, false));
    }

    // Day 5, prod: the root user signs in (with MFA) and looks at the account.
    {
      const ip = OFFICE_IPS[1];
      const t = tl.rootLogin;
      this.consoleLogin(prod, { root: true }, t, ip, alice.browser, true, true);
      const root: Actor = {
        userIdentity: {
          type: "Root",
          principalId: prod.id,
          arn: `arn:aws:iam::${prod.id}:root`,
          accountId: prod.id,
          accessKeyId: sessionKeyOf(`root:${prod.id}:${t}`),
          sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: isoSeconds(t), mfaAuthenticated: "true" } },
        },
        arn: `arn:aws:iam::${prod.id}:root`,
        sourceIPAddress: ip,
        agent: fixedAgent("AWS Internal"),
        tls: null,
        console: true,
      };
      this.call(root, w(prod, "us-east-1", t + 2 * MINUTE_MS), iam("GetAccountSummary"));
      this.call(root, w(prod, "us-east-1", t + 3 * MINUTE_MS), iam("ListAccountAliases"));
      this.call(root, w(prod, "us-east-1", t + 4 * MINUTE_MS), READS.ListMFADevices!(w(prod, "us-east-1", 0), rnd));
    }

    // Day 5, staging: terraform widens the deploy role's trust policy.
    {
      const tf = tfActor(staging);
      const t = tl.trustPolicyChange;
      this.call(tf, w(staging, "us-east-1", t), iam("UpdateAssumeRolePolicy", {
        roleName: "GitHubActionsDeployRole",
        policyDocument: policyDocument({
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${staging.id}:oidc-provider/token.actions.githubusercontent.com` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:examplecorp/*" } },
        }),
      }, false));
      this.call(tf, w(staging, "us-east-1", t + 3 * SECOND_MS), iam("PutRolePolicy", {
        roleName: "GitHubActionsDeployRole",
        policyName: "deploy",
        policyDocument: policyDocument({ Effect: "Allow", Action: ["ecs:UpdateService", "ecs:RegisterTaskDefinition", "lambda:UpdateFunctionCode"], Resource: "*" }),
      }, false));
    }

    // Day 5, staging: grace retires an old KMS key.
    {
      const res = demoResources(staging, "us-east-1");
      const actor = cliOf(staging, grace, grace.homeIp);
      const t = tl.keyDeletion;
      const where = w(staging, "us-east-1", t);
      this.call(actor, where, { ...simple("kms", "DisableKey", { keyId: res.retiredKmsKeyArn }, false), resources: [kmsResource(where, res.retiredKmsKeyArn)] });
      this.call(actor, w(staging, "us-east-1", t + 40 * SECOND_MS), {
        ...simple("kms", "ScheduleKeyDeletion", { keyId: res.retiredKmsKeyArn, pendingWindowInDays: 7 }, false, {
          keyId: res.retiredKmsKeyArn,
          deletionDate: awsResponseDate(t + 7 * DAY_MS),
          keyState: "PendingDeletion",
          pendingWindowInDays: 7,
        }),
        resources: [kmsResource(where, res.retiredKmsKeyArn)],
      });
    }

    // Day 6, staging: ines cleans up the preview CI user.
    {
      const actor = cliOf(staging, ines, OFFICE_IPS[0]);
      const t = tl.ciPreviewCleanup;
      this.call(actor, w(staging, "us-east-1", t), iam("DeleteAccessKey", { userName: "ci-preview", accessKeyId: accessKeyOf(staging, "ci-preview") }, false));
      this.call(actor, w(staging, "us-east-1", t + 15 * SECOND_MS), iam("DeleteUser", { userName: "ci-preview" }, false));
    }
  }

  private createUser(account: DemoAccount, userName: string, time: number): ApiSpec {
    return iam("CreateUser", { userName }, false, {
      user: {
        path: "/",
        userName,
        userId: principalIdOf(account, "user", userName),
        arn: `arn:aws:iam::${account.id}:user/${userName}`,
        createDate: awsResponseDate(time),
      },
    });
  }

  private createAccessKey(userName: string, time: number): ApiSpec {
    return iam("CreateAccessKey", { userName }, false, {
      accessKey: { userName, accessKeyId: `AKIA${this.rnd.string(UPPER_ALNUM, 16)}`, status: "Active", createDate: awsResponseDate(time) },
    });
  }
}

/** The TLS host a client names: bucket virtual host for S3, the global endpoint for IAM and sign-in, else the regional endpoint. */
function tlsHost(source: string, region: string, bucket: string | undefined): string {
  if (bucket !== undefined) return s3Host(bucket, region);
  const prefix = source.replace(".amazonaws.com", "");
  if (prefix === "iam") return "iam.amazonaws.com";
  if (prefix === "signin") return "signin.aws.amazon.com";
  return `${prefix}.${region}.amazonaws.com`;
}
