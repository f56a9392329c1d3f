import type pg from "pg";
import { SOURCE_TABLES } from "../lib/detect/compile-rule";
import { markRollupHours, refreshRollups } from "../lib/reports/rollups";
import { S3_DATA_EVENT_NAMES } from "../lib/reports/change-catalogue";

/**
 * Synthetic CloudTrail events and VPC flow records for the report-latency benchmark, written by the
 * database itself (`INSERT … SELECT FROM generate_series`, several chunks on parallel connections):
 * 10M events load in minutes where a client-side COPY of 13 GB of JSON would take far longer.
 *
 * Rows are time-ordered on disk the way ingest writes them (each chunk covers its own slice of the
 * window), with realistic cardinalities and shares (see {@link CLOUDTRAIL_CATALOGUE}): tens of
 * accounts, thousands of principals and source IPs, hundreds of event names, ~3% errors, console
 * sign-ins (10% failures), IAM changes, AssumeRole, and S3 data events (~25%). The `raw` record is
 * an AWS-shaped record (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
 * of about 1.3 KB whose fields agree with the flattened columns. Flow records follow the v2 default
 * format, every fifth object a v5 custom format with region, VPC / subnet and flow-direction
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
 *
 * Deterministic: value k of row i is a hash of (i, k), so two runs of the same size hold the same data.
 * Secondary indexes are dropped during the load and rebuilt after it (as a bulk restore would), then
 * the tables are analysed; what the design maintains beyond the rows (the hourly rollup) is built by
 * the product's own code (see `afterLoad`).
 */

export interface GenerateOptions {
  /** CloudTrail events to write. */
  events: number;
  /** Flow records to write. */
  flows: number;
  /** Length of the window, days, ending at `end`. */
  days: number;
  end: Date;
  /** Parallel connections. */
  parallel: number;
  /** Called after each chunk with a short progress line. */
  progress?: (line: string) => void;
}

export interface GenerateTimings {
  cloudtrailSeconds: number;
  flowSeconds: number;
  indexSeconds: number;
  analyzeSeconds: number;
}

// [eventSource, eventName, readOnly, weight]. Weights are relative; the tail of rare write calls gives
// the hundreds of distinct names real accounts show.
type Entry = [string, string, boolean, number];

const READ_SERVICES = ["ec2", "s3", "iam", "lambda", "rds", "dynamodb", "kms", "logs", "cloudwatch", "sts", "ecs", "eks", "sqs", "sns", "ssm", "secretsmanager", "elasticloadbalancing", "autoscaling", "route53", "cloudformation"];
const READ_VERBS = ["Describe", "List", "Get"];
const RESOURCES = ["Instances", "Volumes", "Buckets", "Policies", "Functions", "Tables", "Keys", "LogGroups", "Alarms", "Clusters", "Queues", "Topics", "Parameters", "Secrets", "Stacks", "Snapshots", "Images", "Tags"];
const WRITE_VERBS = ["Create", "Update", "Delete", "Put", "Modify", "Tag", "Untag", "Start", "Stop"];

/** The event-name catalogue with weights (≈ 400 names). */
export const CLOUDTRAIL_CATALOGUE: readonly Entry[] = (() => {
  const entries: Entry[] = [
    ["sts.amazonaws.com", "AssumeRole", false, 300],
    ["sts.amazonaws.com", "GetCallerIdentity", true, 200],
    ["sts.amazonaws.com", "AssumeRoleWithWebIdentity", false, 30],
    ["kms.amazonaws.com", "Decrypt", true, 250],
    ["kms.amazonaws.com", "GenerateDataKey", true, 120],
    ["signin.amazonaws.com", "ConsoleLogin", false, 30],
    ["signin.amazonaws.com", "GetSigninToken", false, 2],
    ["iam.amazonaws.com", "CreateUser", false, 3],
    ["iam.amazonaws.com", "DeleteUser", false, 1],
    ["iam.amazonaws.com", "CreateAccessKey", false, 3],
    ["iam.amazonaws.com", "AttachUserPolicy", false, 3],
    ["iam.amazonaws.com", "AttachRolePolicy", false, 3],
    ["iam.amazonaws.com", "PutRolePolicy", false, 2],
    ["iam.amazonaws.com", "CreateRole", false, 2],
    ["iam.amazonaws.com", "UpdateAssumeRolePolicy", false, 1],
    ["iam.amazonaws.com", "CreateLoginProfile", false, 1],
    ["ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", false, 3],
    ["ec2.amazonaws.com", "RevokeSecurityGroupIngress", false, 2],
    ["ec2.amazonaws.com", "CreateSecurityGroup", false, 1],
    ["ec2.amazonaws.com", "DeleteFlowLogs", false, 0.2],
    ["ec2.amazonaws.com", "CreateRoute", false, 1],
    ["cloudtrail.amazonaws.com", "StopLogging", false, 0.1],
    ["cloudtrail.amazonaws.com", "LookupEvents", true, 5],
    ["kms.amazonaws.com", "ScheduleKeyDeletion", false, 0.2],
    ["s3.amazonaws.com", "PutBucketPolicy", false, 1],
    ["s3.amazonaws.com", "PutBucketAcl", false, 0.5],
    ["s3.amazonaws.com", "DeletePublicAccessBlock", false, 0.2],
  ];
  // S3 data events: about a quarter of all events, mostly GetObject.
  const s3Weights: Record<string, number> = { GetObject: 900, PutObject: 300, HeadObject: 200, ListObjectsV2: 120, DeleteObject: 40, CopyObject: 20 };
  for (const name of S3_DATA_EVENT_NAMES) entries.push(["s3.amazonaws.com", name, /^(Get|Head|List|Select)/.test(name), s3Weights[name] ?? 2]);
  for (const [si, service] of READ_SERVICES.entries()) {
    for (const [vi, verb] of READ_VERBS.entries()) {
      for (const [ri, resource] of RESOURCES.entries()) {
        if ((si + vi + ri) % 3 !== 0) continue;
        entries.push([`${service}.amazonaws.com`, `${verb}${resource}`, true, 40 / (1 + ((si * 7 + ri) % 13))]);
      }
    }
    for (const [wi, verb] of WRITE_VERBS.entries()) {
      const resource = RESOURCES[(si + wi) % RESOURCES.length]!;
      entries.push([`${service}.amazonaws.com`, `${verb}${resource.replace(/s$/, "")}`, false, 4 / (1 + ((si + wi) % 5))]);
    }
  }
  return entries;
})();

const ERROR_CODES = ["AccessDenied", "ThrottlingException", "NoSuchEntity", "ValidationException", "Client.UnauthorizedOperation", "ResourceNotFoundException", "NoSuchBucket", "AccessDeniedException"];
const REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2", "us-east-2", "ap-northeast-1", "sa-east-1"];

/** Accounts, principals, source IPs, buckets: the cardinalities of the data. */
export const CARDINALITIES = { accounts: 40, principals: 4000, sourceIps: 6000, buckets: 300, interfaces: 2000, publicPeers: 200_000 } as const;

// Uniform [0, 1) from row i and stream k, in SQL.
const u = (k: number) => `((hashint8(i * 64 + ${k}) & 2147483647)::float8 / 2147483648.0)`;

/** One chunk of CloudTrail events: rows [lo, hi) of `total`, placed evenly over [start, end). */
function cloudtrailChunkSql(): string {
  // $1 lo, $2 hi, $3 total, $4 start, $5 window seconds, $6 cumulative weights, $7 sources, $8 names, $9 readOnly,
  // $10 error codes, $11 regions, $12 object id base, $13 events per object.
  const c = CARDINALITIES;
  return `
  WITH base AS (
    SELECT i,
           $4::timestamptz + make_interval(secs => (i::float8 + ${u(1)}) * $5::float8 / $3::float8) AS t,
           least(width_bucket(${u(2)}, $6::float8[]), cardinality($8::text[]) - 1) + 1 AS n,
           floor(${c.principals} * power(${u(4)}, 2.5))::int AS p,
           floor(${c.sourceIps} * power(${u(5)}, 2))::int AS ip,
           floor(8 * power(${u(6)}, 3))::int + 1 AS reg,
           ${u(7)} AS uerr, ${u(8)} AS u8, ${u(9)} AS u9, ${u(10)} AS u10
      FROM generate_series($1::bigint, $2::bigint - 1) AS i
  ), shaped AS (
    SELECT b.*,
           ($7::text[])[n] AS src, ($8::text[])[n] AS name, ($9::boolean[])[n] AS ro,
           -- A principal lives in one account (its ARN names it), so accounts and principals do not multiply.
           lpad((100000000000 + (p * 17 % ${c.accounts}) * 7919)::text, 12, '0') AS account,
           ($11::text[])[reg] AS region,
           CASE WHEN p < 3 THEN 'Root' WHEN p % 10 < 6 THEN 'AssumedRole' WHEN p % 10 < 9 THEN 'IAMUser' ELSE 'AWSService' END AS utype
      FROM base b
  ), rowset AS (
    SELECT s.*,
           CASE utype
             WHEN 'Root' THEN 'arn:aws:iam::' || account || ':root'
             WHEN 'AssumedRole' THEN 'arn:aws:sts::' || account || ':assumed-role/Role' || (p % 250) || '/session-' || p
             WHEN 'IAMUser' THEN 'arn:aws:iam::' || account || ':user/user' || p
           END AS arn,
           CASE WHEN utype = 'IAMUser' THEN 'user' || p END AS uname,
           CASE WHEN utype = 'AWSService' THEN (ARRAY['ec2.amazonaws.com','lambda.amazonaws.com','cloudformation.amazonaws.com','config.amazonaws.com'])[1 + p % 4] END AS invoked_by,
           CASE WHEN utype = 'AWSService' THEN (ARRAY['ec2.amazonaws.com','lambda.amazonaws.com','cloudformation.amazonaws.com','config.amazonaws.com'])[1 + p % 4]
                WHEN ip % 10 < 3 THEN '10.' || (ip / 256 % 256) || '.' || (ip % 256) || '.' || (1 + ip % 250)
                ELSE (ARRAY['52','54','18','34','3','198','203','81'])[1 + ip % 8] || '.' || (ip / 256 % 256) || '.' || (ip % 256) || '.' || (1 + ip % 250) END AS ip_text,
           CASE WHEN name = 'ConsoleLogin' THEN CASE WHEN uerr < 0.1 THEN 'Failure' ELSE 'Success' END END AS login,
           CASE WHEN name <> 'ConsoleLogin' AND uerr < 0.03 THEN ($10::text[])[1 + floor(u8 * cardinality($10::text[]))::int] END AS err,
           'ASIA' || upper(substr(md5(p::text), 1, 16)) AS key_id,
           md5(i::text || 'e') AS h
      FROM shaped s
  )
  INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, event_version, event_name, event_source, aws_region,
    source_ip_address, user_agent, user_identity_type, user_identity_arn, user_identity_principal_id, user_identity_account_id,
    user_identity_user_name, user_identity_access_key_id, user_identity_invoked_by, session_issuer_type, session_issuer_arn,
    session_issuer_user_name, error_code, error_message, read_only, event_type, event_category, management_event, request_id,
    shared_event_id, vpc_endpoint_id, raw, object_id, ingested_at)
  SELECT account, substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12),
         t, '1.09', name, src, region, ip_text, ua, utype, arn, pid, account, uname,
         CASE WHEN utype IN ('AssumedRole', 'IAMUser') THEN key_id END, invoked_by,
         CASE WHEN utype = 'AssumedRole' THEN 'Role' END,
         CASE WHEN utype = 'AssumedRole' THEN 'arn:aws:iam::' || account || ':role/Role' || (p % 250) END,
         CASE WHEN utype = 'AssumedRole' THEN 'Role' || (p % 250) END,
         err, errmsg, ro, etype, ecat, ecat = 'Management', upper(substr(h, 1, 16)), NULL, NULL,
         jsonb_strip_nulls(jsonb_build_object(
           'eventVersion', '1.09',
           'userIdentity', jsonb_build_object('type', utype, 'principalId', pid, 'arn', arn, 'accountId', account,
              'accessKeyId', CASE WHEN utype IN ('AssumedRole', 'IAMUser') THEN key_id END, 'userName', uname, 'invokedBy', invoked_by,
              'sessionContext', CASE WHEN utype = 'AssumedRole' THEN jsonb_build_object(
                 'sessionIssuer', jsonb_build_object('type', 'Role', 'principalId', 'AROA' || upper(substr(md5((p % 250)::text), 1, 17)),
                    'arn', 'arn:aws:iam::' || account || ':role/Role' || (p % 250), 'accountId', account, 'userName', 'Role' || (p % 250)),
                 'attributes', jsonb_build_object('creationDate', to_char(t - interval '20 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'mfaAuthenticated', 'false')) END),
           'eventTime', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'eventSource', src, 'eventName', name, 'awsRegion', region, 'sourceIPAddress', ip_text, 'userAgent', ua,
           'errorCode', err, 'errorMessage', errmsg,
           'requestParameters', params, 'responseElements', response, 'additionalEventData', extra,
           'requestID', upper(substr(h, 1, 16)), 'eventID', substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12),
           'readOnly', ro, 'resources', resources, 'eventType', etype, 'managementEvent', ecat = 'Management',
           'recipientAccountId', account, 'eventCategory', ecat,
           'tlsDetails', jsonb_build_object('tlsVersion', 'TLSv1.3', 'cipherSuite', 'TLS_AES_128_GCM_SHA256', 'clientProvidedHostHeader', split_part(src, '.', 1) || '.' || region || '.amazonaws.com'))),
         $12::bigint + i / $13::bigint, t + interval '5 minutes'
    FROM (
      SELECT r.*,
             CASE WHEN utype = 'AssumedRole' THEN 'AROA' || upper(substr(md5((p % 250)::text), 1, 17)) || ':session-' || p
                  WHEN utype = 'Root' THEN account ELSE 'AIDA' || upper(substr(md5(p::text), 1, 17)) END AS pid,
             CASE WHEN u9 < 0.5 THEN 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off command/' || lower(name)
                  WHEN u9 < 0.8 THEN 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 cfg/retry-mode#legacy Botocore/1.34.69'
                  ELSE 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' END AS ua,
             CASE WHEN login = 'Failure' THEN 'Failed authentication' WHEN err IS NOT NULL THEN 'User: ' || coalesce(arn, 'unknown') || ' is not authorized to perform: ' || split_part(src, '.', 1) || ':' || name END AS errmsg,
             CASE WHEN name = 'ConsoleLogin' THEN 'AwsConsoleSignIn' WHEN src = 's3.amazonaws.com' AND name NOT LIKE '%Bucket%' THEN 'AwsApiCall' ELSE 'AwsApiCall' END AS etype,
             CASE WHEN src = 's3.amazonaws.com' AND name NOT LIKE '%Bucket%' AND name <> 'DeletePublicAccessBlock' THEN 'Data' ELSE 'Management' END AS ecat,
             CASE
               WHEN src = 's3.amazonaws.com' THEN jsonb_build_object('bucketName', 'bucket-' || (floor(${c.buckets} * power(u10, 2))::int), 'Host', 'bucket-' || (floor(${c.buckets} * power(u10, 2))::int) || '.s3.' || region || '.amazonaws.com', 'key', 'data/' || to_char(t, 'YYYY/MM/DD') || '/part-' || (i % 10000) || '.parquet')
               WHEN name = 'AssumeRole' THEN jsonb_build_object('roleArn', 'arn:aws:iam::' || account || ':role/Role' || (p % 250), 'roleSessionName', 'session-' || p, 'durationSeconds', 3600)
               WHEN src = 'iam.amazonaws.com' THEN jsonb_build_object('userName', 'user' || (p % 500), 'policyArn', CASE WHEN u9 < 0.1 THEN 'arn:aws:iam::aws:policy/AdministratorAccess' ELSE 'arn:aws:iam::aws:policy/ReadOnlyAccess' END, 'roleName', 'Role' || (p % 250))
               WHEN src = 'ec2.amazonaws.com' AND NOT ro THEN jsonb_build_object('groupId', 'sg-' || substr(h, 1, 17), 'ipPermissions', jsonb_build_object('items', jsonb_build_array(jsonb_build_object('ipProtocol', 'tcp', 'fromPort', 22, 'toPort', 22, 'ipRanges', jsonb_build_object('items', jsonb_build_array(jsonb_build_object('cidrIp', '0.0.0.0/0')))))))
               WHEN ro THEN jsonb_build_object('maxResults', 1000, 'filterSet', jsonb_build_object('items', jsonb_build_array(jsonb_build_object('name', 'tag:Environment', 'valueSet', jsonb_build_object('items', jsonb_build_array(jsonb_build_object('value', 'production'))))))) END AS params,
             CASE
               WHEN login IS NOT NULL THEN jsonb_build_object('ConsoleLogin', login)
               WHEN name = 'AssumeRole' AND err IS NULL THEN jsonb_build_object('credentials', jsonb_build_object('accessKeyId', 'ASIA' || upper(substr(h, 1, 16)), 'sessionToken', 'IQoJb3JpZ2luX2VjE' || h, 'expiration', to_char(t + interval '1 hour', 'Mon DD, YYYY, HH12:MI:SS AM')),
                    'assumedRoleUser', jsonb_build_object('assumedRoleId', 'AROA' || upper(substr(md5((p % 250)::text), 1, 17)) || ':session-' || p, 'arn', 'arn:aws:sts::' || account || ':assumed-role/Role' || (p % 250) || '/session-' || p))
               WHEN name = 'CreateAccessKey' AND err IS NULL THEN jsonb_build_object('accessKey', jsonb_build_object('accessKeyId', 'AKIA' || upper(substr(h, 1, 16)), 'status', 'Active', 'userName', 'user' || (p % 500)))
             END AS response,
             CASE
               WHEN login IS NOT NULL THEN jsonb_build_object('LoginTo', 'https://console.aws.amazon.com/console/home', 'MobileVersion', 'No', 'MFAUsed', CASE WHEN u9 < 0.7 THEN 'Yes' ELSE 'No' END)
               WHEN src = 's3.amazonaws.com' AND name = 'GetObject' THEN jsonb_build_object('SignatureVersion', 'SigV4', 'CipherSuite', 'TLS_AES_128_GCM_SHA256', 'bytesTransferredIn', 0, 'bytesTransferredOut', floor(1000 + 5e7 * power(u9, 6))::bigint, 'x-amz-id-2', md5(h))
               WHEN src = 's3.amazonaws.com' THEN jsonb_build_object('SignatureVersion', 'SigV4', 'CipherSuite', 'TLS_AES_128_GCM_SHA256', 'bytesTransferredIn', floor(5e5 * u9)::bigint, 'bytesTransferredOut', 0, 'x-amz-id-2', md5(h))
             END AS extra,
             CASE WHEN src = 's3.amazonaws.com' THEN jsonb_build_array(
                    jsonb_build_object('type', 'AWS::S3::Object', 'ARN', 'arn:aws:s3:::bucket-' || (floor(${c.buckets} * power(u10, 2))::int) || '/data/part-' || (i % 10000) || '.parquet'),
                    jsonb_build_object('accountId', account, 'type', 'AWS::S3::Bucket', 'ARN', 'arn:aws:s3:::bucket-' || (floor(${c.buckets} * power(u10, 2))::int)))
                  ELSE jsonb_build_array(jsonb_build_object('accountId', account, 'type', 'AWS::' || initcap(split_part(src, '.', 1)) || '::Resource', 'ARN', 'arn:aws:' || split_part(src, '.', 1) || ':' || region || ':' || account || ':resource/' || substr(h, 1, 12))) END AS resources
        FROM rowset r
    ) x`;
}

/** One chunk of flow records: objects [lo, hi) of `records / perObject`, each `perObject` lines in its own time slice. */
function flowChunkSql(): string {
  // $1 first object index, $2 last object index (exclusive), $3 objects, $4 start, $5 window seconds, $6 lines per object,
  // $7 object id base, $8 regions.
  const c = CARDINALITIES;
  return `
  INSERT INTO flow_records (object_id, line_number, version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol,
    packets, bytes, start, "end", action, log_status, vpc_id, subnet_id, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, region,
    az_id, flow_direction, traffic_path)
  SELECT obj + $7::bigint, line, CASE WHEN v5 THEN 5 ELSE 2 END, account, 'eni-' || lpad(to_hex(eni), 17, '0'),
         src, dst, sport, dport, proto, packets, packets * (40 + floor(1400 * ${u(20)})::bigint),
         st, st + interval '60 seconds', CASE WHEN rejected THEN 'REJECT' ELSE 'ACCEPT' END, 'OK',
         CASE WHEN v5 THEN 'vpc-' || lpad(to_hex(eni % 60), 17, '0') END, CASE WHEN v5 THEN 'subnet-' || lpad(to_hex(eni % 300), 17, '0') END,
         CASE WHEN v5 THEN 'i-' || lpad(to_hex(eni), 17, '0') END, CASE WHEN v5 THEN (ARRAY[2, 18, 3, 19, 1])[1 + i % 5] END,
         CASE WHEN v5 THEN 'IPv4' END, CASE WHEN v5 THEN src END, CASE WHEN v5 THEN dst END,
         CASE WHEN v5 THEN ($8::text[])[1 + obj % 3] END, CASE WHEN v5 THEN 'use1-az' || (1 + eni % 4) END,
         CASE WHEN v5 THEN CASE WHEN inbound THEN 'ingress' ELSE 'egress' END END, CASE WHEN v5 THEN 1 END
    FROM (
      SELECT i, obj, line, v5, eni, account, rejected, inbound, proto, packets, st,
             CASE WHEN inbound THEN remote ELSE local END AS src, CASE WHEN inbound THEN local ELSE remote END AS dst,
             CASE WHEN inbound THEN 1024 + (i % 60000)::int ELSE svc END AS sport, CASE WHEN inbound THEN svc ELSE 1024 + (i % 60000)::int END AS dport
        FROM (
          SELECT i, obj, line, obj % 5 = 4 AS v5,
                 floor(${c.interfaces} * power(${u(11)}, 2))::int AS eni,
                 lpad((100000000000 + (floor(${c.interfaces} * power(${u(11)}, 2))::int * 17 % ${c.accounts}) * 7919)::text, 12, '0') AS account,
                 ${u(13)} < 0.12 AS rejected, ${u(14)} < 0.5 AS inbound,
                 CASE WHEN ${u(15)} < 0.9 THEN 6 WHEN ${u(15)} < 0.98 THEN 17 ELSE 1 END AS proto,
                 1 + floor(2000 * power(${u(16)}, 4))::bigint AS packets,
                 -- An interface has one private address; a private peer is another interface; public peers are a
                 -- long tail of ${c.publicPeers.toLocaleString("en-US")} addresses, a few of them busy (clients, crawlers, scanners).
                 ('10.' || (floor(${c.interfaces} * power(${u(11)}, 2))::int / 256) || '.' || (floor(${c.interfaces} * power(${u(11)}, 2))::int % 256) || '.10')::inet AS local,
                 CASE WHEN ${u(17)} < 0.4 THEN ('10.' || (floor(${c.interfaces} * power(${u(18)}, 2))::int / 256) || '.' || (floor(${c.interfaces} * power(${u(18)}, 2))::int % 256) || '.10')::inet
                      ELSE ((ARRAY['45','89','185','193','62','104','141','176'])[1 + floor(${c.publicPeers} * power(${u(19)}, 3))::int % 8] || '.' || (floor(${c.publicPeers} * power(${u(19)}, 3))::int / 8 % 250) || '.' || (floor(${c.publicPeers} * power(${u(19)}, 3))::int / 2000 % 250) || '.' || (1 + floor(${c.publicPeers} * power(${u(19)}, 3))::int % 250))::inet END AS remote,
                 (ARRAY[443, 443, 443, 80, 22, 3389, 5432, 3306, 53, 8080, 6379, 123, 25, 8443, 9200, 27017])[1 + floor(16 * power(${u(21)}, 1.5))::int] AS svc,
                 $4::timestamptz + make_interval(secs => floor((obj::float8 + ${u(22)}) * $5::float8 / $3::float8)) AS st
            FROM (SELECT i, i / $6::bigint AS obj, (i % $6::bigint)::int + 1 AS line
                    FROM generate_series($1::bigint * $6::bigint, $2::bigint * $6::bigint - 1) AS i) g
        ) a
    ) b`;
}

interface SavedIndex {
  name: string;
  definition: string;
}

async function dropSecondaryIndexes(db: pg.Pool, tables: string[]): Promise<SavedIndex[]> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
       JOIN pg_class c ON c.relname = i.indexname
       LEFT JOIN pg_constraint k ON k.conindid = c.oid
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1) AND k.oid IS NULL`,
    [tables],
  );
  for (const r of rows) await db.query(`DROP INDEX "${r.indexname}"`);
  return rows.map((r) => ({ name: r.indexname, definition: r.indexdef }));
}

async function runChunks(db: pg.Pool, parallel: number, chunks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, parallel) }, async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      // The machine is shared: the server's lock table can be full for a moment (53200) — retry the chunk.
      for (let attempt = 1; ; attempt++) {
        try {
          await chunk();
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== "53200" || attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 2000 * attempt));
        }
      }
    }
  });
  await Promise.all(workers);
  void db;
}

const OBJECT_BASE_CLOUDTRAIL = 1_000_000;
const OBJECT_BASE_FLOW = 2_000_000;
const EVENTS_PER_OBJECT = 2000;
const LINES_PER_OBJECT = 50_000;

/**
 * Fills an empty, migrated database: `events` CloudTrail events and `flows` flow records over
 * `[end - days, end)`, plus their ledger rows (`ingest_objects`). Returns how long each step took.
 * Throws on database errors (the database is then in an unknown state: drop it).
 */
export async function generateReportData(db: pg.Pool, options: GenerateOptions): Promise<GenerateTimings> {
  const start = new Date(options.end.getTime() - options.days * 86_400_000);
  const windowSeconds = options.days * 86_400;
  const say = options.progress ?? (() => undefined);
  const saved = await dropSecondaryIndexes(db, ["cloudtrail_events", "flow_records"]);

  // The ledger: one object per 2,000 events / 50,000 flow lines, as real files carry.
  const ctObjects = Math.ceil(options.events / EVENTS_PER_OBJECT);
  const flowObjects = Math.ceil(options.flows / LINES_PER_OBJECT);
  await db.query(
    `INSERT INTO ingest_objects (id, bucket, key, etag, size, kind, status, records_stored, first_seen_at, started_at, finished_at, duration_ms)
     SELECT $1::bigint + n, 'bench-trail', 'AWSLogs/o-bench/CloudTrail/bench/' || n || '.json.gz', md5(n::text), 2600000, 'cloudtrail', 'stored', $2::int, now(), now(), now(), 100
       FROM generate_series(0, $3::int - 1) n
     UNION ALL
     SELECT $4::bigint + n, 'bench-flows', 'AWSLogs/100000000000/vpcflowlogs/' || (ARRAY['us-east-1','eu-west-1','us-west-2'])[1 + n % 3] || '/bench/100000000000_vpcflowlogs_' || (ARRAY['us-east-1','eu-west-1','us-west-2'])[1 + n % 3] || '_fl-bench_' || n || '.log.gz', md5(n::text), 5000000, 'vpcflow', 'stored', $5::int, now(), now(), now(), 100
       FROM generate_series(0, $6::int - 1) n`,
    [OBJECT_BASE_CLOUDTRAIL, EVENTS_PER_OBJECT, ctObjects, OBJECT_BASE_FLOW, LINES_PER_OBJECT, flowObjects],
  );

  const catalogue = CLOUDTRAIL_CATALOGUE;
  const totalWeight = catalogue.reduce((s, e) => s + e[3], 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const e of catalogue.slice(0, -1)) cumulative.push((acc += e[3]) / totalWeight);

  let t0 = performance.now();
  const ctChunk = Math.max(10_000, Math.ceil(options.events / 200));
  const ctSql = cloudtrailChunkSql();
  let done = 0;
  await runChunks(
    db,
    options.parallel,
    Array.from({ length: Math.ceil(options.events / ctChunk) }, (_, k) => async () => {
      const lo = k * ctChunk;
      const hi = Math.min(options.events, lo + ctChunk);
      await db.query(ctSql, [lo, hi, options.events, start, windowSeconds, cumulative, catalogue.map((e) => e[0]), catalogue.map((e) => e[1]), catalogue.map((e) => e[2]), ERROR_CODES, REGIONS, OBJECT_BASE_CLOUDTRAIL, EVENTS_PER_OBJECT]);
      done += hi - lo;
      say(`cloudtrail ${done.toLocaleString("en-US")} / ${options.events.toLocaleString("en-US")}`);
    }),
  );
  const cloudtrailSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const objectsPerChunk = Math.max(1, Math.ceil(flowObjects / 100));
  const flowSql = flowChunkSql();
  let flowsDone = 0;
  const lastLines = options.flows - (flowObjects - 1) * LINES_PER_OBJECT;
  await runChunks(
    db,
    options.parallel,
    Array.from({ length: Math.ceil(flowObjects / objectsPerChunk) }, (_, k) => async () => {
      const lo = k * objectsPerChunk;
      const hi = Math.min(flowObjects, lo + objectsPerChunk);
      await db.query(flowSql, [lo, hi, flowObjects, start, windowSeconds, LINES_PER_OBJECT, OBJECT_BASE_FLOW, REGIONS.slice(0, 3)]);
      flowsDone += (hi - lo) * LINES_PER_OBJECT;
      say(`flows ${Math.min(flowsDone, options.flows).toLocaleString("en-US")} / ${options.flows.toLocaleString("en-US")}`);
    }),
  );
  // The last object holds only the remainder.
  if (lastLines < LINES_PER_OBJECT) {
    await db.query(`DELETE FROM flow_records WHERE object_id = $1 AND line_number > $2`, [OBJECT_BASE_FLOW + flowObjects - 1, lastLines]);
  }
  const flowSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  await runChunks(
    db,
    options.parallel,
    saved.map((index) => async () => {
      await db.query(index.definition);
      say(`index ${index.name}`);
    }),
  );
  const indexSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  await afterLoad(
    db,
    Array.from({ length: ctObjects }, (_, n) => BigInt(OBJECT_BASE_CLOUDTRAIL + n)),
    Array.from({ length: flowObjects }, (_, n) => BigInt(OBJECT_BASE_FLOW + n)),
  );
  await db.query("VACUUM ANALYZE cloudtrail_rollup");
  await db.query("VACUUM ANALYZE flow_rollup");
  await db.query("VACUUM ANALYZE cloudtrail_event_slices");
  await db.query("VACUUM ANALYZE cloudtrail_events");
  await db.query("VACUUM ANALYZE flow_records");
  await db.query("ANALYZE ingest_objects");
  const analyzeSeconds = (performance.now() - t0) / 1000;
  return { cloudtrailSeconds, flowSeconds, indexSeconds, analyzeSeconds };
}

/**
 * What production maintains beyond the rows themselves, by production's own code: the hours of every
 * generated object are marked as the load transaction marks them (`markRollupHours`; the loader collects
 * them while it loads, the generator's rows were never loaded, so they are read back here), and the hourly
 * rollup is rebuilt from the marks as the first report read would.
 */
async function afterLoad(db: pg.Pool, cloudTrailObjects: bigint[], flowObjects: bigint[]): Promise<void> {
  for (const [source, objects] of [["cloudtrail", cloudTrailObjects], ["vpcflow", flowObjects]] as const) {
    const { table, time } = SOURCE_TABLES[source];
    const { rows } = await db.query<{ hour: Date }>(
      `SELECT DISTINCT date_trunc('hour', ${time} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour
         FROM ${table} WHERE object_id = ANY($1::bigint[]) AND ${time} IS NOT NULL`,
      [objects.map(String)],
    );
    await markRollupHours(db, source, rows.map((r) => r.hour));
  }
  await refreshRollups(db);
}
