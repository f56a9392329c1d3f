-- The Login audit's first-seen source addresses (lib/reports/login-audit.ts firstSeenIps) grouped every successful
-- console sign-in of the range and the 90 days before it by account, user and address (≈ 50k at 10M events a month,
-- 68-72 ms over 24 hours as over 30 days, against 5 ms at 100k), to list the 25 newest first sightings.
--
-- This table keeps the successful console sign-ins per (account, user, source address) and UTC hour, and marks the
-- hours whose first sign-in is a first sighting: no sign-in of the same account, user and address in the lookback
-- (90 days) before it. A sign-in later in the hour never is one (the hour's first came less than an hour before).
-- So a range's newest first sightings are the newest marked rows whose first sign-in lies in the range: an index
-- read of as many rows as the panel lists, whatever the data's size (lib/reports/sign-in-sightings.ts).
--
-- `pair` identifies the account, user and address as one text (a JSON array, so a missing value differs from any
-- text); the user is the panel's key, `userIdentity.userName` else `userIdentity.arn`, with `user_field` saying which
-- (0, 1; NULL when neither is present).
CREATE TABLE "sign_in_sightings" (
  "pair" TEXT NOT NULL,
  "hour" TIMESTAMP(3) NOT NULL,
  "recipient_account_id" TEXT NOT NULL,
  "user_key" TEXT,
  "user_field" SMALLINT,
  "source_ip_address" TEXT,
  "records" BIGINT NOT NULL,
  "first_time" TIMESTAMPTZ(3) NOT NULL,
  "last_time" TIMESTAMPTZ(3) NOT NULL,
  "first_sighting" BOOLEAN NOT NULL,
  CONSTRAINT "sign_in_sightings_pkey" PRIMARY KEY ("pair", "hour")
);
CREATE INDEX "sign_in_sightings_first_idx" ON "sign_in_sightings" ("first_time") WHERE "first_sighting";
CREATE INDEX "sign_in_sightings_hour_idx" ON "sign_in_sightings" ("hour");

-- CloudTrail hours the sightings have not seen yet: every CloudTrail hour the rollups are told of (ingest, retention).
CREATE TABLE "sign_in_sighting_dirty_hours" (
  "id" BIGSERIAL PRIMARY KEY,
  "hour" TIMESTAMP(3) NOT NULL
);

CREATE FUNCTION "trailwatch_mark_sign_in_sighting_hours"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sign_in_sighting_dirty_hours (hour) SELECT DISTINCT hour FROM added WHERE source = 'cloudtrail';
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_dirty_hours_sign_in_sightings" AFTER INSERT ON "rollup_dirty_hours"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_sign_in_sighting_hours"();

-- Rebuilds the rows of the CloudTrail hours marked since the last refresh from the `signins` slice (so only hours
-- the rollups have refreshed are taken, as trailwatch_refresh_cloudtrail_leaders does), then marks again the first
-- sightings of every pair those hours held before or hold now: over all the pair's rows, an hour is a first
-- sighting when the pair's previous sign-in came more than `lookback` before its first (late data and retention
-- change the hours after them). Returns how many hours were rebuilt.
CREATE FUNCTION "trailwatch_refresh_sign_in_sightings"(lookback INTERVAL) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  pairs TEXT[];
BEGIN
  PERFORM pg_advisory_xact_lock(72707375);
  WITH taken AS (
    DELETE FROM sign_in_sighting_dirty_hours d
     WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty_hours r WHERE r.source = 'cloudtrail' AND r.hour = d.hour)
    RETURNING hour)
  SELECT array_agg(DISTINCT hour) INTO hours FROM taken;
  IF hours IS NULL THEN RETURN 0; END IF;

  WITH dropped AS (DELETE FROM sign_in_sightings WHERE hour = ANY(hours) RETURNING pair)
  SELECT array_agg(DISTINCT pair) INTO pairs FROM dropped;
  -- One range scan of the slice's covering index over the hours' span, keeping the marked hours.
  INSERT INTO sign_in_sightings (pair, hour, recipient_account_id, user_key, user_field, source_ip_address, records, first_time, last_time, first_sighting)
  SELECT json_build_array(recipient_account_id, user_key, user_field, source_ip_address)::text, hour, recipient_account_id, user_key, user_field,
         source_ip_address, count(*), min(event_time), max(event_time), false
    FROM (SELECT date_trunc('hour', event_time AT TIME ZONE 'UTC') AS hour, recipient_account_id,
                 coalesce(user_identity_user_name, user_identity_arn) AS user_key,
                 CASE WHEN user_identity_user_name IS NOT NULL THEN 0 WHEN user_identity_arn IS NOT NULL THEN 1 END AS user_field,
                 source_ip_address, event_time
            FROM cloudtrail_event_slices
           WHERE slice = 'signins' AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin' AND response_console_login = 'Success'
             AND event_time >= (SELECT min(h) FROM unnest(hours) h) AT TIME ZONE 'UTC'
             AND event_time < (SELECT max(h) + interval '1 hour' FROM unnest(hours) h) AT TIME ZONE 'UTC') s
   WHERE hour = ANY(hours)
   GROUP BY 1, 2, 3, 4, 5, 6;
  SELECT array_agg(DISTINCT pair) INTO pairs
    FROM (SELECT unnest(pairs) AS pair UNION SELECT pair FROM sign_in_sightings WHERE hour = ANY(hours)) p;

  UPDATE sign_in_sightings s SET first_sighting = w.first_sighting
    FROM (SELECT pair, hour, coalesce(lag(last_time) OVER (PARTITION BY pair ORDER BY hour) < first_time - lookback, true) AS first_sighting
            FROM sign_in_sightings WHERE pair = ANY(pairs)) w
   WHERE s.pair = w.pair AND s.hour = w.hour AND s.first_sighting IS DISTINCT FROM w.first_sighting;
  IF cardinality(hours) >= 24 THEN
    ANALYZE sign_in_sightings;
  END IF;
  RETURN cardinality(hours);
END $$;

-- The hours already stored (those with sign-ins, and those the rollups have yet to refresh): the next refresh
-- builds their rows.
INSERT INTO sign_in_sighting_dirty_hours (hour)
SELECT DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_event_slices WHERE slice = 'signins'
UNION
SELECT hour FROM rollup_dirty_hours WHERE source = 'cloudtrail';
