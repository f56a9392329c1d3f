import type pg from "pg";
import type { Queryable } from "../db/queryable";
import { resolveField } from "./fields";
import { SOURCE_TABLES, SqlParams, textSql } from "./compile-rule";
import type { RuleSource } from "./rule-schema";

/** Alerts of one rule: how many opened since a time, and when it last matched (UTC). */
export interface RuleAlertStats {
  ruleId: string;
  alertsSince: number;
  lastFired: Date | null;
}

/** Per rule id that has alerts: alerts first seen at or after `since`, and the latest match of any of its alerts. */
export async function ruleAlertStats(db: Queryable, since: Date): Promise<Map<string, RuleAlertStats>> {
  const { rows } = await db.query<RuleAlertStats>(
    `SELECT rule_id AS "ruleId", count(*) FILTER (WHERE first_seen >= $1)::int AS "alertsSince", max(last_seen) AS "lastFired" FROM alerts GROUP BY rule_id`,
    [since],
  );
  return new Map(rows.map((r) => [r.ruleId, r]));
}

/**
 * The most frequent values of a field in stored events of the last `days`
 * days (default 7), for the rule editor's value suggestions: at most `limit`
 * (default 20), most frequent first. Unknown fields give []. Bounded by a
 * 5 s statement timeout; a timeout gives [] (suggestions are a convenience).
 */
export async function fieldValueSuggestions(pool: pg.Pool, source: RuleSource, field: string, options: { prefix?: string; days?: number; limit?: number; now?: Date } = {}): Promise<{ value: string; count: number }[]> {
  if (!resolveField(source, field)) return [];
  const params = new SqlParams();
  const src = SOURCE_TABLES[source];
  const value = textSql("e", source, field, params);
  const since = params.add(new Date((options.now ?? new Date()).getTime() - (options.days ?? 7) * 86_400_000));
  const prefix = options.prefix ? `AND ${value} ILIKE ${params.add(`${options.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}` : "";
  const limit = params.add(options.limit ?? 20);
  const db = await pool.connect();
  try {
    await db.query("BEGIN READ ONLY");
    await db.query("SET LOCAL statement_timeout = 5000");
    const { rows } = await db.query<{ value: string; count: number }>(
      `SELECT ${value} AS value, count(*)::int AS count FROM ${src.table} e WHERE e."${src.time}" >= ${since} AND ${value} IS NOT NULL ${prefix}
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`,
      params.values,
    );
    await db.query("COMMIT");
    return rows;
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    if ((error as { code?: string }).code === "57014") return [];
    throw error;
  } finally {
    db.release();
  }
}
