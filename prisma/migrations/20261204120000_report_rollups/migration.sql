-- Rollups of CloudTrail events and flow records for the report panels over long ranges (issue 9).
-- lib/reports/rollups.ts is the catalogue: each rollup keeps some of the low-cardinality fields the
-- dashboards group and filter by, per UTC hour and (for the narrow ones) per UTC day; raw rows stay for
-- drill-down and for what no rollup holds (principals, addresses, JSON paths). A panel reads the
-- narrowest rollup holding its fields: whole days from day rows, whole hours from hour rows, the
-- partial hours at the range's edges from raw rows, so its numbers equal the raw answer exactly.
--
-- One table per source; `rollup` names the field set (a column outside the set is NULL) and `grain`
-- says whether `bucket` is an hour or a day.
CREATE TABLE "cloudtrail_rollup" (
    "id" BIGSERIAL NOT NULL,
    "rollup" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "recipient_account_id" TEXT,
    "aws_region" TEXT,
    "event_source" TEXT,
    "event_name" TEXT,
    "read_only" BOOLEAN,
    "error_code" TEXT,
    "records" BIGINT NOT NULL,
    "first_time" TIMESTAMPTZ(3) NOT NULL,
    "last_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cloudtrail_rollup_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "cloudtrail_rollup_bucket_idx" ON "cloudtrail_rollup"("rollup", "grain", "bucket");

CREATE TABLE "flow_rollup" (
    "id" BIGSERIAL NOT NULL,
    "rollup" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "account_id" TEXT,
    "region" TEXT,
    "action" TEXT,
    "log_status" TEXT,
    "flow_direction" TEXT,
    "records" BIGINT NOT NULL,
    "bytes" NUMERIC NOT NULL,
    "packets" NUMERIC NOT NULL,
    "first_time" TIMESTAMPTZ(3) NOT NULL,
    "last_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "flow_rollup_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "flow_rollup_bucket_idx" ON "flow_rollup"("rollup", "grain", "bucket");

-- "Dirty hours": the UTC hours of a source whose rows changed since the rollups last saw them. The ingest
-- transaction records the hours of the rows it stored (lib/reports/rollups.ts markRollupHours, called by
-- lib/ingest/ledger.ts completeObject: one index scan of the object's rows); updates and deletes
-- (retention, anything else) are recorded by the statement triggers below. Plain inserts with no unique
-- key, so concurrent loads of the same hour never wait on each other. (Inserts are not marked by a
-- trigger: its transition table would copy every loaded row, raw record included.)
CREATE TABLE "rollup_dirty_hours" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rollup_dirty_hours_pkey" PRIMARY KEY ("id")
);

CREATE FUNCTION "trailwatch_mark_cloudtrail_hours"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM new_rows;
  END IF;
  INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM old_rows;
  RETURN NULL;
END
$$;

CREATE TRIGGER "cloudtrail_events_hours_updated" AFTER UPDATE ON "cloudtrail_events"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_cloudtrail_hours"();
CREATE TRIGGER "cloudtrail_events_hours_deleted" AFTER DELETE ON "cloudtrail_events"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_cloudtrail_hours"();

CREATE FUNCTION "trailwatch_mark_flow_hours"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'vpcflow', date_trunc('hour', start AT TIME ZONE 'UTC') FROM new_rows WHERE start IS NOT NULL;
  END IF;
  INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'vpcflow', date_trunc('hour', start AT TIME ZONE 'UTC') FROM old_rows WHERE start IS NOT NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER "flow_records_hours_updated" AFTER UPDATE ON "flow_records"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_flow_hours"();
CREATE TRIGGER "flow_records_hours_deleted" AFTER DELETE ON "flow_records"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_flow_hours"();

-- Recomputes the dirty hours (and the days holding them) of every rollup and returns how many hours it
-- rebuilt. Idempotent; one refresh at a time (transaction-scoped advisory lock). Marks written by
-- transactions that have not committed yet are not seen and stay for the next refresh (each statement
-- reads committed data at least as new as the marks it took).
--
-- The rollups, as lib/reports/rollups.ts lists them (a test checks they agree):
--   cloudtrail 'detail'   hour       recipientAccountId, awsRegion, eventSource, eventName, readOnly, errorCode
--   cloudtrail 'activity' hour, day  eventSource, eventName, readOnly, errorCode
--   cloudtrail 'accounts' hour, day  recipientAccountId, awsRegion, readOnly, errorCode
--   vpcflow    'traffic'  hour, day  account-id, region, action, log-status, flow-direction (+ bytes, packets)
-- Hour rows of 'detail' and 'traffic' come from the raw rows of the hour; the narrower hour rows from
-- 'detail'; day rows from the day's hour rows.
CREATE FUNCTION "trailwatch_refresh_rollups"() RETURNS INTEGER
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
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code, records, first_time, last_time)
      SELECT 'detail', 'hour', one_hour, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             count(*), min(event_time), max(event_time)
        FROM cloudtrail_events
       WHERE event_time >= one_hour AT TIME ZONE 'UTC' AND event_time < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY 4, 5, 6, 7, 8, 9;
    END LOOP;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, event_source, event_name, read_only, error_code, records, first_time, last_time)
    SELECT 'activity', 'hour', bucket, event_source, event_name, read_only, error_code, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4, 5, 6, 7;
    INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, read_only, error_code, records, first_time, last_time)
    SELECT 'accounts', 'hour', bucket, recipient_account_id, aws_region, read_only, error_code, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup WHERE rollup = 'detail' AND grain = 'hour' AND bucket = ANY(ct_hours)
     GROUP BY 3, 4, 5, 6, 7;

    SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(ct_hours) AS h;
    DELETE FROM cloudtrail_rollup WHERE grain = 'day' AND bucket = ANY(days);
    FOREACH one_day IN ARRAY days LOOP
      INSERT INTO cloudtrail_rollup (rollup, grain, bucket, recipient_account_id, aws_region, event_source, event_name, read_only, error_code, records, first_time, last_time)
      SELECT rollup, 'day', one_day, recipient_account_id, aws_region, event_source, event_name, read_only, error_code,
             sum(records), min(first_time), max(last_time)
        FROM cloudtrail_rollup
       WHERE rollup IN ('activity', 'accounts') AND grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
       GROUP BY 1, 4, 5, 6, 7, 8, 9;
    END LOOP;
  END IF;

  IF flow_hours IS NOT NULL THEN
    DELETE FROM flow_rollup WHERE grain = 'hour' AND bucket = ANY(flow_hours);
    FOREACH one_hour IN ARRAY flow_hours LOOP
      INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, records, bytes, packets, first_time, last_time)
      SELECT 'traffic', 'hour', one_hour, account_id, region, action, log_status, flow_direction,
             count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0), min(start), max(start)
        FROM flow_records
       WHERE start >= one_hour AT TIME ZONE 'UTC' AND start < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
       GROUP BY 4, 5, 6, 7, 8;
    END LOOP;

    SELECT array_agg(DISTINCT date_trunc('day', h)) INTO days FROM unnest(flow_hours) AS h;
    DELETE FROM flow_rollup WHERE grain = 'day' AND bucket = ANY(days);
    FOREACH one_day IN ARRAY days LOOP
      INSERT INTO flow_rollup (rollup, grain, bucket, account_id, region, action, log_status, flow_direction, records, bytes, packets, first_time, last_time)
      SELECT rollup, 'day', one_day, account_id, region, action, log_status, flow_direction,
             sum(records), sum(bytes), sum(packets), min(first_time), max(last_time)
        FROM flow_rollup
       WHERE rollup = 'traffic' AND grain = 'hour' AND bucket >= one_day AND bucket < one_day + interval '1 day'
       GROUP BY 1, 4, 5, 6, 7, 8;
    END LOOP;
  END IF;

  RETURN coalesce(cardinality(ct_hours), 0) + coalesce(cardinality(flow_hours), 0);
END
$$;

-- Rows stored before this migration: every hour holding one is dirty, so the first refresh (the worker's
-- background refresh, or the first report read) builds the rollups from them.
INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events;
INSERT INTO rollup_dirty_hours (source, hour) SELECT DISTINCT 'vpcflow', date_trunc('hour', start AT TIME ZONE 'UTC') FROM flow_records WHERE start IS NOT NULL;
