-- The S3 report's busiest buckets as a CloudTrail leader board (issue 9). Its rollup (`buckets`) keeps a row per
-- bucket, call and error code: ≈ 10k a week at 10M events a month, so 30 days of `topBuckets` grouped ≈ 50k rows
-- (78-83 ms against 15 ms at 100k). The board `buckets` lists per bucket of time the 200 busiest S3 buckets by object
-- calls, with their GetObject, PutObject and DeleteObject calls (c1, c2, c3), failed calls (c4) and
-- `bytesTransferredOut` (s1, bytes), and one row for the others (lib/reports/leaders.ts). Every grain, 5 minutes
-- included, is built from the `buckets` rollup's rows of the same bucket of time, so every row is exact.
ALTER TABLE "cloudtrail_leaders"
  ADD COLUMN "c1" BIGINT,
  ADD COLUMN "c2" BIGINT,
  ADD COLUMN "c3" BIGINT,
  ADD COLUMN "c4" BIGINT,
  ADD COLUMN "s1" NUMERIC;

DROP FUNCTION "trailwatch_refresh_cloudtrail_leaders"(INTEGER, INTEGER);
DROP FUNCTION "trailwatch_build_cloudtrail_leaders"(TEXT, TIMESTAMP(3), INTEGER);

-- One bucket of time of every board: `principals` (userIdentity.arn) and `sources` (sourceIPAddress), as before, and
-- `buckets`: S3 data events (`data_names` of s3.amazonaws.com) naming a bucket, with the calls named in
-- `bucket_calls` counted in c1, c2, c3, the failed ones in c4 and their bytes out in s1.
CREATE FUNCTION "trailwatch_build_cloudtrail_leaders"(bucket_grain TEXT, bucket_start TIMESTAMP(3), listed INTEGER, data_names TEXT[], bucket_calls TEXT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cloudtrail_leaders (board, grain, bucket, rank, k1, records, records_unlisted, c1, c2, c3, c4, s1, first_time, last_time)
  WITH groups AS MATERIALIZED (
    SELECT CASE WHEN GROUPING(user_identity_arn) = 0 THEN 'principals' ELSE 'sources' END AS board,
           coalesce(user_identity_arn, source_ip_address) AS k1, count(*) AS records,
           NULL::bigint AS c1, NULL::bigint AS c2, NULL::bigint AS c3, NULL::bigint AS c4, NULL::numeric AS s1,
           min(event_time) AS first_time, max(event_time) AS last_time
      FROM cloudtrail_events
     WHERE bucket_grain = '5min'
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < (bucket_start + interval '5 minutes') AT TIME ZONE 'UTC'
     GROUP BY GROUPING SETS ((user_identity_arn), (source_ip_address))
    HAVING coalesce(user_identity_arn, source_ip_address) IS NOT NULL
    UNION ALL
    SELECT rollup, CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END, sum(records),
           NULL, NULL, NULL, NULL, NULL, min(first_time), max(last_time)
      FROM cloudtrail_rollup
     WHERE bucket_grain <> '5min' AND rollup IN ('principals', 'sources') AND grain = bucket_grain AND bucket = bucket_start
       AND CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END IS NOT NULL
     GROUP BY 1, 2
    UNION ALL
    SELECT 'buckets', request_bucket_name, sum(records),
           coalesce(sum(records) FILTER (WHERE event_name = bucket_calls[1]), 0),
           coalesce(sum(records) FILTER (WHERE event_name = bucket_calls[2]), 0),
           coalesce(sum(records) FILTER (WHERE event_name = bucket_calls[3]), 0),
           coalesce(sum(records) FILTER (WHERE error_code IS NOT NULL), 0),
           coalesce(sum(additional_bytes_transferred_out), 0), min(first_time), max(last_time)
      FROM cloudtrail_rollup
     WHERE rollup = 'buckets' AND grain = bucket_grain AND bucket = bucket_start
       AND event_source = 's3.amazonaws.com' AND event_name = ANY(data_names) AND request_bucket_name IS NOT NULL
     GROUP BY 2
  ), ranked AS (
    SELECT g.*, row_number() OVER (PARTITION BY g.board ORDER BY g.records DESC, g.k1 COLLATE "C") AS rank FROM groups g
  ), unlisted AS (
    SELECT board, sum(records) AS records, max(records) AS records_unlisted,
           sum(c1) AS c1, sum(c2) AS c2, sum(c3) AS c3, sum(c4) AS c4, sum(s1) AS s1, min(first_time) AS first_time, max(last_time) AS last_time
      FROM ranked WHERE rank > listed GROUP BY board
  )
  SELECT r.board, bucket_grain, bucket_start, r.rank, r.k1, r.records, coalesce(u.records_unlisted, 0), r.c1, r.c2, r.c3, r.c4, r.s1, r.first_time, r.last_time
    FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
   WHERE r.rank <= listed
  UNION ALL
  SELECT board, bucket_grain, bucket_start, 0, NULL, records, records_unlisted, c1, c2, c3, c4, s1, first_time, last_time
    FROM unlisted;
END $$;

-- As in 20261208000000_cloudtrail_leaders, with the `buckets` board's parameters passed on.
CREATE FUNCTION "trailwatch_refresh_cloudtrail_leaders"(listed INTEGER, listed_five_minutes INTEGER, data_names TEXT[], bucket_calls TEXT[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  coarser TIMESTAMP(3)[];
  one_bucket TIMESTAMP(3);
  coarse_grain TEXT;
  five INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(72707374);
  WITH taken AS (
    DELETE FROM cloudtrail_leader_dirty_hours d
     WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty_hours r WHERE r.source = 'cloudtrail' AND r.hour = d.hour)
    RETURNING hour)
  SELECT array_agg(DISTINCT hour) INTO hours FROM taken;
  IF hours IS NULL THEN RETURN 0; END IF;

  FOREACH one_bucket IN ARRAY hours LOOP
    DELETE FROM cloudtrail_leaders
     WHERE grain IN ('5min', 'hour') AND bucket >= one_bucket AND bucket < one_bucket + interval '1 hour';
    PERFORM trailwatch_build_cloudtrail_leaders('hour', one_bucket, listed, data_names, bucket_calls);
    FOR five IN 0..11 LOOP
      PERFORM trailwatch_build_cloudtrail_leaders('5min', one_bucket + five * interval '5 minutes', listed_five_minutes, data_names, bucket_calls);
    END LOOP;
  END LOOP;

  FOREACH coarse_grain IN ARRAY ARRAY['6h', 'day', 'week'] LOOP
    SELECT array_agg(DISTINCT CASE coarse_grain WHEN '6h' THEN date_bin('6 hours', h, TIMESTAMP '2000-01-01') ELSE date_trunc(coarse_grain, h) END)
      INTO coarser FROM unnest(hours) AS h;
    DELETE FROM cloudtrail_leaders WHERE grain = coarse_grain AND bucket = ANY(coarser);
    FOREACH one_bucket IN ARRAY coarser LOOP
      PERFORM trailwatch_build_cloudtrail_leaders(coarse_grain, one_bucket, listed, data_names, bucket_calls);
    END LOOP;
  END LOOP;
  IF cardinality(hours) >= 24 THEN
    ANALYZE cloudtrail_leaders;
  END IF;
  RETURN cardinality(hours);
END $$;

-- The CloudTrail hours already stored: the next refresh rebuilds their boards, `buckets` included.
INSERT INTO cloudtrail_leader_dirty_hours (hour)
SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour';
