-- 5-minute rows for flow records (issue 9): the `traffic` rollup and the leader boards keep 5-minute buckets
-- besides their hours, so a report range's partial hours at its edges read stored rows for their
-- whole 5 minutes and raw records for less than 5 minutes at each end (lib/reports/grains.ts rollupSpans), instead
-- of up to an hour of raw records at each end: ≈ 70k records at 50M a month, which kept every flow panel above
-- 200 ms (240 ms reading them and 150 ms grouping them in top talkers over 30 days).
--
-- The rollups' refresh for flows moves into its own function (the CloudTrail part is as in
-- 20261206190000_assume_role_sessions_rollup): an hour's `traffic` 5-minute rows come from its raw records, and
-- its hour rows from those, so the raw records are still grouped once. `interfaces` keeps hours only: at 50M
-- records a month its 5-minute rows were 19.5M (3 GB), hardly fewer than the records at a range's edges.
-- A board is now built one bucket at a time by `trailwatch_build_flow_leaders` (the statement of
-- 20261206190200_flow_leaders_top_n, for any bucket): per hour with `listed` keys and per 5 minutes with
-- `listed_five_minutes` (lib/reports/leaders.ts LISTED_FIVE_MINUTES). The rollups' deletes name the rollups, so
-- they use the (rollup, grain, bucket) index; the boards' refresh finds its buckets through a (grain, bucket) index
-- (the boards' first column is the board). A large rebuild ends with ANALYZE, as the rollups' does.
CREATE INDEX "flow_leaders_time_idx" ON "flow_leaders" ("grain", "bucket");


CREATE FUNCTION "trailwatch_refresh_flow_rollups"(hours TIMESTAMP(3)[]) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  days TIMESTAMP(3)[];
  weeks TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_day TIMESTAMP(3);
  one_week TIMESTAMP(3);
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

  SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(hours) AS h;
  DELETE FROM flow_rollup WHERE rollup IN ('traffic', 'interfaces') AND grain = 'day' AND bucket = ANY(days);
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

CREATE FUNCTION "trailwatch_build_flow_leaders"(bucket_grain TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL,
                                                 private_networks INET[], remote_admin_ports INTEGER[], listed INTEGER) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO flow_leaders (board, grain, bucket, rank, k1, k2, k3, records, bytes, packets, d1, d2, rejected, rejected_ports, accepted_ports,
                            records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time)
  WITH bucket_rows AS MATERIALIZED (
    SELECT srcaddr, dstaddr, dstport, protocol, action, log_status, bytes, packets, start FROM flow_records
     WHERE start >= bucket_start AT TIME ZONE 'UTC' AND start < (bucket_start + bucket_width) AT TIME ZONE 'UTC'
  ), talkers AS (
    SELECT host(srcaddr) AS k1, host(dstaddr) AS k2, NULL::text AS k3, count(*) AS records,
           coalesce(sum(bytes), 0) AS bytes, coalesce(sum(packets), 0) AS packets, NULL::bigint AS d1, NULL::bigint AS d2,
           NULL::bigint AS rejected, NULL::integer[] AS rejected_ports, NULL::integer[] AS accepted_ports, min(start) AS first_time, max(start) AS last_time
      FROM bucket_rows WHERE log_status = 'OK' GROUP BY 1, 2
  ), groups AS (
    SELECT 'talkers-bytes' AS board, * FROM talkers
    UNION ALL
    SELECT 'talkers-packets', * FROM talkers
    UNION ALL
    SELECT 'remote-admin', host(srcaddr), dstport::text, action, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0), NULL, NULL, NULL, NULL, NULL, min(start), max(start)
      FROM bucket_rows
     WHERE log_status = 'OK' AND srcaddr IS NOT NULL AND NOT coalesce(srcaddr <<= ANY(private_networks), false) AND dstport = ANY(remote_admin_ports)
     GROUP BY 2, 3, 4
    UNION ALL
    SELECT 'rejected-sources', host(srcaddr), NULL, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           NULL, count(DISTINCT dstaddr), NULL, array_agg(DISTINCT dstport) FILTER (WHERE dstport IS NOT NULL), NULL, min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK' AND action = 'REJECT'
     GROUP BY 2
    UNION ALL
    SELECT 'port-scans', host(srcaddr), NULL, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           count(DISTINCT dstaddr), NULL, count(*) FILTER (WHERE action = 'REJECT'),
           array_agg(DISTINCT dstport) FILTER (WHERE action = 'REJECT' AND dstport IS NOT NULL),
           array_agg(DISTINCT dstport) FILTER (WHERE action = 'ACCEPT' AND dstport IS NOT NULL), min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK' AND srcaddr IS NOT NULL AND NOT coalesce(srcaddr <<= ANY(private_networks), false)
     GROUP BY 2
    UNION ALL
    SELECT 'destination-ports', protocol::text, dstport::text, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           count(DISTINCT srcaddr), NULL, NULL, NULL, NULL, min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK' AND dstport IS NOT NULL
     GROUP BY 2, 3
  ), keyed AS MATERIALIZED (
    -- Every group of the hour, numbered (no sort: the numbers only tell the listed groups from the others).
    SELECT row_number() OVER () AS id, g.* FROM groups g
  ), listed AS (
    -- Each board's `listed` busiest keys: a top-N sort per board (a bounded heap over its groups), instead of one
    -- sort of every group of all boards (850 of 2,600 ms of an hour of 70k records at 50M a month).
    SELECT t.*, row_number() OVER (PARTITION BY t.board ORDER BY t.rank_value DESC, t.k1 COLLATE "C", t.k2 COLLATE "C", t.k3 COLLATE "C") AS rank
      FROM (SELECT DISTINCT board FROM keyed) b
     CROSS JOIN LATERAL (
       SELECT k.*, trailwatch_leader_rank(k.board, k.records, k.bytes, k.packets, k.rejected_ports) AS rank_value
         FROM keyed k WHERE k.board = b.board
        ORDER BY rank_value DESC, k.k1 COLLATE "C", k.k2 COLLATE "C", k.k3 COLLATE "C"
        LIMIT listed) t
  ), unlisted AS (
    SELECT board, sum(records) AS records, sum(bytes) AS bytes, sum(packets) AS packets, sum(rejected) AS rejected,
           max(records) AS records_unlisted, max(bytes) AS bytes_unlisted, max(packets) AS packets_unlisted, min(first_time) AS first_time, max(last_time) AS last_time
      FROM keyed WHERE id NOT IN (SELECT id FROM listed) GROUP BY board
  )
  SELECT r.board, bucket_grain, bucket_start, r.rank, r.k1, r.k2, r.k3, r.records, r.bytes, r.packets, r.d1, r.d2, r.rejected, r.rejected_ports, r.accepted_ports,
         coalesce(u.records_unlisted, 0), coalesce(u.bytes_unlisted, 0), coalesce(u.packets_unlisted, 0), r.first_time, r.last_time
    FROM listed r LEFT JOIN unlisted u ON u.board = r.board
  UNION ALL
  SELECT board, bucket_grain, bucket_start, 0, NULL, NULL, NULL, records, bytes, packets, NULL, NULL, rejected, NULL, NULL,
         records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time
    FROM unlisted;
END $$;

DROP FUNCTION "trailwatch_refresh_flow_leaders"(INET[], INTEGER[], INTEGER);
CREATE FUNCTION "trailwatch_refresh_flow_leaders"(private_networks INET[], remote_admin_ports INTEGER[], listed INTEGER, listed_five_minutes INTEGER) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_day TIMESTAMP(3);
  five INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(72707372);
  WITH taken AS (DELETE FROM flow_leader_dirty_hours RETURNING hour) SELECT array_agg(DISTINCT hour) INTO hours FROM taken;
  IF hours IS NULL THEN RETURN 0; END IF;
  -- Grouping an hour of near-unique pairs (70k records at 50M a month) spills to disk with the default 4 MB.
  SET LOCAL work_mem = '64MB';

  FOREACH one_hour IN ARRAY hours LOOP
    DELETE FROM flow_leaders
     WHERE grain IN ('5min', 'hour') AND bucket >= one_hour AND bucket < one_hour + interval '1 hour';
    PERFORM trailwatch_build_flow_leaders('hour', one_hour, interval '1 hour', private_networks, remote_admin_ports, listed);
    FOR five IN 0..11 LOOP
      PERFORM trailwatch_build_flow_leaders('5min', one_hour + five * interval '5 minutes', interval '5 minutes',
                                            private_networks, remote_admin_ports, listed_five_minutes);
    END LOOP;
  END LOOP;

  -- A day merges its hours: a key's sums over the hours listing it; what it may lack is its hours' errors plus
  -- the unlisted bound of every hour not listing it. Keys the day cannot list fold into its rank-0 row, whose
  -- bound is the most such a key may have had: the largest dropped sum plus error, or the hours' bounds summed
  -- (a key no hour listed).
  SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(hours) AS h;
  DELETE FROM flow_leaders WHERE grain = 'day' AND bucket = ANY(days);
  FOREACH one_day IN ARRAY days LOOP
    INSERT INTO flow_leaders (board, grain, bucket, rank, k1, k2, k3, records, bytes, packets, d1, d2, rejected, rejected_ports, accepted_ports,
                              records_error, bytes_error, packets_error, records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time)
    WITH day_rows AS MATERIALIZED (
      SELECT * FROM flow_leaders WHERE grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
    ), bounds AS (
      SELECT board, sum(records_unlisted) AS records_unlisted, sum(bytes_unlisted) AS bytes_unlisted, sum(packets_unlisted) AS packets_unlisted
        FROM day_rows WHERE rank = 0 GROUP BY board
    ), merged AS (
      SELECT m.board, m.k1, m.k2, m.k3, m.records, m.bytes, m.packets, m.d1, m.d2, m.rejected, m.rejected_ports, m.accepted_ports, m.first_time, m.last_time,
             m.records_error + coalesce(b.records_unlisted, 0) - m.records_listed_bound AS records_error,
             m.bytes_error + coalesce(b.bytes_unlisted, 0) - m.bytes_listed_bound AS bytes_error,
             m.packets_error + coalesce(b.packets_unlisted, 0) - m.packets_listed_bound AS packets_error
        FROM (SELECT board, k1, k2, k3, sum(records) AS records, sum(bytes) AS bytes, sum(packets) AS packets, max(d1) AS d1, max(d2) AS d2, sum(rejected) AS rejected,
                     trailwatch_distinct_ports(trailwatch_concat_ports(rejected_ports)) AS rejected_ports,
                     trailwatch_distinct_ports(trailwatch_concat_ports(accepted_ports)) AS accepted_ports,
                     sum(records_error) AS records_error, sum(bytes_error) AS bytes_error, sum(packets_error) AS packets_error,
                     sum(records_unlisted) AS records_listed_bound, sum(bytes_unlisted) AS bytes_listed_bound, sum(packets_unlisted) AS packets_listed_bound,
                     min(first_time) AS first_time, max(last_time) AS last_time
                FROM day_rows WHERE rank > 0 GROUP BY board, k1, k2, k3) m
        LEFT JOIN bounds b ON b.board = m.board
    ), ranked AS (
      SELECT m.*, row_number() OVER (PARTITION BY board ORDER BY trailwatch_leader_rank(board, records, bytes, packets, rejected_ports) DESC,
                                                       k1 COLLATE "C", k2 COLLATE "C", k3 COLLATE "C") AS rank
        FROM merged m
    ), dropped AS (
      SELECT board, sum(records) AS records, sum(bytes) AS bytes, sum(packets) AS packets, sum(rejected) AS rejected,
             max(records + records_error) AS records_unlisted, max(bytes + bytes_error) AS bytes_unlisted, max(packets + packets_error) AS packets_unlisted,
             min(first_time) AS first_time, max(last_time) AS last_time
        FROM ranked WHERE rank > listed GROUP BY board
    ), rest AS (
      SELECT board, sum(records) AS records, sum(bytes) AS bytes, sum(packets) AS packets, sum(rejected) AS rejected, min(first_time) AS first_time, max(last_time) AS last_time
        FROM (SELECT board, records, bytes, packets, rejected, first_time, last_time FROM day_rows WHERE rank = 0
              UNION ALL SELECT board, records, bytes, packets, rejected, first_time, last_time FROM dropped) r
       GROUP BY board
    ), unlisted AS (
      SELECT r.board, r.records, r.bytes, r.packets, r.rejected, r.first_time, r.last_time,
             greatest(coalesce(d.records_unlisted, 0), coalesce(b.records_unlisted, 0)) AS records_unlisted,
             greatest(coalesce(d.bytes_unlisted, 0), coalesce(b.bytes_unlisted, 0)) AS bytes_unlisted,
             greatest(coalesce(d.packets_unlisted, 0), coalesce(b.packets_unlisted, 0)) AS packets_unlisted
        FROM rest r LEFT JOIN dropped d ON d.board = r.board LEFT JOIN bounds b ON b.board = r.board
    )
    SELECT r.board, 'day', one_day, r.rank, r.k1, r.k2, r.k3, r.records, r.bytes, r.packets, r.d1, r.d2, r.rejected, r.rejected_ports, r.accepted_ports,
           r.records_error, r.bytes_error, r.packets_error,
           coalesce(u.records_unlisted, 0), coalesce(u.bytes_unlisted, 0), coalesce(u.packets_unlisted, 0), r.first_time, r.last_time
      FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
     WHERE r.rank <= listed
    UNION ALL
    SELECT board, 'day', one_day, 0, NULL, NULL, NULL, records, bytes, packets, NULL, NULL, rejected, NULL, NULL, 0, 0, 0,
           records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time
      FROM unlisted;
  END LOOP;
  -- After a large rebuild (a backfill, this migration) the planner would otherwise read the boards with the
  -- statistics of an empty table.
  IF cardinality(hours) >= 24 THEN
    ANALYZE flow_leaders;
  END IF;
  RETURN cardinality(hours);
END $$;


-- The flow hours already rolled up: the next refresh rebuilds them with their 5-minute rows, and their boards
-- (the trigger of 20261206180000_flow_leaders marks the boards' hours too). Hours not yet refreshed are marked already.
INSERT INTO rollup_dirty_hours (source, hour)
SELECT DISTINCT 'vpcflow', bucket FROM flow_rollup WHERE rollup = 'traffic' AND grain = 'hour';
