-- The `sessions` rollup (issue 9): role assumptions (STS AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML)
-- per account, call, error code, caller (ARN, user name, invoking service), role ARN, role session name and source
-- identity, per UTC hour, day and week, for the IAM audit's role-assumption panel (lib/reports/iam-audit.ts
-- assumeRoleActivity). Its groups are nearly one per session, so no rollup over all events held them; at 10M events
-- a month the panel grouped 800k raw rows (5-6 s warm, 22 s cold over 30 days). It is the first rollup over a
-- selection of the records (lib/reports/rollups.ts `within`): only role assumptions are counted, so a session that
-- repeats over a day or a week is one row there. Its own partition, as the others (20261206170000).
-- Otherwise the refresh is as in 20261206140000_s3_report_rollup_slice.
ALTER TABLE "cloudtrail_rollup" ADD COLUMN "user_identity_user_name" TEXT, ADD COLUMN "user_identity_invoked_by" TEXT,
  ADD COLUMN "request_role_arn" TEXT, ADD COLUMN "request_role_session_name" TEXT, ADD COLUMN "request_source_identity" TEXT;
CREATE TABLE "cloudtrail_rollup_sessions" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('sessions');

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
    DELETE FROM flow_rollup WHERE grain = 'hour' AND bucket = ANY(flow_hours);
    FOREACH one_hour IN ARRAY flow_hours LOOP
      INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                               records, bytes, packets, first_time, last_time)
      SELECT CASE WHEN GROUPING(interface_id) = 0 THEN 'interfaces' ELSE 'traffic' END, 'hour', one_hour,
             account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
             count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0), min(start), max(start)
        FROM flow_records
       WHERE start >= one_hour AT TIME ZONE 'UTC' AND start < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY GROUPING SETS ((account_id, region, action, log_status, flow_direction),
                               (account_id, region, vpc_id, subnet_id, interface_id, action, log_status));
    END LOOP;

    SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(flow_hours) AS h;
    DELETE FROM flow_rollup WHERE grain = 'day' AND bucket = ANY(days);
    FOREACH one_day IN ARRAY days LOOP
      INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                               records, bytes, packets, first_time, last_time)
      SELECT rollup, 'day', one_day, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
             sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
        FROM flow_rollup
       WHERE rollup IN ('traffic', 'interfaces') AND grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
       GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11;
    END LOOP;

    SELECT array_agg(DISTINCT date_trunc('week', d)) INTO weeks FROM unnest(days) AS d;
    DELETE FROM flow_rollup WHERE rollup IN ('traffic', 'interfaces') AND grain = 'week' AND bucket = ANY(weeks);
    FOREACH one_week IN ARRAY weeks LOOP
      INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                               records, bytes, packets, first_time, last_time)
      SELECT rollup, 'week', one_week, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
             sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
        FROM flow_rollup
       WHERE rollup IN ('traffic', 'interfaces') AND grain = 'day' AND bucket >= one_week AND bucket < one_week + interval '7 days'
       GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11;
    END LOOP;
  END IF;

  -- After a large rebuild (a backfill, this migration) the planner's statistics describe tables that no longer
  -- exist: without them it sorts where it should hash. ANALYZE samples a fixed number of rows, so this is cheap.
  IF coalesce(cardinality(ct_hours), 0) >= 24 THEN
    ANALYZE cloudtrail_rollup;
    ANALYZE cloudtrail_event_slices;
  END IF;
  IF coalesce(cardinality(flow_hours), 0) >= 24 THEN
    ANALYZE flow_rollup;
  END IF;
  RETURN coalesce(cardinality(ct_hours), 0) + coalesce(cardinality(flow_hours), 0);
END
$$;

-- The rollup for the events already stored: hour rows from the raw rows (the role assumptions only, found by the
-- event-name index), then day and week rows from them as the refresh builds them.
SET work_mem = '256MB';
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, event_name, error_code, user_identity_arn,
                               user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name,
                               request_source_identity, records, first_time, last_time)
SELECT 'sessions', 'hour', date_trunc('hour', event_time AT TIME ZONE 'UTC'), recipient_account_id, event_source, event_name, error_code, user_identity_arn,
       user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
       count(*), min(event_time), max(event_time)
  FROM cloudtrail_events
 WHERE event_name IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML') AND event_source = 'sts.amazonaws.com'
 GROUP BY 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
 ORDER BY 3;
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, event_name, error_code, user_identity_arn,
                               user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name,
                               request_source_identity, records, first_time, last_time)
SELECT 'sessions', 'day', date_trunc('day', bucket), recipient_account_id, event_source, event_name, error_code, user_identity_arn,
       user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
       sum(records), min(first_time), max(last_time)
  FROM cloudtrail_rollup WHERE rollup = 'sessions' AND grain = 'hour'
 GROUP BY 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
 ORDER BY 3;
INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, event_source, event_name, error_code, user_identity_arn,
                               user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name,
                               request_source_identity, records, first_time, last_time)
SELECT 'sessions', 'week', date_trunc('week', bucket), recipient_account_id, event_source, event_name, error_code, user_identity_arn,
       user_identity_user_name, user_identity_invoked_by, request_role_arn, request_role_session_name, request_source_identity,
       sum(records), min(first_time), max(last_time)
  FROM cloudtrail_rollup WHERE rollup = 'sessions' AND grain = 'day'
 GROUP BY 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
 ORDER BY 3;
RESET work_mem;
ANALYZE cloudtrail_rollup;
