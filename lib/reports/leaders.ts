import { columnName, numberSql, SOURCE_TABLES, textSql, type SqlParams } from "../detect/compile-rule";
import { PRIVATE_NETWORKS } from "../detect/conditions";
import type { Queryable } from "../db/queryable";
import {
  ACTOR,
  DENIED,
  FAILED,
  IAM_WRITES,
  S3_ACCESS_DENIED,
  S3_BUCKET,
  S3_BYTES_OUT,
  S3_CALLER,
  S3_DATA_EVENT_NAMES,
  S3_DATA_EVENTS,
  S3_DELETE,
  S3_EVENTS,
  S3_GET,
  S3_PUT,
  SUCCEEDED,
} from "./change-catalogue";
import { ACCEPT, FROM_PUBLIC, REMOTE_ADMIN_FROM_PUBLIC, REMOTE_ADMIN_PORTS, REJECT, TRAFFIC } from "./flow-selections";
import { firstPresent, firstPresentIndex, keyFields, type GroupKey, type Measure } from "./report-query";
import { rawEdgeRowsSql, rollupSpans, storedBucketsSql, type FinerGrains, type RollupGrain } from "./grains";
import { CONSOLE_LOGIN, FAILURE, FEDERATED_CONSOLE_LOGIN, MFA_YES, SIGNIN_USER, SUCCESS } from "./sign-in-selections";
import { mergeSelections, sameMeasure, sameSelection, selectionSql, type RecordSource, type Selection } from "./selection";

/**
 * Leader boards: for the panels keyed by values that are nearly unique per record or too many to roll up, so that
 * no rollup is much smaller than the records. Flow records (table `flow_leaders`, migration
 * 20261206180000_flow_leaders): the Network panels keyed by address or port (internet peers, ephemeral ports) and by
 * interface (thousands of them: 20261206200200_interfaces_board). CloudTrail events (table `cloudtrail_leaders`,
 * migration 20261208000000_cloudtrail_leaders): the Overview's top principals and source addresses (≈ 3,000 of each
 * an hour at 10M events a month), the S3 report's busiest buckets (20261209000000_s3_buckets_board: its rollup
 * keeps a row per bucket, call and error code, ≈ 10k a week), the IAM audit's refusals and IAM changes per
 * principal and the Login audit's sign-ins per user and per address (20261209020000_principal_and_sign_in_boards),
 * its federated sign-ins per role session and the S3 report's refusals per bucket and caller
 * (20261209030000_s3_refusal_and_federated_sign_in_boards).
 * Per bucket, a board lists its {@link LISTED} busiest
 * keys by its measure, with exact sums, and keeps one row for all its other keys together: their exact sums (totals
 * stay exact) and the most any one of them had in that bucket. Buckets are UTC hours, 6 hours, days and weeks (for
 * CloudTrail built from the rollups' rows, or for the boards of a slice's records from the slice's rows, exact per
 * bucket; for flow records, a quarter merges its hours, a day its quarters and a week its days, migration
 * 20261209070000_flow_board_quarters_and_weeks); per 5 minutes a board lists
 * {@link LISTED_FIVE_MINUTES} keys the same way, for the partial hours at a range's edges (migration
 * 20261206200000_flow_five_minute_rows).
 *
 * Reading a range merges the buckets, the records at its edges outside them (grouped from raw records, less than
 * 5 minutes each) counting as one more. A key's merged sum covers the buckets listing it, so it is a lower bound; it lacks at most the bound of
 * every bucket not listing it (plus, for a merged flow row, the finer buckets in it not listing it): its `error`, which
 * groupRows returns as the row's margin. The true value lies in [value, value + error]; 0 means exact. This is the
 * guarantee of Elasticsearch's terms aggregation (`doc_count_error_upper_bound`), the tool users compare with.
 * Counts and sums within a board's records are merged the same way: a count lacks at most what the key's records
 * lack, a sum's error is unknown unless the key's records are exact ({@link leaderErrorSql}). Destination ports refused
 * and accepted, and the calls and services of a principal, are kept as sets and merged by union (exact over the
 * buckets listing the key); other distinct counts (hosts, sources) are the busiest bucket's: lower bounds with no
 * known error.
 *
 * The refreshes (`trailwatch_refresh_flow_leaders`, `trailwatch_refresh_cloudtrail_leaders`, run by
 * lib/reports/rollups.ts' refreshRollups) build each board from the definitions below; leaders.int.test.ts compares
 * every board with the raw records.
 */

/**
 * Keys an hour or coarser bucket lists per board. 30 days of a board read ≈ 4 × 200 week rows, up to 12 × 200 day rows,
 * 6 × 200 six-hour rows and 10 × 200 hour rows.
 */
export const LISTED = 200;
/** Keys a 5-minute bucket lists per board: up to 22 of them at a range's edges (≈ 6k records each at 50M a month). */
export const LISTED_FIVE_MINUTES = 50;

/** A board's sums with error bounds: records, and the flow log's `bytes` and `packets`. */
export type LeaderSum = "records" | "bytes" | "packets";
const SUM_MEASURES: Record<LeaderSum, Measure> = { records: { kind: "count" }, bytes: { kind: "sum", field: "bytes" }, packets: { kind: "sum", field: "packets" } };
export const isLeaderSum = (column: string): column is LeaderSum => Object.hasOwn(SUM_MEASURES, column);

/** Per source: the boards' table, the sums every board of it keeps, and the grains of its buckets (as lib/reports/grains.ts rollupSpans takes them). */
const BOARD_TABLES: Record<RecordSource, { table: string; sums: readonly LeaderSum[]; coarsest: RollupGrain; finer: FinerGrains }> = {
  vpcflow: { table: "flow_leaders", sums: ["records", "bytes", "packets"], coarsest: "week", finer: { fiveMinutes: true, sixHours: true } },
  cloudtrail: { table: "cloudtrail_leaders", sums: ["records"], coarsest: "week", finer: { fiveMinutes: true, sixHours: true } },
};

/**
 * The other columns a board may keep per key: counts of some of its records (`rejected`: flow records REJECTed;
 * `c1`…`c4` on CloudTrail boards), `s1` (a sum of a field, CloudTrail), all merged by sum; `d1`, `d2` (distinct
 * counts: the busiest bucket's); `rejected_ports`, `accepted_ports` (sets of destination ports) and `t1`, `t2` (sets of
 * a text field's values, CloudTrail), merged by union, so exact over the buckets listing the key.
 */
export type LeaderExtra = "rejected" | "c1" | "c2" | "c3" | "c4" | "s1" | "d1" | "d2" | "rejected_ports" | "accepted_ports" | "t1" | "t2";
export type LeaderColumn = LeaderSum | LeaderExtra;
const PORT_SETS: readonly LeaderExtra[] = ["rejected_ports", "accepted_ports"];
/** The columns holding sets (their count is the size of the union); only port sets may rank or filter a board. */
const SETS: readonly LeaderExtra[] = [...PORT_SETS, "t1", "t2"];

export interface LeaderBoard {
  /** The `board` column's value. */
  name: string;
  source: RecordSource;
  /** The records it counts. */
  base: Selection;
  /**
   * Its keys, stored in columns k1, k2, k3 as text (as the rule engine's `textSql` writes them). A key of a CloudTrail
   * board may be a chain of fields (report-query.ts GroupKey): its first present value, and in column f1, f2 which
   * field supplied it.
   */
  keys: readonly GroupKey[];
  /** The column a bucket ranks its keys by (a port set: by its size). */
  rankBy: LeaderColumn;
  /** What its extra columns hold, as the measure a panel asks for (`where` within `base`). */
  extras: Partial<Record<LeaderExtra, Measure>>;
}

/** Every board; the refresh function builds exactly these (leaders.int.test.ts checks each against raw rows). */
export const LEADER_BOARDS: readonly LeaderBoard[] = [
  { name: "talkers-bytes", source: "vpcflow", base: TRAFFIC, keys: ["srcaddr", "dstaddr"], rankBy: "bytes", extras: {} },
  { name: "talkers-packets", source: "vpcflow", base: TRAFFIC, keys: ["srcaddr", "dstaddr"], rankBy: "packets", extras: {} },
  { name: "remote-admin", source: "vpcflow", base: REMOTE_ADMIN_FROM_PUBLIC, keys: ["srcaddr", "dstport", "action"], rankBy: "records", extras: {} },
  {
    name: "rejected-sources",
    source: "vpcflow",
    base: mergeSelections(TRAFFIC, REJECT),
    keys: ["srcaddr"],
    rankBy: "records",
    extras: { rejected_ports: { kind: "distinct", field: "dstport" }, d2: { kind: "distinct", field: "dstaddr" } },
  },
  // Traffic per interface (VPC and subnet come with the custom formats): 2,000 interfaces kept a rollup of ≈ 5.4k rows an hour.
  { name: "interfaces-bytes", source: "vpcflow", base: TRAFFIC, keys: ["vpc-id", "subnet-id", "interface-id"], rankBy: "bytes", extras: { rejected: { kind: "count", where: REJECT } } },
  {
    name: "destination-ports",
    source: "vpcflow",
    base: mergeSelections(TRAFFIC, { include: { dstport: "*" } }),
    keys: ["protocol", "dstport"],
    rankBy: "records",
    extras: { d1: { kind: "distinct", field: "srcaddr" } },
  },
  {
    name: "port-scans",
    source: "vpcflow",
    base: FROM_PUBLIC,
    keys: ["srcaddr"],
    rankBy: "rejected_ports",
    extras: {
      rejected_ports: { kind: "distinct", field: "dstport", where: REJECT },
      rejected: { kind: "count", where: REJECT },
      accepted_ports: { kind: "distinct", field: "dstport", where: ACCEPT },
      d1: { kind: "distinct", field: "dstaddr" },
    },
  },
  // The Overview's top principals and source addresses (lib/reports/overview.ts topBy): events having the key.
  { name: "principals", source: "cloudtrail", base: { include: { "userIdentity.arn": "*" } }, keys: ["userIdentity.arn"], rankBy: "records", extras: {} },
  { name: "sources", source: "cloudtrail", base: { include: { sourceIPAddress: "*" } }, keys: ["sourceIPAddress"], rankBy: "records", extras: {} },
  // The IAM audit's refusals per principal and who changed IAM (lib/reports/iam-audit.ts accessDeniedByPrincipal,
  // iamChangesByPrincipal): thousands of principals a week, each in a few calls, so no rollup of them is much
  // smaller than their slices (refusals: 107k day rows for 111k events at 10M). Every grain is grouped from the
  // slice's records of its bucket (20261209020000_principal_and_sign_in_boards).
  {
    name: "refusals",
    source: "cloudtrail",
    base: DENIED,
    keys: [ACTOR],
    rankBy: "records",
    extras: { t1: { kind: "distinct", field: "eventName" }, t2: { kind: "distinct", field: "eventSource" } },
  },
  {
    name: "iam-changes",
    source: "cloudtrail",
    base: IAM_WRITES,
    keys: [ACTOR],
    rankBy: "c1",
    extras: {
      c1: { kind: "count", where: SUCCEEDED },
      c2: { kind: "count", where: FAILED },
      t1: { kind: "distinct", field: "eventName", where: SUCCEEDED },
    },
  },
  // The Login audit's sign-ins per user and per source address (lib/reports/login-audit.ts loginsByUser,
  // loginsBySourceIp): their successes, failures, successes with MFA, and the set of addresses or users. Every
  // grain is grouped from the `signins` slice's records of its bucket (20261209020000_principal_and_sign_in_boards).
  {
    name: "logins-by-user",
    source: "cloudtrail",
    base: CONSOLE_LOGIN,
    keys: ["recipientAccountId", SIGNIN_USER],
    rankBy: "records",
    extras: {
      c1: { kind: "count", where: SUCCESS },
      c2: { kind: "count", where: FAILURE },
      c3: { kind: "count", where: mergeSelections(SUCCESS, MFA_YES) },
      t1: { kind: "distinct", field: "sourceIPAddress" },
    },
  },
  {
    name: "logins-by-source",
    source: "cloudtrail",
    base: CONSOLE_LOGIN,
    keys: ["sourceIPAddress"],
    rankBy: "records",
    extras: { c1: { kind: "count", where: SUCCESS }, c2: { kind: "count", where: FAILURE }, t1: { kind: "distinct", field: SIGNIN_USER } },
  },
  // The Login audit's federated console sign-ins per account, role and session (lib/reports/login-audit.ts
  // ssoSignIns), with the failures (20261209030000_s3_refusal_and_federated_sign_in_boards).
  {
    name: "federated-logins",
    source: "cloudtrail",
    base: FEDERATED_CONSOLE_LOGIN,
    keys: ["recipientAccountId", "userIdentity.sessionContext.sessionIssuer.userName", "userIdentity.arn"],
    rankBy: "records",
    extras: { c1: { kind: "count", where: FAILURE } },
  },
  // The S3 report's refusals per bucket and caller (lib/reports/s3-data-events.ts s3AccessDenied), with the set of
  // calls refused: from the `denied` slice (20261209030000_s3_refusal_and_federated_sign_in_boards).
  {
    name: "s3-refusals",
    source: "cloudtrail",
    base: mergeSelections(S3_EVENTS, S3_ACCESS_DENIED),
    keys: [S3_BUCKET, S3_CALLER],
    rankBy: "records",
    extras: { t1: { kind: "distinct", field: "eventName" } },
  },
  // The S3 report's busiest buckets (lib/reports/s3-data-events.ts topBuckets): object calls per bucket.
  {
    name: "buckets",
    source: "cloudtrail",
    base: mergeSelections(S3_DATA_EVENTS, { include: { [S3_BUCKET]: "*" } }),
    keys: [S3_BUCKET],
    rankBy: "records",
    extras: {
      c1: { kind: "count", where: S3_GET },
      c2: { kind: "count", where: S3_PUT },
      c3: { kind: "count", where: S3_DELETE },
      c4: { kind: "count", where: FAILED },
      s1: { kind: "sum", field: S3_BYTES_OUT },
    },
  },
];

/** The event name each of the `buckets` board's `c1`, `c2`, `c3` counts, read from its definition for its SQL refresh (`c4` counts failed calls). */
const BUCKET_CALLS = (["c1", "c2", "c3"] as const).map((c) => {
  const board = LEADER_BOARDS.find((b) => b.name === "buckets")!;
  return String(board.extras[c]!.where!.include!.eventName);
});

/** The sums `board` keeps (each with its error and unlisted bound). */
const sumsOf = (board: LeaderBoard) => BOARD_TABLES[board.source].sums;

/** Whether two group keys are the same field or the same chain of fields. */
const sameKey = (a: GroupKey, b: GroupKey) => keyFields(a).length === keyFields(b).length && keyFields(a).every((f, i) => f === keyFields(b)[i]);

/** SQL of each field of a group key over raw records aliased `e`, as text. */
const keyTexts = (e: string, source: RecordSource, key: GroupKey, params: SqlParams) => keyFields(key).map((f) => textSql(e, source, f, params));

/**
 * Per key of `board`: its stored column `k<i>` and SQL of its value over raw records aliased `e`; for a chain of
 * fields also the column `f<i>` saying which field supplied it, and SQL of that field's index (null when none is present).
 */
function boardKeys(board: LeaderBoard, e: string, params: SqlParams): { column: string; value: string; chain: { column: string; field: string } | null }[] {
  return board.keys.map((key, i) => {
    const texts = keyTexts(e, board.source, key, params);
    return { column: `k${i + 1}`, value: firstPresent(texts), chain: typeof key === "string" ? null : { column: `f${i + 1}`, field: firstPresentIndex(texts) } };
  });
}

/** The column of `board` holding `measure` (asked for within the board's records), or null. */
export function leaderColumn(board: LeaderBoard, measure: Measure): LeaderColumn | null {
  const sums = sumsOf(board).map((s): [LeaderColumn, Measure] => [s, SUM_MEASURES[s]]);
  const columns = [...sums, ...Object.entries(board.extras)] as [LeaderColumn, Measure][];
  return columns.find(([, m]) => sameMeasure(board.source, m, measure))?.[0] ?? null;
}

/** The board of `source` counting exactly `base` (and, when given, keyed by exactly `keys` in order and ranking by `rankedBy`), or null. */
export function leaderBoardFor(source: RecordSource, base: Selection, keys?: readonly GroupKey[], rankedBy?: Measure): LeaderBoard | null {
  const keyed = (b: LeaderBoard) => !keys || (b.keys.length === keys.length && b.keys.every((k, i) => sameKey(k, keys[i]!)));
  const ranked = (b: LeaderBoard) => !rankedBy || leaderColumn(b, rankedBy) === b.rankBy;
  return LEADER_BOARDS.find((b) => b.source === source && keyed(b) && ranked(b) && sameSelection(source, b.base, base)) ?? null;
}

/**
 * Rebuilds the boards of the flow hours marked since the last refresh, of their 5 minutes, and of their days.
 * Returns how many hours were rebuilt. Throws when the database fails.
 */
export async function refreshFlowLeaders(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_flow_leaders($1::inet[], $2::int[], $3, $4) AS n", [
    PRIVATE_NETWORKS,
    [...REMOTE_ADMIN_PORTS],
    LISTED,
    LISTED_FIVE_MINUTES,
  ]);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Rebuilds the CloudTrail boards of the hours marked since the last refresh: their 5 minutes (from the raw events;
 * `buckets` from its rollup's 5-minute rows), and the hours, 6 hours, days and weeks holding them (from the rollups'
 * rows); the principal and sign-in boards at every grain from their slices' rows. So it runs after the rollups' and
 * slices' refresh: an hour they have not refreshed yet waits for the next call. Returns how many hours were rebuilt.
 * Throws when the database fails.
 */
export async function refreshCloudTrailLeaders(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_cloudtrail_leaders($1, $2, $3::text[], $4::text[]) AS n", [
    LISTED,
    LISTED_FIVE_MINUTES,
    [...S3_DATA_EVENT_NAMES],
    BUCKET_CALLS,
  ]);
  return Number(rows[0]?.n ?? 0);
}

/** The stored rows of `board` over `[from, to)` (their condition on grain and bucket) and its raw edges; null when the range holds no whole hour. */
function boardSpans(board: LeaderBoard, from: Date, to: Date) {
  const { coarsest, finer } = BOARD_TABLES[board.source];
  return rollupSpans(from, to, coarsest, finer);
}

/**
 * SQL of the exact total of a board's `sum` over `[from, to)` (column `total`): every row of its buckets, listed or
 * not, and the raw records at the edges outside them. Null when the range holds no whole hour.
 */
export function leaderTotalSql(board: LeaderBoard, sum: LeaderSum, from: Date, to: Date, params: SqlParams): string | null {
  const spans = boardSpans(board, from, to);
  if (!spans) return null;
  const e = "e";
  const { table, time } = SOURCE_TABLES[board.source];
  const raw = rawSumSql(e, sum);
  const stored = `SELECT coalesce(sum(${sum}), 0) FROM ${BOARD_TABLES[board.source].table} WHERE board = ${params.add(board.name)} AND (${storedBucketsSql(spans.stored, params)})`;
  const base = selectionSql(e, board.source, board.base, params);
  return `SELECT (${stored}) + (SELECT ${raw} FROM ${rawEdgeRowsSql(table, time, from, to, spans, params)} ${e}${base ? ` WHERE ${base}` : ""}) AS total`;
}

/** A board sum over raw records (alias `e`), as SQL. */
function rawSumSql(e: string, sum: LeaderSum): string {
  return sum === "records" ? "count(*)" : `coalesce(sum(${e}.${sum}), 0)`;
}

/**
 * SQL of a board's keys merged over `[from, to)`, ranked by its `rankBy` column, at most `limit` rows, with columns
 * `k1`… (one per key), every column of the board (lower bounds; a port set as its size), `<sum>_error` for each
 * sum (what it may lack), `first_time`, `last_time`; with `minimum`, only keys whose `column` is at least `value`.
 * Null when the range holds no whole hour (raw rows are then as cheap). Parameters are added to `params`.
 */
export function leaderRowsSql(
  board: LeaderBoard,
  from: Date,
  to: Date,
  limit: number,
  minimum: { column: LeaderColumn; value: number } | null,
  params: SqlParams,
): string | null {
  const spans = boardSpans(board, from, to);
  if (!spans) return null;
  const { source } = board;
  const sums = sumsOf(board);
  const e = "e";
  const keyDefs = boardKeys(board, e, params);
  // Every key column (a chain's field index too): what rows group by.
  const keys = keyDefs.flatMap((k) => (k.chain ? [k.column, k.chain.column] : [k.column]));
  const extras = Object.keys(board.extras) as LeaderExtra[];
  const sets = extras.filter((c) => SETS.includes(c));
  const stored = `SELECT rank, ${[...keys, ...sums, ...extras].join(", ")}, ${sums.map((s) => `${s}_error, ${s}_unlisted`).join(", ")}, first_time, last_time
                    FROM ${BOARD_TABLES[source].table} WHERE board = ${params.add(board.name)} AND (${storedBucketsSql(spans.stored, params)})`;
  const { table, time } = SOURCE_TABLES[source];
  const filtered = (sql: string, m: Measure, also?: string) => {
    const w = [selectionSql(e, source, m.where, params), also].filter(Boolean);
    return w.length ? `${sql} FILTER (WHERE ${w.join(" AND ")})` : sql;
  };
  const edgeColumn = (c: LeaderExtra) => {
    const m = board.extras[c]!;
    if (m.kind === "count") return filtered("count(*)", m);
    if (m.kind === "sum") return filtered(`coalesce(sum(${numberSql(e, source, m.field, params)}), 0)`, m);
    if (m.kind !== "distinct") throw new Error(`board ${board.name}: ${c} must count records or distinct values`);
    if (PORT_SETS.includes(c) && typeof m.field === "string") {
      const column = columnName(source, m.field);
      return filtered(`array_agg(DISTINCT ${e}.${column})`, m, `${e}.${column} IS NOT NULL`);
    }
    // A text set or distinct count: of the first present field of its chain, as groupRows counts it.
    const value = firstPresent(keyTexts(e, source, m.field, params));
    if (sets.includes(c)) return filtered(`array_agg(DISTINCT ${value})`, m, `${value} IS NOT NULL`);
    return filtered(`count(DISTINCT ${value})`, m);
  };
  const base = selectionSql(e, source, board.base, params);
  // The raw records at the edges, as one more bucket: grouped from raw records, its LISTED busiest keys exact,
  // the others folded into its rank-0 row with their sums and bound (so the merge groups a few rows, not every key).
  const edgeGroups = `SELECT ${keyDefs.map((k) => `${k.value} AS ${k.column}${k.chain ? `, ${k.chain.field} AS ${k.chain.column}` : ""}`).join(", ")},
                             ${sums.map((s) => `${rawSumSql(e, s)} AS ${s}`).join(", ")},
                             ${extras.map((c) => `${edgeColumn(c)} AS ${c}, `).join("")}min(${e}.${time}) AS first_time, max(${e}.${time}) AS last_time
                        FROM ${rawEdgeRowsSql(table, time, from, to, spans, params)} ${e}
                       ${base ? `WHERE ${base}` : ""}
                       GROUP BY ${keys.map((_, i) => i + 1).join(", ")}`;
  const rankValue = sets.includes(board.rankBy as LeaderExtra) ? `coalesce(cardinality(${board.rankBy}), 0)` : board.rankBy;
  const keyOrder = (prefix: string) =>
    keyDefs.map((k) => `${prefix}${k.column} COLLATE "C" ASC NULLS LAST${k.chain ? `, ${prefix}${k.chain.column}` : ""}`).join(", ");
  const order = `${rankValue} DESC, ${keyOrder("")}`;
  const listed = params.add(LISTED);
  // The edge bucket's listed keys: a top-N sort of its groups (a bounded heap, as the boards' refresh ranks an hour);
  // its other keys: an anti-join with them, their sums and the most any one had (the bucket's bound) in one row.
  const edges = `edge_groups AS MATERIALIZED (SELECT row_number() OVER () AS id, g.* FROM (${edgeGroups}) g),
    edge_listed AS MATERIALIZED (
      SELECT row_number() OVER (ORDER BY ${order}) AS rank, l.* FROM (SELECT * FROM edge_groups ORDER BY ${order} LIMIT ${listed}) l),
    edge_unlisted AS (
      SELECT count(*) AS groups, ${sums.map((s) => `sum(${s}) AS ${s}, coalesce(max(${s}), 0) AS ${s}_unlisted`).join(", ")},
             min(first_time) AS first_time, max(last_time) AS last_time
        FROM edge_groups WHERE id NOT IN (SELECT id FROM edge_listed)),
    edge_rows AS (
      SELECT l.rank, ${keys.map((k) => `l.${k}`).join(", ")}, ${sums.map((s) => `l.${s}`).join(", ")}, ${extras.map((c) => `l.${c}, `).join("")}
             ${sums.map((s) => `0, u.${s}_unlisted`).join(", ")}, l.first_time, l.last_time
        FROM edge_listed l CROSS JOIN edge_unlisted u
      UNION ALL
      SELECT 0, ${keys.map(() => "NULL").join(", ")}, ${sums.join(", ")}, ${extras.map(() => "NULL, ").join("")}
             ${sums.map((s) => `0, ${s}_unlisted`).join(", ")}, first_time, last_time
        FROM edge_unlisted WHERE groups > 0)`;
  // A key may lack its rows' own errors, and the unlisted bound of every bucket but those listing it (an
  // uncorrelated subquery: computed once).
  const error = (s: LeaderSum) => `sum(${s}_error) + (SELECT coalesce(sum(${s}_unlisted), 0) FROM merged WHERE rank = 0) - sum(${s}_unlisted) AS ${s}_error`;
  // Sets: the size of the union of a key's sets. A union is costly (30 days of a scanning source: ≈ 850k ports
  // merged), so one that neither ranks nor filters is taken only for the keys returned, after the LIMIT.
  const ranked = sets.filter((c) => c === board.rankBy || c === minimum?.column);
  if (ranked.some((c) => !PORT_SETS.includes(c))) throw new Error(`board ${board.name}: only a port set may rank or filter`);
  const later = sets.filter((c) => !ranked.includes(c));
  const sameRow = keys.map((k) => `m.${k} IS NOT DISTINCT FROM g.${k}`).join(" AND ");
  const union = (c: LeaderExtra) => `(SELECT count(DISTINCT p) FROM merged m CROSS JOIN unnest(m.${c}) p WHERE m.rank > 0 AND ${sameRow}) AS ${c}`;
  const merge = (c: LeaderExtra) =>
    ranked.includes(c) ? `coalesce(cardinality(trailwatch_distinct_ports(trailwatch_concat_ports(${c}))), 0) AS ${c}`
    : board.extras[c]!.kind === "distinct" ? `max(${c}) AS ${c}` : `sum(${c}) AS ${c}`;
  const resultOrder = (prefix: string) => `${prefix}${board.rankBy} DESC, ${keyOrder(prefix)}`;
  return `WITH ${edges}, merged AS MATERIALIZED (${stored}
          UNION ALL
          SELECT * FROM edge_rows)
  SELECT g.*${later.map((c) => `, ${union(c)}`).join("")} FROM (
    SELECT * FROM (
      SELECT ${keys.join(", ")}, ${sums.map((s) => `sum(${s}) AS ${s}`).join(", ")}, ${sums.map(error).join(", ")},
             ${extras.filter((c) => !later.includes(c)).map((c) => `${merge(c)}, `).join("")}min(first_time) AS first_time, max(last_time) AS last_time
        FROM merged WHERE rank > 0 GROUP BY ${keys.join(", ")}) g
     ${minimum ? `WHERE ${minimum.column} >= ${params.add(minimum.value)}` : ""}
     ORDER BY ${resultOrder("")}
     LIMIT ${params.add(limit)}) g
   ORDER BY ${resultOrder("g.")}`;
}

/**
 * SQL of what the value of `column` may lack in a row of {@link leaderRowsSql} (aliased `row`), or NULL where unknown:
 * a sum's own error; a count of some of the board's records lacks at most what its records lack; any other merged
 * value (a sum of a field, a port set) is exact where the records are, since every bucket holding the key then
 * listed it, and unknown elsewhere; a distinct count is the busiest bucket's, never known.
 */
export function leaderErrorSql(board: LeaderBoard, column: LeaderColumn, row: string): string {
  if (isLeaderSum(column)) return `${row}.${column}_error`;
  const measure = board.extras[column];
  if (measure?.kind === "count") return `${row}.records_error`;
  return SETS.includes(column) || measure?.kind === "sum" ? `CASE WHEN ${row}.records_error = 0 THEN 0 END` : "NULL";
}
