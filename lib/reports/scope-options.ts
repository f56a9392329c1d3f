import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";

/** The accounts and regions with CloudTrail events or flow records in a time range: the choices of the report filters. */
export interface ScopeOptions {
  /** 12-digit account ids, sorted. */
  accounts: string[];
  /** Region names, sorted. */
  regions: string[];
}

/** At most this many of each are offered. */
const MAX_OPTIONS = 200;

/**
 * Distinct accounts (`recipientAccountId`, flow `account-id`) and regions (`awsRegion`, flow `region`)
 * seen in `[from, to)`, whatever account or region is currently chosen (so the choice can be changed).
 */
export async function scopeOptions(scope: Pick<ReportScope, "from" | "to">, db: Queryable = getPool()): Promise<ScopeOptions> {
  const params = [scope.from, scope.to, MAX_OPTIONS];
  const [accounts, regions] = await Promise.all([
    db.query(
      `SELECT v FROM (
         SELECT DISTINCT recipient_account_id AS v FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2
         UNION
         SELECT DISTINCT account_id FROM flow_records WHERE start >= $1 AND start < $2 AND account_id IS NOT NULL
       ) a WHERE v ~ '^[0-9]{12}$' ORDER BY v LIMIT $3`,
      params,
    ),
    db.query(
      `SELECT v FROM (
         SELECT DISTINCT aws_region AS v FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND aws_region IS NOT NULL
         UNION
         SELECT DISTINCT region FROM flow_records WHERE start >= $1 AND start < $2 AND region IS NOT NULL
       ) r WHERE v ~ '^[a-z]{2}(-[a-z]+){1,2}-[0-9]{1,2}$' ORDER BY v LIMIT $3`,
      params,
    ),
  ]);
  return { accounts: accounts.rows.map((r) => String(r.v)), regions: regions.rows.map((r) => String(r.v)) };
}
