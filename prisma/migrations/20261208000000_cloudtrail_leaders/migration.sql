-- CloudTrail leader boards (issue 9): the Overview's top principals and top source addresses. Their rollups
-- (`principals`, `sources`) keep a row per key per bucket, ≈ 3,000 an hour at 10M events a month, and no 5-minute
-- rows (they would be nearly one per event), so a range read every key of every bucket and grouped the raw events
-- of its partial edge hours (≈ 14k at 10M): 17-27 ms for a 24-hour or 30-day range against 6-11 ms at 100k.
--
-- A board lists, per bucket, its `listed` busiest keys with their exact counts, and one row (rank 0) for its other
-- keys together: their count, and the most any one of them had (`records_unlisted`, on every row of the bucket),
-- which bounds what a key's merged count may lack (lib/reports/leaders.ts reads it as the flow boards). Buckets are
-- the rollups' grains: 5 minutes (built from the raw events, `listed_five_minutes` keys), hours, 6 hours, days and
-- weeks (from the rollups' rows of the same bucket, which are exact), so every row is its bucket's exact count:
-- `records_error` stays 0.
CREATE TABLE "cloudtrail_leaders" (
  "id" BIGSERIAL PRIMARY KEY,
  "board" TEXT NOT NULL,
  "grain" TEXT NOT NULL,
  "bucket" TIMESTAMP(3) NOT NULL,
  -- 1..: a key, busiest first; 0: the bucket's keys not listed.
  "rank" INTEGER NOT NULL,
  "k1" TEXT,
  "records" BIGINT NOT NULL,
  "records_error" NUMERIC NOT NULL DEFAULT 0,
  "records_unlisted" NUMERIC NOT NULL DEFAULT 0,
  "first_time" TIMESTAMPTZ(3) NOT NULL,
  "last_time" TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX "cloudtrail_leaders_bucket_idx" ON "cloudtrail_leaders" ("board", "grain", "bucket");
CREATE INDEX "cloudtrail_leaders_time_idx" ON "cloudtrail_leaders" ("grain", "bucket");

-- CloudTrail hours the boards have not seen yet: every CloudTrail hour the rollups are told of (ingest, retention).
CREATE TABLE "cloudtrail_leader_dirty_hours" (
  "id" BIGSERIAL PRIMARY KEY,
  "hour" TIMESTAMP(3) NOT NULL
);

CREATE FUNCTION "trailwatch_mark_cloudtrail_leader_hours"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cloudtrail_leader_dirty_hours (hour) SELECT DISTINCT hour FROM added WHERE source = 'cloudtrail';
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_dirty_hours_cloudtrail_leaders" AFTER INSERT ON "rollup_dirty_hours"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_cloudtrail_leader_hours"();

-- One bucket of both boards: `principals` (userIdentity.arn) and `sources` (sourceIPAddress), events without the
-- key left out. 5 minutes from the raw events (an index-only range scan: the time index includes both keys);
-- coarser buckets from the rollup rows of the same bucket, regrouped by key (`principals` keeps the account too).
CREATE FUNCTION "trailwatch_build_cloudtrail_leaders"(bucket_grain TEXT, bucket_start TIMESTAMP(3), listed INTEGER) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cloudtrail_leaders (board, grain, bucket, rank, k1, records, records_unlisted, first_time, last_time)
  WITH groups AS MATERIALIZED (
    SELECT CASE WHEN GROUPING(user_identity_arn) = 0 THEN 'principals' ELSE 'sources' END AS board,
           coalesce(user_identity_arn, source_ip_address) AS k1, count(*) AS records, min(event_time) AS first_time, max(event_time) AS last_time
      FROM cloudtrail_events
     WHERE bucket_grain = '5min'
       AND event_time >= bucket_start AT TIME ZONE 'UTC' AND event_time < (bucket_start + interval '5 minutes') AT TIME ZONE 'UTC'
     GROUP BY GROUPING SETS ((user_identity_arn), (source_ip_address))
    HAVING coalesce(user_identity_arn, source_ip_address) IS NOT NULL
    UNION ALL
    SELECT rollup, CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END, sum(records), min(first_time), max(last_time)
      FROM cloudtrail_rollup
     WHERE bucket_grain <> '5min' AND rollup IN ('principals', 'sources') AND grain = bucket_grain AND bucket = bucket_start
       AND CASE rollup WHEN 'principals' THEN user_identity_arn ELSE source_ip_address END IS NOT NULL
     GROUP BY 1, 2
  ), ranked AS (
    SELECT g.*, row_number() OVER (PARTITION BY g.board ORDER BY g.records DESC, g.k1 COLLATE "C") AS rank FROM groups g
  ), unlisted AS (
    SELECT board, sum(records) AS records, max(records) AS records_unlisted, min(first_time) AS first_time, max(last_time) AS last_time
      FROM ranked WHERE rank > listed GROUP BY board
  )
  SELECT r.board, bucket_grain, bucket_start, r.rank, r.k1, r.records, coalesce(u.records_unlisted, 0), r.first_time, r.last_time
    FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
   WHERE r.rank <= listed
  UNION ALL
  SELECT board, bucket_grain, bucket_start, 0, NULL, records, records_unlisted, first_time, last_time
    FROM unlisted;
END $$;

-- Rebuilds the boards' rows of the CloudTrail hours marked since the last refresh: their 5 minutes, the hours, and
-- the 6 hours, days and weeks holding them. Only hours the rollups have refreshed are taken (their coarser rows
-- come from the rollups' rows); an hour still marked for the rollups keeps its mark here for the next refresh,
-- which lib/reports/rollups.ts runs after the rollups'. Returns how many hours were rebuilt.
CREATE FUNCTION "trailwatch_refresh_cloudtrail_leaders"(listed INTEGER, listed_five_minutes INTEGER) RETURNS INTEGER
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
    PERFORM trailwatch_build_cloudtrail_leaders('hour', one_bucket, listed);
    FOR five IN 0..11 LOOP
      PERFORM trailwatch_build_cloudtrail_leaders('5min', one_bucket + five * interval '5 minutes', listed_five_minutes);
    END LOOP;
  END LOOP;

  FOREACH coarse_grain IN ARRAY ARRAY['6h', 'day', 'week'] LOOP
    SELECT array_agg(DISTINCT CASE coarse_grain WHEN '6h' THEN date_bin('6 hours', h, TIMESTAMP '2000-01-01') ELSE date_trunc(coarse_grain, h) END)
      INTO coarser FROM unnest(hours) AS h;
    DELETE FROM cloudtrail_leaders WHERE grain = coarse_grain AND bucket = ANY(coarser);
    FOREACH one_bucket IN ARRAY coarser LOOP
      PERFORM trailwatch_build_cloudtrail_leaders(coarse_grain, one_bucket, listed);
    END LOOP;
  END LOOP;
  -- After a large rebuild (a backfill, this migration) the planner would otherwise read the boards with the
  -- statistics of an empty table.
  IF cardinality(hours) >= 24 THEN
    ANALYZE cloudtrail_leaders;
  END IF;
  RETURN cardinality(hours);
END $$;

-- The CloudTrail hours already stored: the next refresh builds their boards.
INSERT INTO cloudtrail_leader_dirty_hours (hour)
SELECT DISTINCT bucket FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour';
