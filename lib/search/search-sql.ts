import { conditionSql, SOURCE_TABLES, SqlParams } from "../detect/compile-rule";
import { CLOUDTRAIL_COLUMNS, FLOW_COLUMNS, type ColumnField } from "../detect/fields";
import type { SearchCursor } from "./search-cursor";
import type { SearchSource } from "./search-fields";
import type { SearchQuery } from "./parse-search";

/**
 * SQL fragments of a search, built the rule engine's way: values only as `$n`
 * parameters (SqlParams), identifiers only from the field catalogue and the
 * table map below; the filters compile through lib/detect/compile-rule.ts's
 * conditionSql, so a search and a rule mean the same thing by the same words.
 */

export interface SearchTable {
  table: string;
  /** Time column: CloudTrail `event_time`, flows `start` (UTC). */
  time: string;
  /** Primary key after time, the keyset tie-break: (account, eventID) or (object id, line number). */
  keys: readonly [string, string];
  /** SQL types of the two key columns, for casting cursor parameters. */
  keyTypes: readonly [string, string];
  /** Result columns (catalogue fields with a column). */
  columns: readonly ColumnField[];
}

export const SEARCH_TABLES: Record<SearchSource, SearchTable> = {
  cloudtrail: {
    table: SOURCE_TABLES.cloudtrail.table,
    time: SOURCE_TABLES.cloudtrail.time,
    keys: ["recipient_account_id", "event_id"],
    keyTypes: ["text", "text"],
    columns: CLOUDTRAIL_COLUMNS,
  },
  vpcflow: {
    table: SOURCE_TABLES.vpcflow.table,
    time: SOURCE_TABLES.vpcflow.time,
    keys: ["object_id", "line_number"],
    keyTypes: ["bigint", "int"],
    columns: FLOW_COLUMNS,
  },
};

// The region a flow-log file was written for, from its S3 key (every layout names the file
// `<account>_vpcflowlogs_<region>_<flow log id>_…`): records of the default format carry no `region` field.
const FLOW_KEY_REGION = `substring(o.key FROM '_vpcflowlogs_([a-z0-9-]+)_')`;

export interface WhereOptions {
  /** Leave the cursor out (histograms and counts cover the whole result, not what follows a page). */
  ignoreCursor?: boolean;
}

/** The WHERE clause (without the keyword) of a search over alias `alias`: time range, filters, global filters, cursor. */
export function searchWhereSql(query: SearchQuery, alias: string, params: SqlParams, options: WhereOptions = {}): string {
  const t = SEARCH_TABLES[query.source];
  const time = `${alias}."${t.time}"`;
  const parts = [`${time} >= ${params.add(query.range.from)}::timestamptz`, `${time} < ${params.add(query.range.to)}::timestamptz`];
  if (query.condition) parts.push(conditionSql(alias, query.source, query.condition, params));
  if (query.source === "vpcflow" && query.region !== null) {
    parts.push(
      `coalesce(${alias}.region, (SELECT ${FLOW_KEY_REGION} FROM ingest_objects o WHERE o.id = ${alias}.object_id)) = ${params.add(query.region)}`,
    );
  }
  if (query.cursor && !options.ignoreCursor) parts.push(keysetSql(query.source, query.cursor, alias, params));
  return parts.join("\n  AND ");
}

/**
 * Rows strictly after `cursor` in the search order (time desc, key desc). The plain `time <=` bound
 * lets Postgres walk the time index; the row comparison makes the order total.
 */
function keysetSql(source: SearchSource, cursor: SearchCursor, alias: string, params: SqlParams): string {
  const t = SEARCH_TABLES[source];
  const time = params.add(cursor.time);
  const k0 = params.add(String(cursor.key[0]));
  const k1 = params.add(cursor.key[1]);
  return `${alias}."${t.time}" <= ${time}::timestamptz AND (${alias}."${t.time}", ${alias}.${t.keys[0]}, ${alias}.${t.keys[1]}) < (${time}::timestamptz, ${k0}::${t.keyTypes[0]}, ${k1}::${t.keyTypes[1]})`;
}

/** ORDER BY of every search: newest first, ties by primary key, so pages are disjoint and complete. */
export function searchOrderSql(source: SearchSource, alias: string): string {
  const t = SEARCH_TABLES[source];
  return `${alias}."${t.time}" DESC, ${alias}.${t.keys[0]} DESC, ${alias}.${t.keys[1]} DESC`;
}

export { SqlParams };
