-- 6-hour rows for the S3 callers-per-bucket board (issue 9). A range's whole hours outside its whole days read hour
-- rows, which hold every (bucket, caller) pair: over 24 hours that is up to 23 hours of every caller of the five
-- busiest buckets (`topPrincipalsPerBucket` 47 ms against 9 ms at 100k). A 6-hour row is built like a day row, from
-- the hour rows of its quarter of a day (00:00, 06:00, 12:00, 18:00 UTC): per bucket its `listed` busiest callers,
-- exact, and one row for the others with the most any one of them had. A 24-hour range then reads at most 10 hours
-- of pairs and three 6-hour rows per bucket.
CREATE OR REPLACE FUNCTION "trailwatch_refresh_s3_bucket_callers"(data_event_names TEXT[], listed INTEGER) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  coarser TIMESTAMP(3)[];
  coarse_grain TEXT;
  width INTERVAL;
  one_hour TIMESTAMP(3);
  one_bucket TIMESTAMP(3);
BEGIN
  PERFORM pg_advisory_xact_lock(72707373);
  WITH taken AS (DELETE FROM s3_bucket_caller_dirty_hours RETURNING hour) SELECT array_agg(DISTINCT hour) INTO hours FROM taken;
  IF hours IS NULL THEN RETURN 0; END IF;

  DELETE FROM s3_bucket_callers WHERE grain = 'hour' AND bucket = ANY(hours);
  FOREACH one_hour IN ARRAY hours LOOP
    -- An index range scan of the hour's events.
    INSERT INTO s3_bucket_callers (grain, bucket, bucket_name, rank, caller, caller_field, records, bytes_out, denied, first_time, last_time)
    SELECT 'hour', one_hour, bucket_name, row_number() OVER (PARTITION BY bucket_name ORDER BY count(*) DESC, caller COLLATE "C", caller_field),
           caller, caller_field, count(*), coalesce(sum(trailwatch_numeric(additional_bytes_transferred_out)), 0),
           count(*) FILTER (WHERE error_code = 'AccessDenied'), min(event_time), max(event_time)
      FROM (SELECT request_bucket_name AS bucket_name, additional_bytes_transferred_out, error_code, event_time,
                   coalesce(user_identity_arn, user_identity_invoked_by, user_identity_account_id) AS caller,
                   CASE WHEN user_identity_arn IS NOT NULL THEN 0 WHEN user_identity_invoked_by IS NOT NULL THEN 1
                        WHEN user_identity_account_id IS NOT NULL THEN 2 END AS caller_field
              FROM cloudtrail_events
             WHERE event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
               AND event_source = 's3.amazonaws.com' AND event_name = ANY(data_event_names) AND request_bucket_name IS NOT NULL) e
     GROUP BY bucket_name, caller, caller_field;
  END LOOP;

  -- A quarter of a day, then a day, per bucket: its callers' exact sums from the hour rows, the `listed` busiest kept,
  -- the others folded into one rank-0 row with their sums and the most any one of them had.
  FOREACH coarse_grain IN ARRAY ARRAY['6h', 'day'] LOOP
    width := CASE coarse_grain WHEN '6h' THEN interval '6 hours' ELSE interval '1 day' END;
    SELECT array_agg(DISTINCT date_bin(width, h, TIMESTAMP '2000-01-01')) INTO coarser FROM unnest(hours) AS h;
    DELETE FROM s3_bucket_callers WHERE grain = coarse_grain AND bucket = ANY(coarser);
    FOREACH one_bucket IN ARRAY coarser LOOP
      INSERT INTO s3_bucket_callers (grain, bucket, bucket_name, rank, caller, caller_field, records, bytes_out, denied,
                                     records_unlisted, bytes_out_unlisted, denied_unlisted, first_time, last_time)
      WITH callers AS (
        SELECT bucket_name, caller, caller_field, sum(records) AS records, sum(bytes_out) AS bytes_out, sum(denied) AS denied,
               min(first_time) AS first_time, max(last_time) AS last_time,
               row_number() OVER (PARTITION BY bucket_name ORDER BY sum(records) DESC, caller COLLATE "C", caller_field) AS rank
          FROM s3_bucket_callers
         WHERE grain = 'hour' AND bucket >= one_bucket AND bucket < one_bucket + width
         GROUP BY bucket_name, caller, caller_field
      ), unlisted AS (
        SELECT bucket_name, sum(records) AS records, sum(bytes_out) AS bytes_out, sum(denied) AS denied,
               max(records) AS records_unlisted, max(bytes_out) AS bytes_out_unlisted, max(denied) AS denied_unlisted,
               min(first_time) AS first_time, max(last_time) AS last_time
          FROM callers WHERE rank > listed GROUP BY bucket_name
      )
      SELECT coarse_grain, one_bucket, c.bucket_name, c.rank, c.caller, c.caller_field, c.records, c.bytes_out, c.denied,
             coalesce(u.records_unlisted, 0), coalesce(u.bytes_out_unlisted, 0), coalesce(u.denied_unlisted, 0), c.first_time, c.last_time
        FROM callers c LEFT JOIN unlisted u ON u.bucket_name = c.bucket_name
       WHERE c.rank <= listed
      UNION ALL
      SELECT coarse_grain, one_bucket, bucket_name, 0, NULL, NULL, records, bytes_out, denied,
             records_unlisted, bytes_out_unlisted, denied_unlisted, first_time, last_time
        FROM unlisted;
    END LOOP;
  END LOOP;
  IF cardinality(hours) >= 24 THEN
    ANALYZE s3_bucket_callers;
  END IF;
  RETURN cardinality(hours);
END $$;

-- The CloudTrail hours already stored: the next refresh rebuilds their rows, 6-hour rows included.
INSERT INTO s3_bucket_caller_dirty_hours (hour)
SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour';
