-- 5-minute rows for the narrow CloudTrail rollups (issue 9; Physical design 27 in docs/performance.md), as
-- 20261206200000_flow_five_minute_rows did for flows: `errors`, `names`, `regions`, `activity`, `accounts` and
-- `buckets` keep 5-minute buckets besides their hours, so a report range's partial hours at its edges read stored
-- rows for their whole 5 minutes and raw events for less than 5 minutes at each end (lib/reports/grains.ts
-- rollupSpans), instead of up to an hour of raw events at each end: ≈ 14k events at 10M a month, most of the time
-- of the overview's panels over 24 hours. The wide rollups (`detail`, `principals`, `sources`, `sessions`) keep
-- hours only: their 5-minute rows would be nearly as many as the events.
--
-- `trailwatch_build_cloudtrail_five_minute_rows` rebuilds one hour's 5-minute rows from one index range scan of its
-- events (the time index INCLUDEs every column they read: 20261206210000_time_index_covering); the refresh calls it
-- for every hour it rebuilds, and this migration for every hour already rolled up, so no read finds them missing.
-- The refresh is otherwise as in 20261206200000_flow_five_minute_rows.
CREATE FUNCTION "trailwatch_build_cloudtrail_five_minute_rows"(one_hour TIMESTAMP(3)) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cloudtrail_rollup
   WHERE rollup IN ('errors', 'names', 'regions', 'activity', 'accounts', 'buckets') AND grain = '5min'
     AND bucket >= one_hour AND bucket < one_hour + interval '1 hour';
  INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
                                 request_bucket_name, additional_bytes_transferred_out, records, first_time, last_time)
  WITH five AS MATERIALIZED (
    -- The hour's events per 5 minutes and every field of the six rollups: each rollup's rows group these.
    SELECT date_bin('5 minutes', event_time AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01') AS bucket,
           recipient_account_id, aws_region, event_source, event_name, read_only, error_code, request_bucket_name,
           sum(trailwatch_numeric(additional_bytes_transferred_out)) AS bytes_out, count(*) AS records, min(event_time) AS first_time, max(event_time) AS last_time
      FROM cloudtrail_events
     WHERE event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  )
  -- `buckets` first: its columns give the NULLs of the other rollups' rows their types.
  SELECT 'buckets', '5min', bucket, NULL, NULL, event_source, event_name, read_only, error_code, request_bucket_name, coalesce(sum(bytes_out), 0),
         sum(records), min(first_time), max(last_time)
    FROM five GROUP BY bucket, event_source, event_name, read_only, error_code, request_bucket_name
  UNION ALL
  SELECT 'errors', '5min', bucket, NULL, NULL, NULL, NULL, NULL, error_code, NULL, NULL, sum(records), min(first_time), max(last_time)
    FROM five GROUP BY bucket, error_code
  UNION ALL
  SELECT 'names', '5min', bucket, NULL, NULL, event_source, event_name, read_only, NULL, NULL, NULL, sum(records), min(first_time), max(last_time)
    FROM five GROUP BY bucket, event_source, event_name, read_only
  UNION ALL
  SELECT 'regions', '5min', bucket, recipient_account_id, aws_region, NULL, NULL, read_only, NULL, NULL, NULL, sum(records), min(first_time), max(last_time)
    FROM five GROUP BY bucket, recipient_account_id, aws_region, read_only
  UNION ALL
  SELECT 'activity', '5min', bucket, NULL, NULL, event_source, event_name, read_only, error_code, NULL, NULL, sum(records), min(first_time), max(last_time)
    FROM five GROUP BY bucket, event_source, event_name, read_only, error_code
  UNION ALL
  SELECT 'accounts', '5min', bucket, recipient_account_id, aws_region, NULL, NULL, read_only, error_code, NULL, NULL, sum(records), min(first_time), max(last_time)
    FROM five GROUP BY bucket, recipient_account_id, aws_region, read_only, error_code;
END
$$;

CREATE OR REPLACE FUNCTION "trailwatch_refresh_rollups"() RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  ct_hours TIMESTAMP(3)[];
  flow_hours TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  weeks TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_day TIMESTAMP(3);
  one_week TIMESTAMP(3);
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
      PERFORM trailwatch_build_cloudtrail_five_minute_rows(one_hour);
    END LOOP;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, event_source, event_name, read_only, error_code, records, first_time, last_time)
    SELECT 'activity', 'hour', bucket, event_source, event_name, read_only, error_code, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
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

    SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(ct_hours) AS h;
    DELETE FROM cloudtrail_rollup WHERE grain = 'day' AND bucket = ANY(days);
    FOREACH one_day IN ARRAY days LOOP
      -- A rollup's columns outside its fields are NULL, so grouping by every column groups each rollup by its own.
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
                                     user_identity_arn, source_ip_address, request_bucket_name, additional_bytes_transferred_out,
                                     user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name,
                                     request_source_identity, records, first_time, last_time)
      SELECT rollup, 'day', one_day, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             user_identity_arn, source_ip_address, request_bucket_name, sum(additional_bytes_transferred_out),
             user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
             sum(records), min(first_time), max(last_time)
        FROM cloudtrail_rollup
       WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions') AND grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
       GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18;
    END LOOP;

    -- The week rows (UTC weeks from Monday, date_trunc('week')) of the weeks holding those days, from their day rows.
    SELECT array_agg(DISTINCT date_trunc('week', d)) INTO weeks FROM unnest(days) AS d;
    DELETE FROM cloudtrail_rollup WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions') AND grain = 'week' AND bucket = ANY(weeks);
    FOREACH one_week IN ARRAY weeks LOOP
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
                                     user_identity_arn, source_ip_address, request_bucket_name, additional_bytes_transferred_out,
                                     user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name,
                                     request_source_identity, records, first_time, last_time)
      SELECT rollup, 'week', one_week, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             user_identity_arn, source_ip_address, request_bucket_name, sum(additional_bytes_transferred_out),
             user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
             sum(records), min(first_time), max(last_time)
        FROM cloudtrail_rollup
       WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions') AND grain = 'day' AND bucket >= one_week AND bucket < one_week + interval '7 days'
       GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18;
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


-- Every hour already rolled up gains its 5-minute rows now (an hour still marked dirty gains them at the next refresh).
DO $$
DECLARE
  one_hour TIMESTAMP(3);
BEGIN
  FOR one_hour IN SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour' LOOP
    PERFORM trailwatch_build_cloudtrail_five_minute_rows(one_hour);
  END LOOP;
END
$$;

ANALYZE cloudtrail_rollup;
