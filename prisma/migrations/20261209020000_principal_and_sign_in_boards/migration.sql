-- The IAM audit's refusals and IAM changes per principal, and the Login audit's sign-ins per user and per source
-- address, as CloudTrail leader boards (issue 9). Their panels (lib/reports/iam-audit.ts accessDeniedByPrincipal,
-- iamChangesByPrincipal; lib/reports/login-audit.ts loginsByUser, loginsBySourceIp) grouped every refused call, IAM
-- write or console sign-in of the range from their slices' covering indexes: 111k refusals and ≈ 50k sign-ins over
-- 30 days at 10M events (58-128 ms against 3-7 ms at 100k). No rollup of them is much smaller: the principals rarely
-- repeat a call within a day (107k day rows for 111k refusals, measured), and users and addresses are drawn
-- independently. A board lists, per bucket of time, the 200 busiest keys (50 per 5 minutes) and one row for the
-- others (lib/reports/leaders.ts):
--   `refusals`: refused calls (the `denied` slice) per principal, with the set of their event names (t1) and event
--   sources (t2);
--   `iam-changes`: IAM writes (the `iam-writes` slice) per principal, ranked by the successful ones (c1), with the
--   failed ones (c2) and the set of the successful ones' event names (t1);
--   `logins-by-user`: console sign-ins (the `signins` slice) per account (k1) and user (k2), with successes (c1),
--   failures (c2), successes with MFA (c3) and the set of source addresses (t1);
--   `logins-by-source`: console sign-ins per source address, with successes (c1), failures (c2) and the set of users
--   (t1).
-- A principal is the IAM audit's chain of fields (userIdentity.arn, else userIdentity.userName, else
-- userIdentity.invokedBy), a user the Login audit's (the user name, else the ARN); f1, f2 say which field supplied
-- k1, k2, so a row's link lists exactly its events. Sets, not distinct counts: merged by union, a key's distinct calls
-- or addresses are exact over the buckets listing it. Every grain is grouped from the slice's rows of its bucket of
-- time (the refresh runs after the slices'), so every row is exact.
ALTER TABLE "cloudtrail_leaders"
  ADD COLUMN "f1" SMALLINT,
  ADD COLUMN "k2" TEXT,
  ADD COLUMN "f2" SMALLINT,
  ADD COLUMN "t1" TEXT[],
  ADD COLUMN "t2" TEXT[];

-- As in 20261209000000_s3_buckets_board, with the principal and sign-in boards.
CREATE OR REPLACE FUNCTION "trailwatch_build_cloudtrail_leaders"(bucket_grain TEXT, bucket_start TIMESTAMP(3), listed INTEGER, data_names TEXT[], bucket_calls TEXT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  bucket_end TIMESTAMP(3) := bucket_start + CASE bucket_grain WHEN '5min' THEN interval '5 minutes' WHEN 'hour' THEN interval '1 hour'
                                                              WHEN '6h' THEN interval '6 hours' WHEN 'day' THEN interval '1 day' ELSE interval '7 days' END;
BEGIN
  INSERT INTO cloudtrail_leaders (board, grain, bucket, rank, k1, f1, k2, f2, records, records_unlisted, c1, c2, c3, c4, s1, t1, t2, first_time, last_time)
  WITH groups AS MATERIALIZED (
    SELECT CASE WHEN GROUPING(user_identity_arn) = 0 THEN 'principals' ELSE 'sources' END AS board,
           coalesce(user_identity_arn, source_ip_address) AS k1, NULL::smallint AS f1, NULL::text AS k2, NULL::smallint AS f2, count(*) AS records,
           NULL::bigint AS c1, NULL::bigint AS c2, NULL::bigint AS c3, NULL::bigint AS c4, NULL::numeric AS s1,
           NULL::text[] AS t1, NULL::text[] AS t2, min(event_time) AS first_time, max(event_time) AS last_time
      FROM cloudtrail_events
     WHERE bucket_grain = '5min'
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < bucket_end AT TIME ZONE 'UTC'
     GROUP BY GROUPING SETS ((user_identity_arn), (source_ip_address))
    HAVING coalesce(user_identity_arn, source_ip_address) IS NOT NULL
    UNION ALL
    SELECT rollup, CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END, NULL, NULL, NULL, sum(records),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, min(first_time), max(last_time)
      FROM cloudtrail_rollup
     WHERE bucket_grain <> '5min' AND rollup IN ('principals', 'sources') AND grain = bucket_grain AND bucket = bucket_start
       AND CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END IS NOT NULL
     GROUP BY 1, 2
    UNION ALL
    SELECT 'buckets', request_bucket_name, NULL, NULL, NULL, sum(records),
           coalesce(sum(records) FILTER (WHERE event_name = bucket_calls[1]), 0),
           coalesce(sum(records) FILTER (WHERE event_name = bucket_calls[2]), 0),
           coalesce(sum(records) FILTER (WHERE event_name = bucket_calls[3]), 0),
           coalesce(sum(records) FILTER (WHERE error_code IS NOT NULL), 0),
           coalesce(sum(additional_bytes_transferred_out), 0), NULL, NULL, min(first_time), max(last_time)
      FROM cloudtrail_rollup
     WHERE rollup = 'buckets' AND grain = bucket_grain AND bucket = bucket_start
       AND event_source = 's3.amazonaws.com' AND event_name = ANY(data_names) AND request_bucket_name IS NOT NULL
     GROUP BY 2
    UNION ALL
    -- The principal boards, from their slices' rows (an index-only range scan of each slice's covering index).
    SELECT CASE slice WHEN 'denied' THEN 'refusals' ELSE 'iam-changes' END,
           coalesce(user_identity_arn, user_identity_user_name, user_identity_invoked_by),
           CASE WHEN user_identity_arn IS NOT NULL THEN 0 WHEN user_identity_user_name IS NOT NULL THEN 1 WHEN user_identity_invoked_by IS NOT NULL THEN 2 END,
           NULL, NULL, count(*),
           CASE slice WHEN 'iam-writes' THEN count(*) FILTER (WHERE error_code IS NULL) END,
           CASE slice WHEN 'iam-writes' THEN count(*) FILTER (WHERE error_code IS NOT NULL) END,
           NULL, NULL, NULL,
           CASE slice WHEN 'denied' THEN array_agg(DISTINCT event_name) ELSE array_agg(DISTINCT event_name) FILTER (WHERE error_code IS NULL) END,
           CASE slice WHEN 'denied' THEN array_agg(DISTINCT event_source) END,
           min(event_time), max(event_time)
      FROM cloudtrail_event_slices
     WHERE slice IN ('denied', 'iam-writes')
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < bucket_end AT TIME ZONE 'UTC'
     GROUP BY slice, 2, 3
    UNION ALL
    -- The sign-in boards, from the `signins` slice's console sign-ins: per account and user (the user name, else
    -- the ARN), and per source address.
    SELECT CASE WHEN GROUPING(source_ip_address) = 0 THEN 'logins-by-source' ELSE 'logins-by-user' END,
           CASE WHEN GROUPING(source_ip_address) = 0 THEN source_ip_address ELSE recipient_account_id END, NULL,
           CASE WHEN GROUPING(source_ip_address) = 1 THEN signin_user END,
           CASE WHEN GROUPING(source_ip_address) = 1 THEN signin_user_field END,
           count(*),
           count(*) FILTER (WHERE response_console_login = 'Success'),
           count(*) FILTER (WHERE response_console_login = 'Failure'),
           CASE WHEN GROUPING(source_ip_address) = 1 THEN count(*) FILTER (WHERE response_console_login = 'Success' AND additional_mfa_used = 'Yes') END,
           NULL, NULL,
           CASE WHEN GROUPING(source_ip_address) = 0
                THEN array_agg(DISTINCT signin_user) FILTER (WHERE signin_user IS NOT NULL)
                ELSE array_agg(DISTINCT source_ip_address) FILTER (WHERE source_ip_address IS NOT NULL) END,
           NULL, min(event_time), max(event_time)
      FROM (SELECT *, coalesce(user_identity_user_name, user_identity_arn) AS signin_user,
                   CASE WHEN user_identity_user_name IS NOT NULL THEN 0 WHEN user_identity_arn IS NOT NULL THEN 1 END AS signin_user_field
              FROM cloudtrail_event_slices
             WHERE slice = 'signins' AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin'
               AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < bucket_end AT TIME ZONE 'UTC') s
     GROUP BY GROUPING SETS ((recipient_account_id, signin_user, signin_user_field), (source_ip_address))
  ), ranked AS (
    SELECT g.*, row_number() OVER (PARTITION BY g.board ORDER BY CASE g.board WHEN 'iam-changes' THEN g.c1 ELSE g.records END DESC,
                                                                 g.k1 COLLATE "C" ASC NULLS LAST, g.f1, g.k2 COLLATE "C" ASC NULLS LAST, g.f2) AS rank
      FROM groups g
  ), unlisted AS (
    SELECT board, sum(records) AS records, max(records) AS records_unlisted,
           sum(c1) AS c1, sum(c2) AS c2, sum(c3) AS c3, sum(c4) AS c4, sum(s1) AS s1, min(first_time) AS first_time, max(last_time) AS last_time
      FROM ranked WHERE rank > listed GROUP BY board
  )
  SELECT r.board, bucket_grain, bucket_start, r.rank, r.k1, r.f1, r.k2, r.f2, r.records, coalesce(u.records_unlisted, 0),
         r.c1, r.c2, r.c3, r.c4, r.s1, r.t1, r.t2, r.first_time, r.last_time
    FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
   WHERE r.rank <= listed
  UNION ALL
  SELECT board, bucket_grain, bucket_start, 0, NULL, NULL, NULL, NULL, records, records_unlisted, c1, c2, c3, c4, s1, NULL, NULL, first_time, last_time
    FROM unlisted;
END $$;

-- The CloudTrail hours already stored: the next refresh rebuilds their boards, the new ones included.
INSERT INTO cloudtrail_leader_dirty_hours (hour)
SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour';
