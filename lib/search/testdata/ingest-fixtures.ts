import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type pg from "pg";
import { ingestObject } from "../../ingest/ingest-object";
import { silentLog } from "../../../test/support/samples";

/**
 * Test fixtures go in the way production data does: as an object through the
 * real router, parser, loader and ledger (lib/ingest/ingest-object.ts).
 */

/** Ingests CloudTrail records as one delivered file `{"Records":[...]}` under `key`; returns the ledger id. */
export async function ingestCloudTrail(pool: pg.Pool, records: readonly object[], key = cloudTrailKey("111122223333", "us-east-1")): Promise<number> {
  return ingest(pool, key, JSON.stringify({ Records: records }));
}

/** Ingests a VPC flow-log file (header line + records) under `key`; returns the ledger id. */
export async function ingestFlowLog(pool: pg.Pool, text: string, key = flowKey("111122223333", "us-east-1")): Promise<number> {
  return ingest(pool, key, text);
}

let serial = 0;

/** A CloudTrail key in AWS's layout, unique per call. */
export function cloudTrailKey(account: string, region: string): string {
  serial += 1;
  return `AWSLogs/${account}/CloudTrail/${region}/2026/11/20/${account}_CloudTrail_${region}_20261120T1000Z_t${serial}.json`;
}

/** A flow-log key in AWS's layout, unique per call. */
export function flowKey(account: string, region: string): string {
  serial += 1;
  return `AWSLogs/${account}/vpcflowlogs/${region}/2026/11/20/${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_20261120T1000Z_t${serial}.log`;
}

async function ingest(pool: pg.Pool, key: string, text: string): Promise<number> {
  const body = Buffer.from(text, "utf8");
  const outcome = await ingestObject(
    { bucket: "test-bucket", key, etag: createHash("md5").update(body).digest("hex"), size: body.length, body: Readable.from([body]) },
    { pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024, messageId: null },
  );
  if (outcome.status !== "done") throw new Error(`fixture ${key} was not ingested: ${outcome.status} ${outcome.reason ?? ""}`);
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM ingest_objects WHERE bucket = $1 AND key = $2", ["test-bucket", key]);
  return Number(rows[0]!.id);
}
