// The XSS corpus: payloads in every attacker-controlled field of ingested CloudTrail events and VPC
// flow records (and in the S3 keys of the delivered files, and in records the parsers refuse), delivered
// by e2e/stack.ts through S3 + SQS like every other object; e2e/xss-corpus.spec.ts visits every page that
// can show them. Every payload, if it ever ran or became markup, calls `__xss("<id>")` (installed by the
// spec before any page script) or creates an element the spec looks for (`[data-xss]`, `<xss-marker>`).
// Known stored-XSS classes of log viewers: Kibana ESA-2017-08, CVE-2022-23707; Grafana CVE-2023-0594.
import { gzipSync } from "node:zlib";

/** Payloads for fields that may hold any text (CloudTrail JSON strings). */
export const XSS_PAYLOADS = [
  `<script>__xss("script")</script>`,
  `<img src=x onerror="__xss('img')" data-xss="img">`,
  `<svg onload="__xss('svg')" data-xss="svg"><xss-marker></xss-marker></svg>`,
  `"><xss-marker data-xss="attr" autofocus tabindex=1 onfocus="__xss('attr')">`,
  `'><details open ontoggle="__xss('details')" data-xss="details">x</details>`,
  `javascript:__xss('js-url')`,
  `\tJaVaScRiPt:__xss('js-url-case')`,
  `<a href="javascript:__xss('anchor')" data-xss="anchor">open</a>`,
  `<iframe srcdoc="<script>parent.__xss('srcdoc')</script>" data-xss="iframe"></iframe>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="__xss('mxss')" data-xss="mxss">`,
  `＜script＞__xss('fullwidth')＜/script＞`,
  `\u202e<img src=x onerror="__xss('rtl')" data-xss="rtl">`,
  `<scr\u200bipt>__xss('zwsp')</scr\u200bipt><img src=x onerror\u200b="__xss('zwsp-attr')" data-xss="zwsp">`,
  `&lt;img src=x onerror="__xss('entity')" data-xss="entity"&gt;`,
  `{{constructor.constructor('__xss("template")')()}}`,
  `data:text/html,<script>__xss('data-url')</script>`,
  `<object data="javascript:__xss('object')" data-xss="object"></object><embed src="javascript:__xss('embed')">`,
  `<base href="javascript:__xss('base')//"><form data-xss="form" action="javascript:__xss('form')"><button>go</button></form>`,
] as const;

/**
 * Payloads without spaces, for fields that are one token of a space-separated flow-log line (and for
 * S3 keys, where a `/` would start a new folder).
 */
export const XSS_TOKENS = [
  `<svg/data-xss=tok-svg/onload=__xss("tok-svg")>`,
  `<img/src=x/data-xss=tok-img/onerror=__xss("tok-img")>`,
  `javascript:__xss("tok-js")`,
  `"><xss-marker/data-xss=tok-attr>`,
  `<script>__xss("tok-script")<\/script>`,
  `'onmouseover='__xss("tok-quote")'`,
] as const;

/** `XSS_PAYLOADS[i]`, wrapping around: fields get different payloads. */
const p = (i: number): string => XSS_PAYLOADS[i % XSS_PAYLOADS.length]!;
const t = (i: number): string => XSS_TOKENS[i % XSS_TOKENS.length]!;

const ACCOUNT = "111122223333";
/** Principals and names the corpus events use (a principal that gets alerts, a role, a bucket). */
export const XSS_CORPUS = {
  account: ACCOUNT,
  /** The IAM user every corpus API call is made by: a hostile name in the ARN and userName. */
  userName: p(1),
  userArn: `arn:aws:iam::${ACCOUNT}:user/${p(1)}`,
  /** The IAM user the access key is created for (iam-access-key-created-for-another-user fires). */
  keyTarget: p(2),
  roleName: t(0),
  sessionName: p(3),
  bucket: p(4),
  objectKey: p(0),
  userAgent: p(0),
  errorMessage: p(9),
  /** The event name of the repeated call (enough copies to rank in the reports' top tables). */
  eventName: p(7),
  /** Copies of the repeated call. */
  repeatedCalls: 150,
  /** Source address of the corpus flow records (an ordinary address: the hostile text is in the other fields). */
  flowSrcaddr: "198.51.100.250",
  /** interface-id of the corpus flow records: bytes enough to lead the per-interface table. */
  interfaceId: t(1),
  vpcId: t(0),
  /** The S3 keys of the two delivered files carry payloads too (the ledger and ingest pages show keys). */
  cloudTrailKey: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/04/${ACCOUNT}_CloudTrail_us-east-1_${t(1)}.json.gz`,
  flowKey: `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/2026/12/04/${ACCOUNT}_vpcflowlogs_us-east-1_fl-0xss_${t(0)}.log`,
  /** Event IDs of the distinct corpus events (each has its own event page). */
  eventIds: ["xss-corpus-api", "xss-corpus-s3", "xss-corpus-assume-role", "xss-corpus-session", "xss-corpus-login", "xss-corpus-key", "xss-corpus-sg", "xss-corpus-denied"],
  /** Every corpus event ID starts with this (`f.eventID=xss-corpus-*` finds them all). */
  eventIdPrefix: "xss-corpus-",
} as const;

/** Stored CloudTrail records the corpus file holds (the rejected one is not stored). */
export const XSS_CORPUS_CLOUDTRAIL_RECORDS = XSS_CORPUS.eventIds.length + XSS_CORPUS.repeatedCalls;
/** Stored flow records of the corpus flow file (its last line is rejected). */
export const XSS_CORPUS_FLOW_RECORDS = 3;

type DeliveredObject = { key: string; body: Buffer; kind: "cloudtrail" | "vpcflow"; records: number };

/**
 * The corpus as two S3 objects, times `minutes` before `end`: a CloudTrail file (every string field of
 * every identity type, request and response, resources, error text; one record without an eventID the
 * parser rejects) and a custom-format flow-log file (every text field; one malformed line).
 */
export function xssCorpusObjects(end: Date): DeliveredObject[] {
  const c = XSS_CORPUS;
  const at = (minutesBefore: number) => new Date(end.getTime() - minutesBefore * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const user = { type: "IAMUser", principalId: "AIDAXSSCORPUS0000001", arn: c.userArn, accountId: ACCOUNT, accessKeyId: "AKIAXSSCORPUS0000001", userName: c.userName };
  const base = (id: string, minutesBefore: number) => ({
    eventVersion: "1.09", eventID: id, eventTime: at(minutesBefore), awsRegion: "us-east-1", recipientAccountId: ACCOUNT,
    eventType: "AwsApiCall", managementEvent: true, eventCategory: "Management", requestID: p(5), userIdentity: user,
    userAgent: c.userAgent, sourceIPAddress: "203.0.113.150", readOnly: false,
  });
  const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/${c.roleName}/${c.sessionName}`;
  const session = {
    type: "AssumedRole", principalId: `AROAXSSCORPUS:${c.sessionName}`, arn: sessionArn, accountId: ACCOUNT, accessKeyId: "ASIAXSSCORPUS0000001",
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: "AROAXSSCORPUS", arn: `arn:aws:iam::${ACCOUNT}:role/${c.roleName}`, accountId: ACCOUNT, userName: c.roleName },
      attributes: { creationDate: at(30), mfaAuthenticated: "false" }, sourceIdentity: p(6),
    },
  };
  const api = (id: string) => ({
    ...base(id, 12), eventSource: p(8), eventName: c.eventName,
    // Not an address: CloudTrail writes service names here (e.g. "cloudtrail.amazonaws.com").
    sourceIPAddress: p(10),
    requestParameters: { [p(11)]: p(12), nested: { list: [p(13), { [p(14)]: p(15) }], deeper: { value: p(16) } }, bucketName: c.bucket, key: c.objectKey },
    responseElements: { [p(17)]: p(0), result: { message: p(1) } },
    additionalEventData: { note: p(2) },
    errorCode: p(3), errorMessage: c.errorMessage,
    resources: [{ ARN: `arn:aws:s3:::${c.bucket}/${c.objectKey}`, accountId: ACCOUNT, type: p(5) }],
    tlsDetails: { clientProvidedHostHeader: p(6) },
  });
  const records: Record<string, unknown>[] = [
    api("xss-corpus-api"),
    ...Array.from({ length: c.repeatedCalls }, (_, i) => api(`xss-corpus-api-${i}`)),
    { ...base("xss-corpus-s3", 11), eventSource: "s3.amazonaws.com", eventName: "GetObject", readOnly: true, eventCategory: "Data", managementEvent: false,
      requestParameters: { bucketName: c.bucket, key: c.objectKey, Host: p(7) },
      responseElements: null, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 900000000000, SignatureVersion: p(8) },
      resources: [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${c.bucket}/${c.objectKey}` }, { accountId: ACCOUNT, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${c.bucket}` }] },
    { ...base("xss-corpus-assume-role", 10), eventSource: "sts.amazonaws.com", eventName: "AssumeRole", readOnly: true,
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${c.roleName}`, roleSessionName: c.sessionName, sourceIdentity: p(6) },
      responseElements: { credentials: { accessKeyId: session.accessKeyId, expiration: p(9) }, assumedRoleUser: { assumedRoleId: session.principalId, arn: sessionArn }, sourceIdentity: p(6) } },
    { ...base("xss-corpus-session", 9), userIdentity: session, eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances", readOnly: true,
      requestParameters: { filterSet: { items: [{ name: p(10), valueSet: { items: [{ value: p(11) }] } }] } }, responseElements: null },
    { ...base("xss-corpus-login", 8), eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", eventType: "AwsConsoleSignIn", readOnly: false,
      requestParameters: null, responseElements: { ConsoleLogin: "Success" },
      additionalEventData: { LoginTo: p(5), MobileVersion: "No", MFAUsed: "No" } },
    { ...base("xss-corpus-key", 7), eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey",
      requestParameters: { userName: c.keyTarget },
      responseElements: { accessKey: { userName: c.keyTarget, accessKeyId: "AKIAXSSCORPUS0000002", status: "Active", createDate: p(12) } } },
    { ...base("xss-corpus-sg", 6), eventSource: "ec2.amazonaws.com", eventName: "AuthorizeSecurityGroupIngress",
      requestParameters: { groupId: t(2), ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: "0.0.0.0/0", description: p(13) }] } }] } },
      responseElements: { _return: true, securityGroupRuleSet: { items: [{ groupId: t(2), description: p(14) }] } } },
    { ...base("xss-corpus-denied", 5), eventSource: "iam.amazonaws.com", eventName: "ListUsers", readOnly: true,
      errorCode: "AccessDenied", errorMessage: `User: ${c.userArn} is not authorized to perform: iam:ListUsers ${p(15)}`, requestParameters: null, responseElements: null },
    // No eventID: rejected, and shown as an excerpt on the Ingest page.
    { eventVersion: "1.09", eventTime: at(4), eventName: p(16), userAgent: p(17), recipientAccountId: ACCOUNT },
  ];
  const header = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status",
    "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "region", "az-id", "sublocation-type", "sublocation-id",
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "ecs-cluster-name", "ecs-service-name", "reject-reason",
  ];
  const startSec = Math.floor(end.getTime() / 1000) - 10 * 60;
  const line = (i: number, action: string) => [
    "8", ACCOUNT, c.interfaceId, c.flowSrcaddr, `10.0.0.${10 + i}`, String(50000 + i), "443", "6", "1000000", "900000000000", String(startSec + i), String(startSec + i + 60), action, "OK",
    c.vpcId, t(2), t(3), "2", t(4), "us-east-1", t(5), t(0), t(1), t(2), t(3), t(4), t(5), t(0), action === "REJECT" ? t(1) : "-",
  ].join(" ");
  const flowBody = [
    header.join(" "), line(0, "ACCEPT"), line(1, "REJECT"), line(2, "ACCEPT"),
    // Too few fields: rejected, and shown as an excerpt on the Ingest page.
    `8 ${ACCOUNT} ${t(3)} ${t(4)} ${XSS_PAYLOADS[1]}`,
  ].join("\n") + "\n";
  return [
    { key: c.cloudTrailKey, body: gzipSync(JSON.stringify({ Records: records })), kind: "cloudtrail", records: XSS_CORPUS_CLOUDTRAIL_RECORDS },
    { key: c.flowKey, body: Buffer.from(flowBody), kind: "vpcflow", records: XSS_CORPUS_FLOW_RECORDS },
  ];
}
