-- The `changers` rollup (issue 9): IAM writes (the `iam-writes` slice's records) per account, userIdentity.arn and
-- errorCode, per UTC hour, 6 hours, day and week, within that selection as `logins` is within sign-ins
-- (lib/reports/rollups.ts `within`; the event source and readOnly, nearly constant there, are kept so the selection's
-- fields are the rollup's). The IAM audit's distinct principals changing IAM
-- (lib/reports/iam-audit.ts iamKpis) read every IAM change of the range from the slice (≈ 47k-112k index entries over
-- 30 days at 10M events, 28-46 ms against 6 ms at 100k); a distinct count reads the rows of one grain holding a record
-- in the range (lib/reports/rollups.ts rollupPresence), a few per principal.
--
-- The refresh builds the hour rows from the slice rows it has just copied, as `logins`, and merges the coarser ones
-- with the others (`trailwatch_merge_cloudtrail_rollup`, restated with the rollup); otherwise as in
-- 20261207050000_activity_bytes_out. This migration builds every grain for the hours already rolled up.
CREATE TABLE "cloudtrail_rollup_changers" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('changers');

CREATE OR REPLACE FUNCTION "trailwatch_merge_cloudtrail_rollup"(finer TEXT, coarser TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cloudtrail_rollup
   WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions', 'logins', 'changers')
     AND grain = coarser AND bucket = bucket_start;
  -- A rollup's columns outside its fields are NULL, so grouping by every column groups each rollup by its own.
  INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code, user_identity_arn, source_ip_address, request_bucket_name, additional_bytes_transferred_out, user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
                                 user_identity_type, response_console_login, additional_mfa_used, records, first_time, last_time)
  SELECT rollup, coarser, bucket_start, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
         user_identity_arn, source_ip_address, request_bucket_name, sum(additional_bytes_transferred_out),
         user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
         user_identity_type, response_console_login, additional_mfa_used, sum(records), min(first_time), max(last_time)
    FROM cloudtrail_rollup
   WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions', 'logins', 'changers')
     AND grain = finer AND bucket >= bucket_start AND bucket < bucket_start + bucket_width
   GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21;
END
$$;

CREATE OR REPLACE FUNCTION "trailwatch_refresh_rollups"() RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  ct_hours TIMESTAMP(3)[];
  flow_hours TIMESTAMP(3)[];
  quarters TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  weeks TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_bucket TIMESTAMP(3);
BEGIN
  PERFORM pg_advisory_xact_lock(72707371);
  WITH taken AS (DELETE FROM rollup_dirty_hours RETURNING source, hour)
  SELECT array_agg(DISTINCT hour) FILTER (WHERE source = 'cloudtrail'), array_agg(DISTINCT hour) FILTER (WHERE source = 'vpcflow')
    INTO ct_hours, flow_hours FROM taken;

  IF ct_hours IS NOT NULL THEN
    DELETE FROM cloudtrail_rollup WHERE grain = 'hour' AND bucket = ANY(ct_hours);
    -- One hour at a time: each statement is an index range scan of that hour's rows (a join of all the
    -- hours with the table would make the planner compare every row with every hour).
    FOREACH one_hour IN ARRAY ct_hours LOOP
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
                                     user_identity_arn, source_ip_address, request_bucket_name, additional_bytes_transferred_out, records, first_time, last_time)
      SELECT CASE WHEN GROUPING(request_bucket_name) = 0 THEN 'buckets' WHEN GROUPING(event_name) = 0 THEN 'detail'
                  WHEN GROUPING(user_identity_arn) = 0 THEN 'principals' ELSE 'sources' END,
             'hour', one_hour, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             user_identity_arn, source_ip_address, request_bucket_name,
             CASE WHEN GROUPING(request_bucket_name) = 0 THEN coalesce(sum(trailwatch_numeric(additional_bytes_transferred_out)), 0) END,
             count(*), min(event_time), max(event_time)
        FROM cloudtrail_events
       WHERE event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY GROUPING SETS ((recipient_account_id, aws_region, event_source, event_name, read_only, error_code),
                               (recipient_account_id, user_identity_arn),
                               (source_ip_address),
                               (event_source, event_name, read_only, error_code, request_bucket_name));
      -- The slices' rows of the hour, from one scan of it (a row may belong to several slices).
      DELETE FROM cloudtrail_event_slices
       WHERE slice IN ('signins', 'iam-writes', 'denied', 'anonymous', 'cross-account')
         AND event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC';
      INSERT INTO cloudtrail_event_slices
      SELECT s.slice, e.* FROM cloudtrail_events e
       CROSS JOIN LATERAL (VALUES
         ('signins', e.event_name IN ('ConsoleLogin', 'UserAuthentication', 'GetSigninToken', 'GetFederationToken', 'CheckMfa', 'SwitchRole')),
         ('iam-writes', e.event_source = 'iam.amazonaws.com' AND e.read_only IS NOT TRUE),
         ('denied', e.error_code IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation', 'UnauthorizedAccess')),
         ('anonymous', e.user_identity_account_id = 'anonymous'),
         ('cross-account', e.user_identity_account_id <> e.recipient_account_id AND e.user_identity_account_id <> 'anonymous')
       ) AS s(slice, holds)
       WHERE e.event_time >= one_hour AT TIME ZONE 'UTC' AND e.event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
         AND s.holds;
      -- Role assumptions of the hour (an index range scan of the three event names).
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, event_name, error_code, user_identity_arn,
                                     user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name,
                                     request_source_identity, records, first_time, last_time)
      SELECT 'sessions', 'hour', one_hour, recipient_account_id, event_source, event_name, error_code, user_identity_arn,
             user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
             count(*), min(event_time), max(event_time)
        FROM cloudtrail_events
       WHERE event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
         AND event_name IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML') AND event_source = 'sts.amazonaws.com'
       GROUP BY 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;
      -- Sign-ins of the hour per call, identity type, result and MFA, from the slice rows just copied (the slice holds
      -- exactly the records the rollup counts: lib/reports/rollups.ts ROLLUPS `logins`).
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, event_source, event_name, user_identity_type, response_console_login, additional_mfa_used,
                                     records, first_time, last_time)
      SELECT 'logins', 'hour', one_hour, event_source, event_name, user_identity_type, response_console_login, additional_mfa_used,
             count(*), min(event_time), max(event_time)
        FROM cloudtrail_event_slices
       WHERE slice = 'signins' AND event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY 4, 5, 6, 7, 8;
      -- IAM writes of the hour per principal and error, from the `iam-writes` slice rows just copied.
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, read_only, error_code, user_identity_arn,
                                     records, first_time, last_time)
      SELECT 'changers', 'hour', one_hour, recipient_account_id, event_source, read_only, error_code, user_identity_arn,
             count(*), min(event_time), max(event_time)
        FROM cloudtrail_event_slices
       WHERE slice = 'iam-writes'
         AND event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY 4, 5, 6, 7, 8;
      PERFORM trailwatch_build_cloudtrail_five_minute_rows(one_hour);
    END LOOP;
    -- `activity` from `buckets`, which groups every event by activity's fields and the bucket and sums the bytes out.
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, event_source, event_name, read_only, error_code, additional_bytes_transferred_out,
                                   records, first_time, last_time)
    SELECT 'activity', 'hour', bucket, event_source, event_name, read_only, error_code, sum(additional_bytes_transferred_out),
           sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'buckets' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4, 5, 6, 7;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, read_only, error_code, records, first_time, last_time)
    SELECT 'accounts', 'hour', bucket, recipient_account_id, aws_region, read_only, error_code, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4, 5, 6, 7;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, error_code, records, first_time, last_time)
    SELECT 'errors', 'hour', bucket, error_code, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, event_source, event_name, read_only, records, first_time, last_time)
    SELECT 'names', 'hour', bucket, event_source, event_name, read_only, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4, 5, 6;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, read_only, records, first_time, last_time)
    SELECT 'regions', 'hour', bucket, recipient_account_id, aws_region, read_only, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4, 5, 6;

    -- The 6-hour rows of the quarters holding those hours, the day rows of their days and the week rows (UTC weeks
    -- from Monday, date_trunc('week')) of those days' weeks, each from the grain below.
    SELECT array_agg(DISTINCT date_bin('6 hours', h, TIMESTAMP '2000-01-01')) INTO quarters FROM unnest(ct_hours) AS h;
    FOREACH one_bucket IN ARRAY quarters LOOP
      PERFORM trailwatch_merge_cloudtrail_rollup('hour', '6h', one_bucket, interval '6 hours');
    END LOOP;
    SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(ct_hours) AS h;
    FOREACH one_bucket IN ARRAY days LOOP
      PERFORM trailwatch_merge_cloudtrail_rollup('6h', 'day', one_bucket, interval '1 day');
    END LOOP;
    SELECT array_agg(DISTINCT date_trunc('week', d)) INTO weeks FROM unnest(days) AS d;
    FOREACH one_bucket IN ARRAY weeks LOOP
      PERFORM trailwatch_merge_cloudtrail_rollup('day', 'week', one_bucket, interval '7 days');
    END LOOP;
  END IF;

  IF flow_hours IS NOT NULL THEN
    PERFORM trailwatch_refresh_flow_rollups(flow_hours);
  END IF;

  -- After a large rebuild (a backfill, this migration) the planner's statistics describe tables that no longer
  -- exist: without them it sorts where it should hash. ANALYZE samples a fixed number of rows, so this is cheap.
  IF coalesce(cardinality(ct_hours), 0) >= 24 THEN
    ANALYZE cloudtrail_rollup;
    ANALYZE cloudtrail_event_slices;
  END IF;
  RETURN coalesce(cardinality(ct_hours), 0) + coalesce(cardinality(flow_hours), 0);
END
$$;

-- Every grain of the hours already rolled up: hours from their slice rows, each coarser grain from the one below.
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, read_only, error_code, user_identity_arn, records, first_time, last_time)
SELECT 'changers', 'hour', date_trunc('hour', event_time AT TIME ZONE 'UTC'), recipient_account_id, event_source, read_only, error_code, user_identity_arn, count(*), min(event_time), max(event_time)
  FROM cloudtrail_event_slices
 WHERE slice = 'iam-writes'
 GROUP BY 3, 4, 5, 6, 7, 8;
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, read_only, error_code, user_identity_arn, records, first_time, last_time)
SELECT 'changers', '6h', date_bin('6 hours', bucket, TIMESTAMP '2000-01-01'), recipient_account_id, event_source, read_only, error_code, user_identity_arn, sum(records), min(first_time), max(last_time)
  FROM cloudtrail_rollup
 WHERE rollup = 'changers' AND grain = 'hour'
 GROUP BY 3, 4, 5, 6, 7, 8;
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, read_only, error_code, user_identity_arn, records, first_time, last_time)
SELECT 'changers', 'day', date_trunc('day', bucket), recipient_account_id, event_source, read_only, error_code, user_identity_arn, sum(records), min(first_time), max(last_time)
  FROM cloudtrail_rollup
 WHERE rollup = 'changers' AND grain = '6h'
 GROUP BY 3, 4, 5, 6, 7, 8;
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, read_only, error_code, user_identity_arn, records, first_time, last_time)
SELECT 'changers', 'week', date_trunc('week', bucket), recipient_account_id, event_source, read_only, error_code, user_identity_arn, sum(records), min(first_time), max(last_time)
  FROM cloudtrail_rollup
 WHERE rollup = 'changers' AND grain = 'day'
 GROUP BY 3, 4, 5, 6, 7, 8;

ANALYZE cloudtrail_rollup;
