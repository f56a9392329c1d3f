import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type pg from "pg";
import { ingestObject, type ObjectOutcome } from "../../lib/ingest/ingest-object";
import { silentLog } from "./samples";

/**
 * Test fixtures stored the way production stores them: raw CloudTrail records and flow-log lines go
 * through the real router, parsers and loader (`ingestObject`), so report tests read rows exactly as
 * the worker writes them.
 */

/** Stores CloudTrail records (AWS's JSON shape) as one delivered file of `account` / `region`. Throws if the file is not stored. */
export async function storeCloudTrail(pool: pg.Pool, records: readonly Record<string, unknown>[], account = "111122223333", region = "us-east-1"): Promise<ObjectOutcome> {
  const body = Buffer.from(JSON.stringify({ Records: records }));
  return store(pool, `AWSLogs/${account}/CloudTrail/${region}/2026/11/20/${account}_CloudTrail_${region}_20261120T0000Z_${randomUUID().slice(0, 16)}.json`, body);
}

/** Stores flow-log lines under `header` (space-separated field names) as one delivered file. Throws if the file is not stored. */
export async function storeFlowLog(pool: pg.Pool, header: string, lines: readonly string[], account = "111122223333", region = "us-east-1"): Promise<ObjectOutcome> {
  const body = Buffer.from(`${[header, ...lines].join("\n")}\n`);
  return store(pool, `AWSLogs/${account}/vpcflowlogs/${region}/2026/11/20/${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_20261120T0000Z_${randomUUID().slice(0, 8)}.log`, body);
}

async function store(pool: pg.Pool, key: string, body: Buffer): Promise<ObjectOutcome> {
  const outcome = await ingestObject(
    { bucket: "fixtures", key, etag: `sha-${randomUUID()}`, size: body.length, body: Readable.from([body]) },
    { pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024, messageId: null },
  );
  if (outcome.status !== "done" || outcome.rejected > 0) throw new Error(`fixture ${key} was not stored: ${outcome.status} ${outcome.reason ?? ""} (${outcome.rejected} rejected)`);
  return outcome;
}

let sequence = 0;

/**
 * A CloudTrail record with the fields every record has filled in (overridable): a unique `eventID`,
 * account 111122223333, us-east-1, an EC2 API call from 203.0.113.10. `fields` are AWS's record fields.
 */
export function cloudTrailEvent(fields: Record<string, unknown>): Record<string, unknown> {
  sequence += 1;
  return {
    eventVersion: "1.09",
    eventID: `fixture-${String(sequence).padStart(6, "0")}`,
    eventType: "AwsApiCall",
    eventSource: "ec2.amazonaws.com",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-cli/2.15.40",
    recipientAccountId: "111122223333",
    ...fields,
  };
}

/** An IAM user identity as CloudTrail writes it. */
export function iamUser(userName: string, account = "111122223333"): Record<string, unknown> {
  return { type: "IAMUser", principalId: `AIDA${userName.toUpperCase().replace(/\W/g, "")}`, arn: `arn:aws:iam::${account}:user/${userName}`, accountId: account, userName };
}

/** A role session identity (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
export function roleSession(role: string, session: string, account = "111122223333", extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "AssumedRole",
    principalId: `AROA${role.toUpperCase().replace(/\W/g, "")}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: `AROA${role.toUpperCase().replace(/\W/g, "")}`, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
      attributes: { creationDate: "2026-11-20T00:00:00Z", mfaAuthenticated: "false" },
      ...extra,
    },
  };
}
