import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import type pg from "pg";
import { parseCloudTrailFile } from "../../lib/cloudtrail";
import { encodeCopyRow } from "../../lib/db/copy";
import { parseFlowLog } from "../../lib/flowlogs";
import { beginAttempt } from "../../lib/ingest/ledger";
import type { TableSpec } from "../../lib/ingest/load-rows";
import { openContent } from "../../lib/ingest/open-content";
import { cloudTrailTable, flowTable } from "../../lib/ingest/tables";
import type { ParseResult } from "../../lib/parse-result";
import { BENCH_BUCKET } from "./bench-env";
import type { BenchObject } from "./bench-objects";

/**
 * The ingest ceiling: the rows Trailwatch would store for `objects` (its own parsers and column mapping,
 * raw record included, each object's ledger id), written pre-flattened to a COPY text file, then loaded by
 * one `psql \copy` into the same migrated table with every index. Only the `\copy` is timed.
 * Returns the rows loaded and the seconds `psql` took.
 */
export async function measureCopyCeiling(pool: pg.Pool, databaseUrl: string, objects: BenchObject[], tsvFile: string): Promise<{ rows: number; seconds: number; table: string }> {
  const kind = objects[0]?.kind ?? "cloudtrail";
  const spec = (kind === "cloudtrail" ? cloudTrailTable : flowTable) as TableSpec<unknown>;
  const out = createWriteStream(tsvFile);
  let rows = 0;
  for (const object of objects) {
    const entry = await beginAttempt(pool, { bucket: BENCH_BUCKET, key: object.key, etag: `ceiling-${object.key}`, size: object.size, kind, messageId: null });
    const content = await openContent(createReadStream(object.file));
    const parsed = (kind === "cloudtrail" ? parseCloudTrailFile(content.body, { maxRecordBytes: 1024 * 1024 }) : parseFlowLog(content.body)) as AsyncIterable<ParseResult<unknown>>;
    let text = "";
    for await (const result of parsed) {
      if (!result.ok) continue;
      text += encodeCopyRow([entry.id, ...spec.values(result.row)]);
      rows += 1;
      if (text.length > 1 << 20) {
        if (!out.write(text)) await once(out, "drain");
        text = "";
      }
    }
    if (text && !out.write(text)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  const columns = spec.columns.map((c) => `"${c}"`).join(", ");
  const started = process.hrtime.bigint();
  await runPsql(databaseUrl, `\\copy ${spec.table} (${columns}) FROM '${tsvFile}'`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, seconds, table: spec.table };
}

/** Runs one psql command (ON_ERROR_STOP); rejects with psql's stderr on failure. */
export function runPsql(databaseUrl: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-c", command], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr.trim()}`))));
  });
}
