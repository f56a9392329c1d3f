import { createHash } from "node:crypto";
import type { ExampleRecord } from "../define-rule";

/**
 * Builders for rule examples in real CloudTrail shape
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * `cloudTrailEvent` fills the fields every record has; the example gives the
 * ones that matter (eventSource, eventName, requestParameters, userIdentity, …).
 */

/** An IAM user, as in AWS's documentation examples. */
export const IAM_USER = {
  type: "IAMUser",
  principalId: "AIDACKCEVSQ6C2EXAMPLE",
  arn: "arn:aws:iam::111122223333:user/Alice",
  accountId: "111122223333",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  userName: "Alice",
};

/** The account's root user. */
export const ROOT_USER = {
  type: "Root",
  principalId: "111122223333",
  arn: "arn:aws:iam::111122223333:root",
  accountId: "111122223333",
  accessKeyId: "",
};

/** An assumed-role session (e.g. a CI/deploy role). */
export function assumedRole(roleName: string, sessionName = "session", accountId = "111122223333") {
  return {
    type: "AssumedRole",
    principalId: `AROAEXAMPLEROLEID:${sessionName}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    accountId,
    accessKeyId: "ASIAEXAMPLEKEYID",
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: "AROAEXAMPLEROLEID",
        arn: `arn:aws:iam::${accountId}:role/${roleName}`,
        accountId,
        userName: roleName,
      },
      attributes: { creationDate: "2026-11-02T09:00:00Z", mfaAuthenticated: "false" },
    },
  };
}

/** An AWS service acting on the account's behalf. */
export function awsService(service: string) {
  return { type: "AWSService", invokedBy: service };
}

let counter = 0;

/**
 * A CloudTrail management event with realistic defaults (IAM user Alice in
 * 111122223333, us-east-1, aws-cli, 2026-11-02T10:00:00Z, a fresh eventID);
 * `fields` override them (top-level members replaced, not merged).
 */
export function cloudTrailEvent(fields: ExampleRecord): ExampleRecord {
  counter += 1;
  const base: ExampleRecord = {
    eventVersion: "1.09",
    userIdentity: IAM_USER,
    eventTime: "2026-11-02T10:00:00Z",
    eventSource: "iam.amazonaws.com",
    eventName: "ListUsers",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64",
    requestParameters: null,
    responseElements: null,
    requestID: uuid(`request-${counter}`),
    eventID: uuid(`event-${counter}`),
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  };
  return { ...base, ...fields };
}

/** The same event as a failed call (`errorCode`, `errorMessage`). */
export function failed(event: ExampleRecord, errorCode = "AccessDenied", errorMessage = "User is not authorized to perform this operation"): ExampleRecord {
  return { ...event, eventID: uuid(`failed-${String(event.eventID)}`), errorCode, errorMessage, responseElements: null };
}

/** `n` records from `make(i)`, i = 0 … n-1 (bursts for threshold rules). */
export function times(n: number, make: (i: number) => ExampleRecord): ExampleRecord[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

/** `base` plus `minutes` (ISO 8601 UTC), for spacing records of a burst. */
export function at(base: string, minutes: number): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}

/** A UUID-shaped id derived from `seed`: unique per example record within a run. */
function uuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** 2026-11-02T10:00:00Z in Unix seconds: the `start` of flow examples. */
export const FLOW_START = 1_793_613_600;

/**
 * One VPC flow-log record (default v2 format, https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html)
 * keyed by AWS field names: an internet address to a private instance on 443,
 * REJECTed, at FLOW_START; `fields` override and add (e.g. `"flow-direction"`).
 */
export function flowRecord(fields: Record<string, unknown> = {}): ExampleRecord {
  return {
    version: 2,
    "account-id": "111122223333",
    "interface-id": "eni-0a1b2c3d4e5f60001",
    srcaddr: "198.51.100.23",
    dstaddr: "10.0.1.15",
    srcport: 51515,
    dstport: 443,
    protocol: 6,
    packets: 1,
    bytes: 44,
    start: FLOW_START,
    end: FLOW_START + 60,
    action: "REJECT",
    "log-status": "OK",
    ...fields,
  };
}
