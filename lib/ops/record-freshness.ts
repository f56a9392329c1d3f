import type pg from "pg";
import { sourceOfKey } from "../ingest/route-object";

/**
 * Notes, inside the transaction that stores an object's rows, that its source (account × region ×
 * CloudTrail / VPC flow, read from the key) delivered: one upsert per object on `source_freshness`,
 * so the health page reads freshness from a table of a few rows, however large the event tables grow.
 * Keys outside AWS's layouts (local imports with other names) change nothing.
 * `records`: rows the object stored.
 */
export async function recordFreshness(client: pg.ClientBase, object: { key: string; records: number }): Promise<void> {
  const source = sourceOfKey(object.key);
  if (!source) return;
  await client.query(
    `INSERT INTO source_freshness (account_id, region, source, first_object_at, last_object_at, last_data_at, objects, records)
     VALUES ($1, $2, $3, clock_timestamp(), clock_timestamp(), $4, 1, $5)
     ON CONFLICT (account_id, region, source) DO UPDATE SET
       last_object_at = clock_timestamp(),
       last_data_at = GREATEST(source_freshness.last_data_at, EXCLUDED.last_data_at),
       objects = source_freshness.objects + 1,
       records = source_freshness.records + EXCLUDED.records`,
    [source.accountId, source.region, source.source, source.dataAt, object.records],
  );
}
