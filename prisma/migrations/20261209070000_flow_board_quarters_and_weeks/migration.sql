-- The Network report's boards over 30 days merged ≈ 30 × 200 day rows and up to 46 × 200 hour rows per board
-- (`topTalkers` 138-229 ms at 50M flow records, `topRejectedSources` 155 ms, `topDestinationPorts` and
-- `portScanSuspects` ≈ 100 ms). The CloudTrail boards keep 6-hour and week rows too (20261208000000_cloudtrail_leaders);
-- the flow boards now do as well, so 30 days read ≈ 4 week rows, up to 12 day rows, 6 six-hour rows and 10 hour rows
-- per listed key.
--
-- Each coarser bucket merges the one below it as the day rows merged hours: a key's sums over the buckets listing
-- it, its error their errors plus the unlisted bound of every bucket not listing it; keys it cannot list fold into
-- its rank-0 row (lib/reports/leaders.ts). A quarter merges its hours, a day its quarters, a week its days.
CREATE FUNCTION "trailwatch_merge_flow_leaders"(finer TEXT, coarser TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL, listed INTEGER) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO flow_leaders (board, grain, bucket, rank, k1, k2, k3, records, bytes, packets, d1, d2, rejected, rejected_ports, accepted_ports,
                            records_error, bytes_error, packets_error, records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time)
  WITH finer_rows AS MATERIALIZED (
    SELECT * FROM flow_leaders WHERE grain = finer AND bucket >= bucket_start AND bucket < bucket_start + bucket_width
  ), bounds AS (
    SELECT board, sum(records_unlisted) AS records_unlisted, sum(bytes_unlisted) AS bytes_unlisted, sum(packets_unlisted) AS packets_unlisted
      FROM finer_rows WHERE rank = 0 GROUP BY board
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
              FROM finer_rows WHERE rank > 0 GROUP BY board, k1, k2, k3) m
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
      FROM (SELECT board, records, bytes, packets, rejected, first_time, last_time FROM finer_rows WHERE rank = 0
            UNION ALL SELECT board, records, bytes, packets, rejected, first_time, last_time FROM dropped) r
     GROUP BY board
  ), unlisted AS (
    SELECT r.board, r.records, r.bytes, r.packets, r.rejected, r.first_time, r.last_time,
           greatest(coalesce(d.records_unlisted, 0), coalesce(b.records_unlisted, 0)) AS records_unlisted,
           greatest(coalesce(d.bytes_unlisted, 0), coalesce(b.bytes_unlisted, 0)) AS bytes_unlisted,
           greatest(coalesce(d.packets_unlisted, 0), coalesce(b.packets_unlisted, 0)) AS packets_unlisted
      FROM rest r LEFT JOIN dropped d ON d.board = r.board LEFT JOIN bounds b ON b.board = r.board
  )
  SELECT r.board, coarser, bucket_start, r.rank, r.k1, r.k2, r.k3, r.records, r.bytes, r.packets, r.d1, r.d2, r.rejected, r.rejected_ports, r.accepted_ports,
         r.records_error, r.bytes_error, r.packets_error,
         coalesce(u.records_unlisted, 0), coalesce(u.bytes_unlisted, 0), coalesce(u.packets_unlisted, 0), r.first_time, r.last_time
    FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
   WHERE r.rank <= listed
  UNION ALL
  SELECT board, coarser, bucket_start, 0, NULL, NULL, NULL, records, bytes, packets, NULL, NULL, rejected, NULL, NULL, 0, 0, 0,
         records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time
    FROM unlisted;
END $$;

CREATE OR REPLACE FUNCTION "trailwatch_refresh_flow_leaders"(private_networks INET[], remote_admin_ports INTEGER[], listed INTEGER, listed_five_minutes INTEGER) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  coarser TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_bucket TIMESTAMP(3);
  coarse_grain TEXT;
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

  -- The quarters holding those hours from their hours, their days from the quarters, the weeks (UTC, from Monday)
  -- from the days.
  FOREACH coarse_grain IN ARRAY ARRAY['6h', 'day', 'week'] LOOP
    SELECT array_agg(DISTINCT CASE coarse_grain WHEN '6h' THEN date_bin('6 hours', h, TIMESTAMP '2000-01-01') ELSE date_trunc(coarse_grain, h) END)
      INTO coarser FROM unnest(hours) AS h;
    DELETE FROM flow_leaders WHERE grain = coarse_grain AND bucket = ANY(coarser);
    FOREACH one_bucket IN ARRAY coarser LOOP
      PERFORM trailwatch_merge_flow_leaders(CASE coarse_grain WHEN '6h' THEN 'hour' WHEN 'day' THEN '6h' ELSE 'day' END, coarse_grain, one_bucket,
                                            CASE coarse_grain WHEN '6h' THEN interval '6 hours' WHEN 'day' THEN interval '1 day' ELSE interval '7 days' END, listed);
    END LOOP;
  END LOOP;
  -- After a large rebuild (a backfill) the planner would otherwise read the boards with the statistics of an
  -- empty table.
  IF cardinality(hours) >= 24 THEN
    ANALYZE flow_leaders;
  END IF;
  RETURN cardinality(hours);
END $$;

-- The quarters and weeks of the hours and days already on the boards, merged here rather than rebuilt from the
-- records (the hour rows stay as they are). 200 is lib/reports/leaders.ts' LISTED.
DO $$
DECLARE
  one_bucket TIMESTAMP(3);
BEGIN
  SET LOCAL work_mem = '64MB';
  FOR one_bucket IN SELECT DISTINCT date_bin('6 hours', bucket, TIMESTAMP '2000-01-01') FROM flow_leaders WHERE grain = 'hour' LOOP
    PERFORM trailwatch_merge_flow_leaders('hour', '6h', one_bucket, interval '6 hours', 200);
  END LOOP;
  FOR one_bucket IN SELECT DISTINCT date_trunc('week', bucket) FROM flow_leaders WHERE grain = 'day' LOOP
    PERFORM trailwatch_merge_flow_leaders('day', 'week', one_bucket, interval '7 days', 200);
  END LOOP;
END $$;
ANALYZE flow_leaders;
