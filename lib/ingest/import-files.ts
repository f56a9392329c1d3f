import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ingestObject, type IngestContext, type ObjectOutcome } from "./ingest-object";

/** The ledger's bucket name for files imported from disk. */
export const LOCAL_BUCKET = "local";

export interface ImportSummary {
  objects: number;
  recordsStored: number;
  /** Records already stored before (this import or an earlier one), not stored again. */
  duplicatesSkipped: number;
  recordsRejected: number;
  /** Objects by outcome status (done, already, rejected, skipped, unsupported, failed). */
  byStatus: Record<string, number>;
  /** One entry per object not ingested in this run (failed, rejected, skipped, unsupported), with why. */
  errors: { file: string; status: string; reason: string | null }[];
}

/**
 * Imports local CloudTrail and flow-log files (plain or gzipped; folders are
 * walked recursively, e.g. one made by `aws s3 sync`) through the same router,
 * parsers, loader and ledger as the worker. A file is identified by its path
 * and SHA-256, so importing it again stores nothing and counts its records as
 * duplicates. Throws when a path does not exist or the database is unreachable.
 */
export async function importFiles(
  paths: string[],
  ctx: Omit<IngestContext, "messageId">,
  onObject?: (outcome: ObjectOutcome) => void,
): Promise<ImportSummary> {
  const summary: ImportSummary = { objects: 0, recordsStored: 0, duplicatesSkipped: 0, recordsRejected: 0, byStatus: {}, errors: [] };
  for (const root of paths) {
    for await (const file of walk(path.resolve(root))) {
      const info = await stat(file);
      const etag = `sha256:${await sha256(file)}`;
      const outcome = await ingestObject(
        { bucket: LOCAL_BUCKET, key: file, etag, size: info.size, body: createReadStream(file) },
        { ...ctx, messageId: null },
      );
      summary.objects += 1;
      summary.recordsStored += outcome.stored;
      summary.duplicatesSkipped += outcome.duplicate;
      summary.recordsRejected += outcome.rejected;
      summary.byStatus[outcome.status] = (summary.byStatus[outcome.status] ?? 0) + 1;
      if (outcome.status !== "done" && outcome.status !== "already") {
        summary.errors.push({ file, status: outcome.status, reason: outcome.reason });
      }
      onObject?.(outcome);
    }
  }
  return summary;
}

async function* walk(target: string): AsyncGenerator<string> {
  const info = await stat(target);
  if (info.isFile()) {
    yield target;
    return;
  }
  const entries = await readdir(target, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    yield* walk(path.join(target, entry.name));
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
