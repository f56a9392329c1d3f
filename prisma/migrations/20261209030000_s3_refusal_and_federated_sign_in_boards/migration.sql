-- The Login audit's federated console sign-ins per role session and the S3 report's refusals per bucket and caller,
-- as CloudTrail leader boards (issue 9). Their panels (lib/reports/login-audit.ts ssoSignIns, lib/reports/s3-data-events.ts
-- s3AccessDenied) grouped every federated sign-in or S3 refusal of the range from the `signins` and `denied` slices'
-- covering indexes: over 30 days at 10M events ≈ 26k sign-ins and ≈ 10k refusals (24-26 ms and 14-15 ms against 6 ms
-- at 100k). As the boards of 20261209020000_principal_and_sign_in_boards, every grain is grouped from the slice's
-- rows of its bucket of time, so every row is exact (lib/reports/leaders.ts):
--   `federated-logins`: console sign-ins of role sessions and federated users per account (k1), role (k2, the
--   session issuer's name) and session (k3, the ARN), with the failures (c1);
--   `s3-refusals`: S3's AccessDenied per bucket (k1) and caller (k2: the ARN, else the AWS service, else the
--   account; f2 says which), with the set of calls refused (t1).
ALTER TABLE "cloudtrail_leaders" ADD COLUMN "k3" TEXT;

-- As in 20261209020000_principal_and_sign_in_boards, with the federated sign-in and S3 refusal boards.
CREATE OR REPLACE FUNCTION "trailwatch_build_cloudtrail_leaders"(bucket_grain TEXT, bucket_start TIMESTAMP(3), listed INTEGER, data_names TEXT[], bucket_calls TEXT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  bucket_end TIMESTAMP(3) := bucket_start + CASE bucket_grain WHEN '5min' THEN interval '5 minutes' WHEN 'hour' THEN interval '1 hour'
                                                              WHEN '6h' THEN interval '6 hours' WHEN 'day' THEN interval '1 day' ELSE interval '7 days' END;
BEGIN
  INSERT INTO cloudtrail_leaders (board, grain, bucket, rank, k1, f1, k2, f2, k3, records, records_unlisted, c1, c2, c3, c4, s1, t1, t2, first_time, last_time)
  WITH groups AS MATERIALIZED (
    SELECT CASE WHEN GROUPING(user_identity_arn) = 0 THEN 'principals' ELSE 'sources' END AS board,
           coalesce(user_identity_arn, source_ip_address) AS k1, NULL::smallint AS f1, NULL::text AS k2, NULL::smallint AS f2, NULL::text AS k3,
           count(*) AS records,
           NULL::bigint AS c1, NULL::bigint AS c2, NULL::bigint AS c3, NULL::bigint AS c4, NULL::numeric AS s1,
           NULL::text[] AS t1, NULL::text[] AS t2, min(event_time) AS first_time, max(event_time) AS last_time
      FROM cloudtrail_events
     WHERE bucket_grain = '5min'
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < bucket_end AT TIME ZONE 'UTC'
     GROUP BY GROUPING SETS ((user_identity_arn), (source_ip_address))
    HAVING coalesce(user_identity_arn, source_ip_address) IS NOT NULL
    UNION ALL
    SELECT rollup, CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END, NULL, NULL, NULL, NULL, sum(records),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, min(first_time), max(last_time)
      FROM cloudtrail_rollup
     WHERE bucket_grain <> '5min' AND rollup IN ('principals', 'sources') AND grain = bucket_grain AND bucket = bucket_start
       AND CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END IS NOT NULL
     GROUP BY 1, 2
    UNION ALL
    SELECT 'buckets', request_bucket_name, NULL, NULL, NULL, NULL, sum(records),
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
           NULL, NULL, NULL, count(*),
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
           NULL, count(*),
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
    UNION ALL
    -- Federated console sign-ins (role sessions, federated users) per account (k1), role (k2) and session (k3),
    -- with the failures (c1).
    SELECT 'federated-logins', recipient_account_id, NULL, session_issuer_user_name, NULL, user_identity_arn, count(*),
           count(*) FILTER (WHERE response_console_login = 'Failure'), NULL, NULL, NULL, NULL, NULL, NULL, min(event_time), max(event_time)
      FROM cloudtrail_event_slices
     WHERE slice = 'signins' AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin'
       AND user_identity_type IN ('AssumedRole', 'FederatedUser')
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < bucket_end AT TIME ZONE 'UTC'
     GROUP BY 2, 4, 6
    UNION ALL
    -- S3's refusals per bucket (k1) and caller (k2: the ARN, else the AWS service, else the account; f2 says which),
    -- with the set of calls refused (t1).
    SELECT 's3-refusals', request_bucket_name, NULL,
           coalesce(user_identity_arn, user_identity_invoked_by, user_identity_account_id),
           CASE WHEN user_identity_arn IS NOT NULL THEN 0 WHEN user_identity_invoked_by IS NOT NULL THEN 1 WHEN user_identity_account_id IS NOT NULL THEN 2 END,
           NULL, count(*), NULL, NULL, NULL, NULL, NULL, array_agg(DISTINCT event_name), NULL, min(event_time), max(event_time)
      FROM cloudtrail_event_slices
     WHERE slice = 'denied' AND event_source = 's3.amazonaws.com' AND error_code = 'AccessDenied'
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < bucket_end AT TIME ZONE 'UTC'
     GROUP BY 2, 4, 5
  ), ranked AS (
    SELECT g.*, row_number() OVER (PARTITION BY g.board ORDER BY CASE g.board WHEN 'iam-changes' THEN g.c1 ELSE g.records END DESC,
                                                                 g.k1 COLLATE "C" ASC NULLS LAST, g.f1, g.k2 COLLATE "C" ASC NULLS LAST, g.f2,
                                                                 g.k3 COLLATE "C" ASC NULLS LAST) AS rank
      FROM groups g
  ), unlisted AS (
    SELECT board, sum(records) AS records, max(records) AS records_unlisted,
           sum(c1) AS c1, sum(c2) AS c2, sum(c3) AS c3, sum(c4) AS c4, sum(s1) AS s1, min(first_time) AS first_time, max(last_time) AS last_time
      FROM ranked WHERE rank > listed GROUP BY board
  )
  SELECT r.board, bucket_grain, bucket_start, r.rank, r.k1, r.f1, r.k2, r.f2, r.k3, r.records, coalesce(u.records_unlisted, 0),
         r.c1, r.c2, r.c3, r.c4, r.s1, r.t1, r.t2, r.first_time, r.last_time
    FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
   WHERE r.rank <= listed
  UNION ALL
  SELECT board, bucket_grain, bucket_start, 0, NULL, NULL, NULL, NULL, NULL, records, records_unlisted, c1, c2, c3, c4, s1, NULL, NULL, first_time, last_time
    FROM unlisted;
END $$;

-- The CloudTrail hours already stored: the next refresh rebuilds their boards, the new ones included.
INSERT INTO cloudtrail_leader_dirty_hours (hour)
SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour';
