-- Three more CloudTrail rollups and the event slices (issue 9). The dashboards' busiest raw reads were the
-- principals and source addresses (top lists and distinct counts over every event of the range), the error
-- codes (the `activity` rollup multiplies them by every event name), and the sign-in and IAM panels, whose
-- few records lie scattered among all the others. lib/reports/rollups.ts and lib/reports/slices.ts are the catalogues.
--   'errors'     hour, day  errorCode                            (a few rows per hour)
--   'names'      hour, day  eventSource, eventName, readOnly     (`activity` without the error codes that multiply it)
--   'regions'    hour, day  recipientAccountId, awsRegion, readOnly (`accounts` without them)
--   'sources'    hour, day  sourceIPAddress                      (one row per address seen)
--   'principals' hour, day  recipientAccountId, userIdentity.arn (one row per principal seen; the ARN names the account)
-- and one flow-log rollup, for traffic per network interface:
--   'interfaces' hour, day  account-id, region, vpc-id, subnet-id, interface-id, action, log-status (+ bytes, packets)
ALTER TABLE "cloudtrail_rollup" ADD COLUMN "user_identity_arn" TEXT, ADD COLUMN "source_ip_address" TEXT;
ALTER TABLE "flow_rollup" ADD COLUMN "vpc_id" TEXT, ADD COLUMN "subnet_id" TEXT, ADD COLUMN "interface_id" TEXT;

-- Event slices: the full rows (every column of cloudtrail_events) of a few small subsets (in real trails), stored together so a
-- month of sign-ins is a few thousand adjacent pages instead of one row in each of millions.
--   'signins'    eventName in ConsoleLogin, UserAuthentication, GetSigninToken, GetFederationToken, CheckMfa, SwitchRole
--   'iam-writes' eventSource iam.amazonaws.com and readOnly not true
--   'denied'     errorCode in AccessDenied, AccessDeniedException, Client.UnauthorizedOperation, UnauthorizedOperation, UnauthorizedAccess
--   'anonymous'  userIdentity.accountId anonymous
-- A later column of cloudtrail_events must be added here too (lib/reports/slices.int.test.ts compares the columns).
CREATE TABLE "cloudtrail_event_slices" (
    "slice" TEXT NOT NULL,
    LIKE "cloudtrail_events" INCLUDING DEFAULTS,

    CONSTRAINT "cloudtrail_event_slices_pkey" PRIMARY KEY ("slice", "recipient_account_id", "event_id")
);
CREATE INDEX "cloudtrail_event_slices_time_idx" ON "cloudtrail_event_slices"("slice", "event_time");

-- As in 20261204120000_report_rollups, plus: the hour rows of 'detail', 'principals' and 'sources' come from
-- one scan of the hour's raw rows (GROUPING SETS); 'errors' hour rows from 'detail'; every daily rollup's day
-- rows from its hour rows; the slices' rows of the hour are copied again from the raw rows.
CREATE OR REPLACE FUNCTION "trailwatch_refresh_rollups"() RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  ct_hours TIMESTAMP(3)[];
  flow_hours TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_day TIMESTAMP(3);
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
                                     user_identity_arn, source_ip_address, records, first_time, last_time)
      SELECT CASE WHEN GROUPING(event_name) = 0 THEN 'detail' WHEN GROUPING(user_identity_arn) = 0 THEN 'principals' ELSE 'sources' END,
             'hour', one_hour, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             user_identity_arn, source_ip_address, count(*), min(event_time), max(event_time)
        FROM cloudtrail_events
       WHERE event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY GROUPING SETS ((recipient_account_id, aws_region, event_source, event_name, read_only, error_code),
                               (recipient_account_id, user_identity_arn),
                               (source_ip_address));
      -- The slices' rows of the hour, from one scan of it (a row may belong to several slices).
      DELETE FROM cloudtrail_event_slices
       WHERE slice IN ('signins', 'iam-writes', 'denied', 'anonymous')
         AND event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC';
      INSERT INTO cloudtrail_event_slices
      SELECT s.slice, e.* FROM cloudtrail_events e
       CROSS JOIN LATERAL (VALUES
         ('signins', e.event_name IN ('ConsoleLogin', 'UserAuthentication', 'GetSigninToken', 'GetFederationToken', 'CheckMfa', 'SwitchRole')),
         ('iam-writes', e.event_source = 'iam.amazonaws.com' AND e.read_only IS NOT TRUE),
         ('denied', e.error_code IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation', 'UnauthorizedAccess')),
         ('anonymous', e.user_identity_account_id = 'anonymous')
       ) AS s(slice, holds)
       WHERE e.event_time >= one_hour AT TIME ZONE 'UTC' AND e.event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
         AND s.holds;
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
                                     user_identity_arn, source_ip_address, records, first_time, last_time)
      SELECT rollup, 'day', one_day, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             user_identity_arn, source_ip_address, sum(records), min(first_time), max(last_time)
        FROM cloudtrail_rollup
       WHERE rollup IN ('activity', 'accounts', 'errors', 'names', 'regions', 'principals', 'sources') AND grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
       GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11;
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

-- Every hour holding records is rebuilt, so the new rollups and the slices exist for rows stored before this migration.
INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events;
INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'vpcflow', date_trunc('hour', start AT TIME ZONE 'UTC') FROM flow_records WHERE start IS NOT NULL;
