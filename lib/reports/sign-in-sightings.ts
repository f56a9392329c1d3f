import type { SqlParams } from "../detect/compile-rule";
import type { Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import { selectionSql } from "./selection";
import { CONSOLE_LOGIN_SUCCESS, SIGNIN_USER } from "./sign-in-selections";

/**
 * Sign-in sightings (table `sign_in_sightings`, migration 20261209060000_sign_in_sightings): the successful console
 * sign-ins per account, user and source address and UTC hour, the hours whose first sign-in is a first sighting
 * marked: no successful sign-in of the same account, user and address in the {@link FIRST_SEEN_LOOKBACK_DAYS} before
 * it. The Login audit's first-seen addresses (login-audit.ts firstSeenIps) read a range's newest marked rows, as
 * many as they list, instead of grouping every sign-in of the range and the lookback before it.
 *
 * The refresh (`trailwatch_refresh_sign_in_sightings`, run by lib/reports/rollups.ts' refreshRollups after the
 * slices') rebuilds the hours marked dirty from the `signins` slice and marks again every hour of the pairs they
 * held, so late data and retention keep the marks exact; sign-in-sightings.int.test.ts compares them with the raw
 * events.
 */

/** First-seen addresses: how far back an earlier successful sign-in from the same address counts, in days. */
export const FIRST_SEEN_LOOKBACK_DAYS = 90;
/** The records the table holds: successful `ConsoleLogin` events. */
export const SIGHTED = CONSOLE_LOGIN_SUCCESS;
/** Its keys, as report-query.ts groups them: the account, the user (`userName`, else the ARN), the source address. */
export const SIGHTING_KEYS = { account: "recipientAccountId", user: SIGNIN_USER, ip: "sourceIPAddress" } as const;

/**
 * The table's `pair` of a slice row aliased `e`: account, user, user field and address as a JSON array, as the
 * migration writes it (the integration test's counts at a range's edge depend on the two agreeing).
 */
const pairSql = (e: string) =>
  `json_build_array(${e}.recipient_account_id, coalesce(${e}.user_identity_user_name, ${e}.user_identity_arn),
     CASE WHEN ${e}.user_identity_user_name IS NOT NULL THEN 0 WHEN ${e}.user_identity_arn IS NOT NULL THEN 1 END, ${e}.source_ip_address)::text`;

/**
 * Rebuilds the sightings of the CloudTrail hours marked since the last refresh, from the `signins` slice, so it
 * runs after the slices' refresh (an hour they have not refreshed waits for the next call). Returns how many hours
 * were rebuilt. Throws when the database fails.
 */
export async function refreshSignInSightings(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT trailwatch_refresh_sign_in_sightings(make_interval(days => $1)) AS n", [FIRST_SEEN_LOOKBACK_DAYS]);
  return Number(rows[0]?.n ?? 0);
}

/** Whether the table answers first sightings over `scope`: no region filter (it keys by account only), and a range no longer than the lookback. */
export function sightingsServe(scope: ReportScope): boolean {
  return !scope.region && scope.to.getTime() - scope.from.getTime() <= FIRST_SEEN_LOOKBACK_DAYS * 86_400_000;
}

/**
 * SQL of the `limit` newest first sightings in `scope` (which {@link sightingsServe}), newest first, with columns
 * `k_account`, `f_account`, `k_user`, `f_user`, `k_ip`, `f_ip` (report-query.ts' key columns), `first_seen` and `n`,
 * the pair's sign-ins in the scope. As a range holds no earlier sign-in of a pair than its first sighting, those are
 * its hours' records from the first sighting's hour on, and the slice's records of the range's last, partial hour.
 * Parameters are added to `params`.
 */
export function firstSightingsSql(scope: ReportScope, limit: number, params: SqlParams): string {
  const from = params.add(scope.from);
  const to = params.add(scope.to);
  const lastHour = params.add(new Date(Math.floor(scope.to.getTime() / 3_600_000) * 3_600_000));
  const account = scope.account ? ` AND recipient_account_id = ${params.add(scope.account)}` : "";
  return `WITH firsts AS (
       SELECT pair, hour, recipient_account_id, user_key, user_field, source_ip_address, first_time
         FROM sign_in_sightings
        WHERE first_sighting AND first_time >= ${from}::timestamptz AND first_time < ${to}::timestamptz${account}
        ORDER BY first_time DESC, pair
        LIMIT ${params.add(limit)}
     ), edge AS (
       SELECT ${pairSql("e")} AS pair, count(*) AS n
         FROM cloudtrail_event_slices e
        WHERE e.slice = 'signins' AND ${selectionSql("e", "cloudtrail", SIGHTED, params)}
          AND e.event_time >= ${lastHour}::timestamptz AND e.event_time < ${to}::timestamptz
        GROUP BY 1
     )
     SELECT f.recipient_account_id AS k_account, 0 AS f_account, f.user_key AS k_user, f.user_field AS f_user,
            f.source_ip_address AS k_ip, CASE WHEN f.source_ip_address IS NOT NULL THEN 0 END AS f_ip, f.first_time AS first_seen,
            coalesce((SELECT sum(s.records) FROM sign_in_sightings s
                       WHERE s.pair = f.pair AND s.hour >= f.hour AND s.hour < (${lastHour}::timestamptz AT TIME ZONE 'UTC')), 0)
              + coalesce((SELECT edge.n FROM edge WHERE edge.pair = f.pair), 0) AS n
       FROM firsts f
      ORDER BY f.first_time DESC, f.pair`;
}
