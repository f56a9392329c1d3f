-- Hourly rollup of CloudTrail events for the report panels over long ranges (issue 9b).
-- One row per UTC hour and combination of the low-cardinality fields the dashboards group and
-- filter by; raw rows stay for drill-down and for what the rollup does not hold (principals, IPs,
-- JSON paths). lib/reports/report-query.ts reads it for the full hours of a range and raw rows
-- for the partial hours at its edges; the numbers equal the raw answer exactly.
CREATE TABLE "cloudtrail_hourly" (
    "id" BIGSERIAL NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "recipient_account_id" TEXT NOT NULL,
    "aws_region" TEXT,
    "event_source" TEXT,
    "event_name" TEXT,
    "read_only" BOOLEAN,
    "error_code" TEXT,
    "events" BIGINT NOT NULL,
    "first_time" TIMESTAMPTZ(3) NOT NULL,
    "last_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cloudtrail_hourly_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "cloudtrail_hourly_hour_idx" ON "cloudtrail_hourly"("hour");

-- "Dirty hours": the UTC hours whose events changed since the rollup last saw them. The ingest
-- transaction records the hours of the events it stored (lib/reports/hourly-rollup.ts markRollupHours,
-- called by lib/ingest/ledger.ts completeObject: one index scan of the object's rows); updates and
-- deletes (retention, anything else) are recorded by the statement triggers below. Then
-- trailwatch_refresh_cloudtrail_hourly() recomputes those hours from the raw rows. Plain inserts with
-- no unique key, so concurrent loads of the same hour never wait on each other. (Inserts are not
-- marked by a trigger: its transition table would copy every loaded row, raw record included.)
CREATE TABLE "rollup_dirty_hours" (
    "id" BIGSERIAL NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rollup_dirty_hours_pkey" PRIMARY KEY ("id")
);

CREATE FUNCTION "trailwatch_mark_cloudtrail_hours"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO rollup_dirty_hours (hour) SELECT DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM new_rows;
  END IF;
  INSERT INTO rollup_dirty_hours (hour) SELECT DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM old_rows;
  RETURN NULL;
END
$$;

CREATE TRIGGER "cloudtrail_events_hours_updated" AFTER UPDATE ON "cloudtrail_events"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_cloudtrail_hours"();
CREATE TRIGGER "cloudtrail_events_hours_deleted" AFTER DELETE ON "cloudtrail_events"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_cloudtrail_hours"();

-- Recomputes the dirty hours from the raw rows and returns how many hours it rebuilt. Idempotent;
-- one refresh at a time (transaction-scoped advisory lock). Marks written by transactions that have
-- not committed yet are not seen and stay for the next refresh (each statement reads committed data
-- at least as new as the marks it took).
CREATE FUNCTION "trailwatch_refresh_cloudtrail_hourly"() RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
BEGIN
  PERFORM pg_advisory_xact_lock(72707371);
  WITH taken AS (DELETE FROM rollup_dirty_hours RETURNING hour)
  SELECT array_agg(DISTINCT hour) INTO hours FROM taken;
  IF hours IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM cloudtrail_hourly WHERE hour = ANY(hours);
  INSERT INTO cloudtrail_hourly (hour, recipient_account_id, aws_region, event_source, event_name, read_only, error_code, events, first_time, last_time)
  SELECT h.hour, e.recipient_account_id, e.aws_region, e.event_source, e.event_name, e.read_only, e.error_code,
         count(*), min(e.event_time), max(e.event_time)
    FROM unnest(hours) AS h(hour)
    JOIN cloudtrail_events e ON e.event_time >= h.hour AT TIME ZONE 'UTC' AND e.event_time < (h.hour + interval '1 hour') AT TIME ZONE 'UTC'
   GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN cardinality(hours);
END
$$;
