-- The `actions` rollup (issue 9; Physical design 34 in docs/performance.md): flow records per `action`, `log-status`
-- and `flow-direction`, with their bytes and packets, per 5 minutes, hour, 6 hours, day and week: `traffic` without
-- the account and region. Traffic over time (and the Network tiles, traffic by direction) read `traffic`'s row per
-- account, region, action, status and direction: at 50M flow records a month, ≈ 40 accounts × 8 regions made that
-- thousands of rows a day; these are at most a dozen. A panel filtered by account or region reads `traffic`, as before.
--
-- The refresh groups its 5-minute rows from `traffic`'s (which count the same records) and its hours from those;
-- the merges to 6 hours, days and weeks take it with the others. Otherwise as in 20261207010000_rollup_six_hour_rows.
-- This migration builds every grain from `traffic`'s rows of the same grain and bucket, so no read finds one missing.
CREATE TABLE "flow_rollup_actions" PARTITION OF "flow_rollup" FOR VALUES IN ('actions');

CREATE OR REPLACE FUNCTION "trailwatch_merge_flow_rollup"(finer TEXT, coarser TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM flow_rollup WHERE rollup IN ('actions', 'traffic', 'interfaces') AND grain = coarser AND bucket = bucket_start;
  INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                           records, bytes, packets, first_time, last_time)
  SELECT rollup, coarser, bucket_start, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
         sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
    FROM flow_rollup
   WHERE rollup IN ('actions', 'traffic', 'interfaces') AND grain = finer AND bucket >= bucket_start AND bucket < bucket_start + bucket_width
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
     WHERE rollup IN ('actions', 'traffic', 'interfaces') AND grain IN ('5min', 'hour') AND bucket >= one_hour AND bucket < one_hour + interval '1 hour';
    -- One index range scan of the hour's raw rows: `traffic` per 5 minutes, `interfaces` per hour (an interface's
    -- 5-minute rows would be a third as many as its records); then `actions`' 5-minute rows from `traffic`'s, and
    -- the hour rows of both from their 5-minute rows.
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
    INSERT INTO flow_rollup (rollup, grain, bucket, action, log_status, flow_direction, records, bytes, packets, first_time, last_time)
    SELECT 'actions', '5min', bucket, action, log_status, flow_direction, sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
      FROM flow_rollup
     WHERE rollup = 'traffic' AND grain = '5min' AND bucket >= one_hour AND bucket < one_hour + interval '1 hour'
     GROUP BY 3, 4, 5, 6;
    INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
                             records, bytes, packets, first_time, last_time)
    SELECT rollup, 'hour', one_hour, account_id, region, action, log_status, flow_direction, vpc_id, subnet_id, interface_id,
           sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
      FROM flow_rollup
     WHERE rollup IN ('actions', 'traffic') AND grain = '5min' AND bucket >= one_hour AND bucket < one_hour + interval '1 hour'
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

INSERT INTO flow_rollup (rollup, grain, bucket, action, log_status, flow_direction, records, bytes, packets, first_time, last_time)
SELECT 'actions', grain, bucket, action, log_status, flow_direction, sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
  FROM flow_rollup
 WHERE rollup = 'traffic'
 GROUP BY grain, bucket, action, log_status, flow_direction;

ANALYZE flow_rollup;
