import { conditionSql, SOURCE_TABLES, textSql, type SqlParams } from "../detect/compile-rule";
import { PRIVATE_NETWORKS } from "../detect/conditions";
import type { Queryable } from "../db/queryable";
import { REMOTE_ADMIN_FROM_PUBLIC, REMOTE_ADMIN_PORTS, REJECT, TRAFFIC } from "./flow-selections";
import { rollupSpans, type GrainSpan } from "./grains";
import { mergeSelections, selectionCondition, type Selection } from "./selection";

/**
 * Leader boards (table `flow_leaders`, migration 20261206180000_flow_leaders): for the Network panels keyed by
 * address or port, whose keys are nearly unique per flow record (internet peers, ephemeral ports), so that no
 * rollup is smaller than the records. Per UTC hour and per UTC day, a board lists its {@link LISTED} busiest keys
 * by its measure, with exact sums, and keeps one row for all its other keys together: their exact sums (totals
 * stay exact) and the most any one of them had in that bucket.
 *
 * Reading a range merges the buckets (and the raw records of the partial hours at its edges). A key's merged sum
 * covers the buckets listing it, so it is a lower bound; it lacks at most the bound of every bucket not listing
 * it (plus, for a day row, the hours of that day not listing it): the row's `error`. The true value lies in
 * [value, value + error]; error 0 means exact. This is the guarantee of Elasticsearch's terms aggregation
 * (`doc_count_error_upper_bound`) and of CloudWatch Contributor Insights' top-N, the tools users compare with.
 * Distinct counts (ports, hosts, sources) are the largest single hour's (or the edges') count: a lower bound
 * with no known error.
 *
 * The refresh (`trailwatch_refresh_flow_leaders`, run by lib/reports/rollups.ts' refreshRollups) builds each
 * board from the definitions below; leaders.int.test.ts compares every board with the raw records.
 */

/** Keys a bucket lists per board. 30 days read ≈ 30 × 200 day rows plus up to 46 × 200 hour rows. */
export const LISTED = 200;

/** A board's stored sums: flow records, and the flow log's `bytes` and `packets`. */
export type LeaderSum = "records" | "bytes" | "packets";
export const LEADER_SUMS: readonly LeaderSum[] = ["records", "bytes", "packets"];

export interface LeaderBoard {
  /** The `board` column's value. */
  name: string;
  /** The records it counts. */
  base: Selection;
  /** Its key fields, stored in columns k1, k2, k3 as text (as the rule engine's `textSql` writes them). */
  keys: readonly string[];
  /** The sum a bucket ranks its keys by. */
  rankBy: LeaderSum;
  /** Fields whose distinct values it counts (columns d1, d2). */
  distinct: readonly string[];
}

/** Every board; the refresh function builds exactly these (leaders.int.test.ts checks each against raw rows). */
export const LEADER_BOARDS: readonly LeaderBoard[] = [
  { name: "talkers-bytes", base: TRAFFIC, keys: ["srcaddr", "dstaddr"], rankBy: "bytes", distinct: [] },
  { name: "talkers-packets", base: TRAFFIC, keys: ["srcaddr", "dstaddr"], rankBy: "packets", distinct: [] },
  { name: "remote-admin", base: REMOTE_ADMIN_FROM_PUBLIC, keys: ["srcaddr", "dstport", "action"], rankBy: "records", distinct: [] },
  { name: "rejected-sources", base: mergeSelections(TRAFFIC, REJECT), keys: ["srcaddr"], rankBy: "records", distinct: ["dstport", "dstaddr"] },
  { name: "destination-ports", base: mergeSelections(TRAFFIC, { include: { dstport: "*" } }), keys: ["protocol", "dstport"], rankBy: "records", distinct: ["srcaddr"] },
];

const sameSelection = (a: Selection, b: Selection) => JSON.stringify(selectionCondition("vpcflow", a)) === JSON.stringify(selectionCondition("vpcflow", b));

/** The board counting exactly `base` by exactly `keys` (in order) and ranking by `rankBy` (any keys and rank when omitted), or null. */
export function leaderBoardFor(base: Selection, keys?: readonly string[], rankBy?: LeaderSum): LeaderBoard | null {
  const keyed = (b: LeaderBoard) => !keys || (b.keys.length === keys.length && b.keys.every((k, i) => k === keys[i]));
  return LEADER_BOARDS.find((b) => (!rankBy || b.rankBy === rankBy) && keyed(b) && sameSelection(b.base, base)) ?? null;
}

/**
 * Rebuilds the boards of the flow hours marked since the last refresh, and of their days. Returns how many hours
 * were rebuilt. Throws when the database fails.
 */
export async function refreshFlowLeaders(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_flow_leaders($1::inet[], $2::int[], $3) AS n", [PRIVATE_NETWORKS, [...REMOTE_ADMIN_PORTS], LISTED]);
  return Number(rows[0]?.n ?? 0);
}

/**
 * SQL of the exact total of a board's `sum` over `[from, to)` (column `total`): every row of its buckets, listed or
 * not, and the raw records of the partial hours at the edges. Null when the range holds no whole hour.
 */
export function leaderTotalSql(board: LeaderBoard, sum: LeaderSum, from: Date, to: Date, params: SqlParams): string | null {
  const spans = rollupSpans(from, to, "day");
  if (!spans) return null;
  const e = "e";
  const { table, time } = SOURCE_TABLES.vpcflow;
  const base = selectionCondition("vpcflow", board.base);
  const raw = sum === "records" ? "count(*)" : `coalesce(sum(${e}.${sum}), 0)`;
  return `SELECT (SELECT coalesce(sum(${sum}), 0) FROM flow_leaders WHERE board = ${params.add(board.name)} AND (${bucketsSql(spans.stored, params)}))
               + (SELECT ${raw} FROM ${table} ${e} WHERE ${edgesSql(e, time, from, to, spans, params)}${base ? ` AND ${conditionSql(e, "vpcflow", base, params)}` : ""}) AS total`;
}

/** The stored buckets of `spans`, as a condition on flow_leaders' grain and bucket. */
function bucketsSql(spans: readonly GrainSpan[], params: SqlParams): string {
  const at = (ms: number) => `(${params.add(new Date(ms))}::timestamptz AT TIME ZONE 'UTC')`;
  return spans.map((s) => `(grain = '${s.grain}' AND bucket >= ${at(s.start)} AND bucket < ${at(s.end)})`).join(" OR ");
}

/** Raw records (alias `e`, time column `time`) of the partial hours at the edges of `[from, to)`. */
function edgesSql(e: string, time: string, from: Date, to: Date, spans: { firstHour: number; endHour: number }, params: SqlParams): string {
  return `((${e}.${time} >= ${params.add(from)}::timestamptz AND ${e}.${time} < ${params.add(new Date(spans.firstHour))}::timestamptz)
       OR (${e}.${time} >= ${params.add(new Date(spans.endHour))}::timestamptz AND ${e}.${time} < ${params.add(to)}::timestamptz))`;
}

/**
 * SQL of a board's keys merged over `[from, to)`, busiest first, at most `limit` rows, with columns `k1`… (one
 * per key), `records`, `bytes`, `packets` (lower bounds), `records_error`, `bytes_error`, `packets_error` (what
 * each may lack), `d1`… (one per distinct field: lower bounds), `first_time`, `last_time`. Null when the range
 * holds no whole hour (raw rows are then as cheap). Parameters are added to `params`.
 */
export function leaderRowsSql(board: LeaderBoard, from: Date, to: Date, limit: number, params: SqlParams): string | null {
  const spans = rollupSpans(from, to, "day");
  if (!spans) return null;
  const keys = board.keys.map((_, i) => `k${i + 1}`);
  const distinct = board.distinct.map((_, i) => `d${i + 1}`);
  const name = params.add(board.name);
  const buckets = bucketsSql(spans.stored, params);
  const stored = `SELECT rank, ${keys.join(", ")}, records, bytes, packets, ${distinct.map((d) => `${d}, `).join("")}
                         ${LEADER_SUMS.map((s) => `${s}_error, ${s}_unlisted`).join(", ")}, first_time, last_time
                    FROM flow_leaders WHERE board = ${name} AND (${buckets})`;
  // The partial hours at the edges, exact: their keys are all listed and nothing is unlisted.
  const { table, time } = SOURCE_TABLES.vpcflow;
  const e = "e";
  const base = selectionCondition("vpcflow", board.base);
  const edges = `SELECT 1, ${board.keys.map((k) => textSql(e, "vpcflow", k, params)).join(", ")}, count(*), coalesce(sum(${e}.bytes), 0), coalesce(sum(${e}.packets), 0),
                        ${board.distinct.map((d) => `count(DISTINCT ${textSql(e, "vpcflow", d, params)}), `).join("")}
                        ${LEADER_SUMS.map(() => "0, 0").join(", ")}, min(${e}.${time}), max(${e}.${time})
                   FROM ${table} ${e}
                  WHERE ${edgesSql(e, time, from, to, spans, params)}
                    ${base ? `AND ${conditionSql(e, "vpcflow", base, params)}` : ""}
                  GROUP BY ${keys.map((_, i) => i + 2).join(", ")}`;
  const rank = board.rankBy;
  // A key may lack its rows' own errors, and the unlisted bound of every bucket but those listing it (an
  // uncorrelated subquery: computed once).
  const error = (s: LeaderSum) => `sum(${s}_error) + (SELECT coalesce(sum(${s}_unlisted), 0) FROM merged WHERE rank = 0) - sum(${s}_unlisted) AS ${s}_error`;
  return `WITH merged AS MATERIALIZED (${stored}
          UNION ALL
          ${edges})
  SELECT ${keys.join(", ")}, ${LEADER_SUMS.map((s) => `sum(${s}) AS ${s}`).join(", ")}, ${LEADER_SUMS.map(error).join(", ")},
         ${distinct.map((d) => `max(${d}) AS ${d}, `).join("")}min(first_time) AS first_time, max(last_time) AS last_time
    FROM merged
   WHERE rank > 0
   GROUP BY ${keys.join(", ")}
   ORDER BY ${rank} DESC, ${keys.map((k) => `${k} COLLATE "C" ASC NULLS LAST`).join(", ")}
   LIMIT ${params.add(limit)}`;
}
