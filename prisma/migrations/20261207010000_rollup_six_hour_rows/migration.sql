-- 6-hour rows for the rollups that keep days (issue 9; Physical design 28 in docs/performance.md): rows per UTC
-- quarter of a day (from 00:00, 06:00, 12:00 and 18:00) between the hour and the day rows. A range's whole hours
-- outside its whole days are up to 23 at each end; at most 5 of them are now hour rows and the rest at most 3
-- 6-hour rows (lib/reports/grains.ts rollupSpans). Over the last 24 hours a principal was up to 23 hour rows, now
-- at most 8; the rows a wide rollup (`principals`, `sources`: a row per key and hour) returns shrink as much.
--
-- A coarser grain's rows are merged from the grain below by one function per table (`trailwatch_merge_*_rollup`,
-- for 6-hour, day and week rows alike): a day now sums its 4 quarters instead of its 24 hours. The refresh is
-- otherwise as in 20261207000000_cloudtrail_five_minute_rows and 20261206200000_flow_five_minute_rows; this
-- migration merges the 6-hour rows of every quarter already rolled up, so no read finds them missing.
CREATE FUNCTION "trailwatch_merge_cloudtrail_rollup"(finer TEXT, coarser TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cloudtrail_rollup
   WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions')
     AND grain = coarser AND bucket = bucket_start;
  -- A rollup's columns outside its fields are NULL, so grouping by every column groups each rollup by its own.
  INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code, user_identity_arn, source_ip_address, request_bucket_name, additional_bytes_transferred_out, user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
                                 records, first_time, last_time)
  SELECT rollup, coarser, bucket_start, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
         user_identity_arn, source_ip_address, request_bucket_name, sum(additional_bytes_transferred_out),
         user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
         sum(records), min(first_time), max(last_time)
    FROM cloudtrail_rollup
   WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources', 'buckets', 'sessions')
     AND grain = finer AND bucket >= bucket_start AND bucket < bucket_start + bucket_width
   GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18;
END
$$;

CREATE FUNCTION "trailwatch_merge_flow_rollup"(finer TEXT, coarser TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM flow_rollup WHERE rollup IN ('traffic', 'interfaces') AND grain = coarser AND bucket = bucket_start;
  INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                           records, bytes, packets, first_time, last_time)
  SELECT rollup, coarser, bucket_start, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
         sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
    FROM flow_rollup
   WHERE rollup IN ('traffic', 'interfaces') AND grain = finer AND bucket >= bucket_start AND bucket < bucket_start + bucket_width
   GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11;
END
$$;

CREATE OR REPLACE FUNCTION "trailwatch_refresh_flow_rollups"(hours TIMESTAMP(3)[]) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  quarters TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  weeks TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_bucket TIMESTAMP(3);
BEGIN
  FOREACH one_hour IN ARRAY hours LOOP
    DELETE FROM flow_rollup
     WHERE rollup IN ('traffic', 'interfaces') AND grain IN ('5min', 'hour') AND bucket >= one_hour AND bucket < one_hour + interval '1 hour';
    -- One index range scan of the hour's raw rows: `traffic` per 5 minutes, `interfaces` per hour (an interface's
    -- 5-minute rows would be a third as many as its records); then `traffic`'s hour rows from its 5-minute rows.
    INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                             records, bytes, packets, first_time, last_time)
    SELECT CASE WHEN GROUPING(interface_id) = 0 THEN 'interfaces' ELSE 'traffic' END,
           CASE WHEN GROUPING(interface_id) = 0 THEN 'hour' ELSE '5min' END,
           CASE WHEN GROUPING(interface_id) = 0 THEN one_hour ELSE date_bin('5 minutes', start AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01') END,
           account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
           count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0), min(start), max(start)
      FROM flow_records
     WHERE start >= one_hour AT TIME ZONE 'UTC' AND start < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
     GROUP BY GROUPING SETS ((date_bin('5 minutes', start AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01'), account_id, region, action, log_status, flow_direction),
                             (account_id, region, vpc_id, subnet_id, interface_id, action, log_status));
    INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                             records, bytes, packets, first_time, last_time)
    SELECT rollup, 'hour', one_hour, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
           sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
      FROM flow_rollup
     WHERE rollup = 'traffic' AND grain = '5min' AND bucket >= one_hour AND bucket < one_hour + interval '1 hour'
     GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11;
  END LOOP;

  SELECT array_agg(DISTINCT date_bin('6 hours', h, TIMESTAMP '2000-01-01')) INTO quarters FROM unnest(hours) AS h;
  FOREACH one_bucket IN ARRAY quarters LOOP
    PERFORM trailwatch_merge_flow_rollup('hour', '6h', one_bucket, interval '6 hours');
  END LOOP;
  SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(hours) AS h;
  FOREACH one_bucket IN ARRAY days LOOP
    PERFORM trailwatch_merge_flow_rollup('6h', 'day', one_bucket, interval '1 day');
  END LOOP;
  SELECT array_agg(DISTINCT date_trunc('week', d)) INTO weeks FROM unnest(days) AS d;
  FOREACH one_bucket IN ARRAY weeks LOOP
    PERFORM trailwatch_merge_flow_rollup('day', 'week', one_bucket, interval '7 days');
  END LOOP;

  IF cardinality(hours) >= 24 THEN
    ANALYZE flow_rollup;
  END IF;
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

-- The quarters already rolled up gain their 6-hour rows (quarters holding an hour still marked dirty are merged again
-- at the next refresh).
DO $$
DECLARE
  one_bucket TIMESTAMP(3);
BEGIN
  FOR one_bucket IN SELECT DISTINCT date_bin('6 hours', bucket, TIMESTAMP '2000-01-01') FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour' LOOP
    PERFORM trailwatch_merge_cloudtrail_rollup('hour', '6h', one_bucket, interval '6 hours');
  END LOOP;
  FOR one_bucket IN SELECT DISTINCT date_bin('6 hours', bucket, TIMESTAMP '2000-01-01') FROM flow_rollup WHERE rollup = 'traffic' AND grain = 'hour' LOOP
    PERFORM trailwatch_merge_flow_rollup('hour', '6h', one_bucket, interval '6 hours');
  END LOOP;
END
$$;

ANALYZE cloudtrail_rollup;
ANALYZE flow_rollup;
