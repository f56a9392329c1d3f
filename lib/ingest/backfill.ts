import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { alreadyIngested, describeError, ingestObject, type IngestContext, type ObjectOutcome } from "./ingest-object";
import { beginAttempt, failObject, findObject, FINAL_STATUSES } from "./ledger";
import { bareEtag, openS3Object } from "./open-s3-object";
import { kindFromKey, sourceOfKey } from "./route-object";

export interface BackfillOptions {
  bucket: string;
  /** Key prefix to list, e.g. `AWSLogs/111122223333/CloudTrail/`; "" lists the whole bucket. */
  prefix: string;
  /** Only objects whose time is at or after this (UTC): the time AWS writes into the file name, else S3's LastModified. */
  since?: Date;
  /** Only objects whose time is before this (UTC), same rule. */
  until?: Date;
  /** Objects ingested at once (default 4). */
  concurrency?: number;
  /** Called after each object listed in range, with the running totals. */
  onObject?: (outcome: ObjectOutcome, progress: BackfillSummary) => void;
}

export interface BackfillSummary {
  /** Objects listed under the prefix. */
  listed: number;
  /** Listed objects outside [since, until). */
  outOfRange: number;
  /** Objects the ledger already held as final (skipped without reading S3). */
  alreadyInLedger: number;
  /** Objects by outcome status of this run (done, rejected, skipped, unsupported, failed, already). */
  byStatus: Record<string, number>;
  recordsStored: number;
  /** Objects not ingested in this run, with why (failed ones can be retried by running the backfill again). */
  errors: { key: string; status: string; reason: string | null }[];
}

/**
 * Ingests historical objects: lists `s3://bucket/prefix` (ListObjectsV2, pages of 1000), keeps those in
 * [since, until), skips every object the ledger already holds as final (same bucket, key and ETag:
 * ingested by the worker or an earlier backfill), and ingests the rest through the same pipeline as
 * the worker (GetObject → gunzip → parse → COPY → ledger, one transaction per object). Resumable by
 * construction: every object commits on its own, so an interrupted backfill run again continues where
 * it stopped. Needs s3:ListBucket and s3:GetObject. Throws when listing fails or the database is unreachable.
 */
export async function backfill(s3: S3Client, ctx: Omit<IngestContext, "messageId">, options: BackfillOptions): Promise<BackfillSummary> {
  const summary: BackfillSummary = { listed: 0, outOfRange: 0, alreadyInLedger: 0, byStatus: {}, recordsStored: 0, errors: [] };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const running = new Set<Promise<void>>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: options.prefix, ContinuationToken: token }));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    for (const item of page.Contents ?? []) {
      if (!item.Key || item.Key.endsWith("/")) continue;
      summary.listed += 1;
      const at = sourceOfKey(item.Key)?.dataAt ?? item.LastModified ?? null;
      if (at && ((options.since && at < options.since) || (options.until && at >= options.until))) {
        summary.outOfRange += 1;
        continue;
      }
      const ref = { bucket: options.bucket, key: item.Key, size: item.Size ?? null, etag: bareEtag(item.ETag), versionId: null, sequencer: null };
      const task = ingestListed(s3, ctx, ref, summary).then((outcome) => {
        summary.byStatus[outcome.status] = (summary.byStatus[outcome.status] ?? 0) + 1;
        summary.recordsStored += outcome.stored;
        if (outcome.status !== "done" && outcome.status !== "already") summary.errors.push({ key: outcome.key, status: outcome.status, reason: outcome.reason });
        options.onObject?.(outcome, summary);
      });
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= concurrency) await Promise.race(running);
    }
  } while (token);
  await Promise.all(running);
  return summary;
}

async function ingestListed(
  s3: S3Client,
  ctx: Omit<IngestContext, "messageId">,
  ref: { bucket: string; key: string; size: number | null; etag: string | null; versionId: null; sequencer: null },
  summary: BackfillSummary,
): Promise<ObjectOutcome> {
  if (ref.etag) {
    const known = await findObject(ctx.pool, { bucket: ref.bucket, key: ref.key, etag: ref.etag });
    if (known && FINAL_STATUSES.includes(known.status)) {
      summary.alreadyInLedger += 1;
      return alreadyIngested(ref, known);
    }
  }
  let opened;
  try {
    opened = await openS3Object(s3, ref);
  } catch (error) {
    const kind = kindFromKey(ref.key) ?? "unknown";
    const reason = `S3 GetObject failed: ${describeError(error)}`;
    const entry = await beginAttempt(ctx.pool, { bucket: ref.bucket, key: ref.key, etag: ref.etag ?? "", size: ref.size, kind, messageId: null });
    await failObject(ctx.pool, entry.id, kind, reason);
    return { bucket: ref.bucket, key: ref.key, kind, status: "failed", stored: 0, duplicate: 0, rejected: 0, reason };
  }
  return ingestObject(opened, { ...ctx, messageId: null });
}
