-- S3 callers per bucket (issue 9): the S3 report's "top principals per bucket" grouped every data event of the
-- busiest buckets in its range by caller (326k events over 30 days at 10M a month: 0.6-0.96 s), and its
-- (bucket, caller) pairs repeat too little for a rollup to be smaller. This board keeps, per UTC hour, every
-- (bucket, caller) pair of S3 data events with exact counts, and per UTC day, per bucket, the `listed` busiest
-- callers of the day (exact, from the hour rows) and one row (rank 0) for the bucket's other callers together:
-- their sums, and the most any one of them had (`*_unlisted`, on every row of the bucket's day), which bounds what
-- a caller's merged value over several days may lack. lib/reports/bucket-callers.ts reads it and documents the
-- bounds; the caller is the first present of userIdentity.arn, invokedBy and accountId (`caller_field`: which).
CREATE TABLE "s3_bucket_callers" (
  "id" BIGSERIAL PRIMARY KEY,
  "grain" TEXT NOT NULL,
  "bucket" TIMESTAMP(3) NOT NULL,
  "bucket_name" TEXT NOT NULL,
  -- 1..: a caller, busiest first; 0: the bucket's callers a day row does not list.
  "rank" INTEGER NOT NULL,
  "caller" TEXT,
  "caller_field" SMALLINT,
  "records" BIGINT NOT NULL,
  "bytes_out" NUMERIC NOT NULL,
  "denied" BIGINT NOT NULL,
  "records_unlisted" BIGINT NOT NULL DEFAULT 0,
  "bytes_out_unlisted" NUMERIC NOT NULL DEFAULT 0,
  "denied_unlisted" BIGINT NOT NULL DEFAULT 0,
  "first_time" TIMESTAMPTZ(3) NOT NULL,
  "last_time" TIMESTAMPTZ(3) NOT NULL
);
-- Reads name a few buckets; the refresh replaces whole hours and days.
CREATE INDEX "s3_bucket_callers_bucket_idx" ON "s3_bucket_callers" ("bucket_name", "grain", "bucket");
CREATE INDEX "s3_bucket_callers_time_idx" ON "s3_bucket_callers" ("grain", "bucket");

-- CloudTrail hours the board has not seen yet: every CloudTrail hour the rollups are told of (ingest, retention).
CREATE TABLE "s3_bucket_caller_dirty_hours" (
  "id" BIGSERIAL PRIMARY KEY,
  "hour" TIMESTAMP(3) NOT NULL
);

CREATE FUNCTION "trailwatch_mark_s3_bucket_caller_hours"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO s3_bucket_caller_dirty_hours (hour) SELECT DISTINCT hour FROM added WHERE source = 'cloudtrail';
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_dirty_hours_s3_bucket_callers" AFTER INSERT ON "rollup_dirty_hours"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_s3_bucket_caller_hours"();

-- Rebuilds the hour rows of the dirty hours and the day rows of their days. The caller passes the S3 data event
-- names (lib/reports/change-catalogue.ts S3_DATA_EVENT_NAMES) and how many callers a day lists per bucket.
-- Returns how many hours were rebuilt.
CREATE FUNCTION "trailwatch_refresh_s3_bucket_callers"(data_event_names TEXT[], listed INTEGER) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_day TIMESTAMP(3);
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

  -- A day per bucket: its callers' exact sums from the hour rows, the `listed` busiest kept, the others folded into
  -- one rank-0 row with their sums and the most any one of them had.
  SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(hours) AS h;
  DELETE FROM s3_bucket_callers WHERE grain = 'day' AND bucket = ANY(days);
  FOREACH one_day IN ARRAY days LOOP
    INSERT INTO s3_bucket_callers (grain, bucket, bucket_name, rank, caller, caller_field, records, bytes_out, denied,
                                   records_unlisted, bytes_out_unlisted, denied_unlisted, first_time, last_time)
    WITH callers AS (
      SELECT bucket_name, caller, caller_field, sum(records) AS records, sum(bytes_out) AS bytes_out, sum(denied) AS denied,
             min(first_time) AS first_time, max(last_time) AS last_time,
             row_number() OVER (PARTITION BY bucket_name ORDER BY sum(records) DESC, caller COLLATE "C", caller_field) AS rank
        FROM s3_bucket_callers
       WHERE grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
       GROUP BY bucket_name, caller, caller_field
    ), unlisted AS (
      SELECT bucket_name, sum(records) AS records, sum(bytes_out) AS bytes_out, sum(denied) AS denied,
             max(records) AS records_unlisted, max(bytes_out) AS bytes_out_unlisted, max(denied) AS denied_unlisted,
             min(first_time) AS first_time, max(last_time) AS last_time
        FROM callers WHERE rank > listed GROUP BY bucket_name
    )
    SELECT 'day', one_day, c.bucket_name, c.rank, c.caller, c.caller_field, c.records, c.bytes_out, c.denied,
           coalesce(u.records_unlisted, 0), coalesce(u.bytes_out_unlisted, 0), coalesce(u.denied_unlisted, 0), c.first_time, c.last_time
      FROM callers c LEFT JOIN unlisted u ON u.bucket_name = c.bucket_name
     WHERE c.rank <= listed
    UNION ALL
    SELECT 'day', one_day, bucket_name, 0, NULL, NULL, records, bytes_out, denied,
           records_unlisted, bytes_out_unlisted, denied_unlisted, first_time, last_time
      FROM unlisted;
  END LOOP;
  IF cardinality(hours) >= 24 THEN
    ANALYZE s3_bucket_callers;
  END IF;
  RETURN cardinality(hours);
END $$;

-- The CloudTrail hours already stored: the next refresh builds their board rows.
INSERT INTO s3_bucket_caller_dirty_hours (hour)
SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour';
