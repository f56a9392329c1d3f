-- Leader boards for the Network panels keyed by address or port (issue 9): top talkers, rejected sources,
-- SSH/RDP from the internet, destination ports. Their keys are nearly unique per record (internet peers,
-- ephemeral ports), so no rollup is smaller than the records, and the panels scanned every record of their
-- range (17-139 s over 30 days at 50M records); port-scan suspects too (distinct refused ports per internet
-- source). A board keeps, per UTC hour and per UTC day, the `listed`
-- busiest keys by the board's measure with exact sums, and one row (rank 0) for every other key together:
-- their exact sums (so totals stay exact) and the most any one of them had (`*_unlisted`), which bounds what a
-- merged value may lack. lib/reports/leaders.ts reads them and documents the bounds.
CREATE TABLE "flow_leaders" (
  "id" BIGSERIAL PRIMARY KEY,
  "board" TEXT NOT NULL,
  "grain" TEXT NOT NULL,
  "bucket" TIMESTAMP(3) NOT NULL,
  -- 1..listed: a key, busiest first; 0: every key of the bucket not listed.
  "rank" INTEGER NOT NULL,
  "k1" TEXT,
  "k2" TEXT,
  "k3" TEXT,
  "records" BIGINT NOT NULL,
  "bytes" NUMERIC NOT NULL,
  "packets" NUMERIC NOT NULL,
  -- Distinct values of the board's distinct fields: exact in an hour row, the largest hour's count in a day row.
  "d1" BIGINT,
  "d2" BIGINT,
  -- REJECTed records, and the distinct destination ports refused and accepted (sets: their union is exact).
  "rejected" BIGINT,
  "rejected_ports" INTEGER[],
  "accepted_ports" INTEGER[],
  -- How much this row's sums may lack (a day row: hours where the key was not listed).
  "records_error" NUMERIC NOT NULL DEFAULT 0,
  "bytes_error" NUMERIC NOT NULL DEFAULT 0,
  "packets_error" NUMERIC NOT NULL DEFAULT 0,
  -- The most any key not listed in this bucket had (the same on every row of the bucket).
  "records_unlisted" NUMERIC NOT NULL DEFAULT 0,
  "bytes_unlisted" NUMERIC NOT NULL DEFAULT 0,
  "packets_unlisted" NUMERIC NOT NULL DEFAULT 0,
  "first_time" TIMESTAMPTZ(3) NOT NULL,
  "last_time" TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX "flow_leaders_bucket_idx" ON "flow_leaders" ("board", "grain", "bucket");

-- Flow hours the boards have not seen yet: every flow hour the rollups are told of (ingest, retention triggers).
CREATE TABLE "flow_leader_dirty_hours" (
  "id" BIGSERIAL PRIMARY KEY,
  "hour" TIMESTAMP(3) NOT NULL
);

-- Port sets merge by union: concatenated per key, then reduced to their distinct ports (NULL when none).
CREATE AGGREGATE "trailwatch_concat_ports"(INTEGER[]) (SFUNC = array_cat, STYPE = INTEGER[]);
CREATE FUNCTION "trailwatch_distinct_ports"(ports INTEGER[]) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE AS $$ SELECT array_agg(DISTINCT p ORDER BY p) FROM unnest(ports) AS p $$;

-- What a board ranks its keys by (lib/reports/leaders.ts LEADER_BOARDS' rankBy), in hour and day buckets alike.
CREATE FUNCTION "trailwatch_leader_rank"(board TEXT, records NUMERIC, bytes NUMERIC, packets NUMERIC, rejected_ports INTEGER[]) RETURNS NUMERIC
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE board WHEN 'talkers-bytes' THEN bytes WHEN 'talkers-packets' THEN packets
                    WHEN 'port-scans' THEN coalesce(cardinality(rejected_ports), 0) ELSE records END
$$;

CREATE FUNCTION "trailwatch_mark_flow_leader_hours"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO flow_leader_dirty_hours (hour) SELECT DISTINCT hour FROM added WHERE source = 'vpcflow';
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_dirty_hours_flow_leaders" AFTER INSERT ON "rollup_dirty_hours"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "trailwatch_mark_flow_leader_hours"();

-- Rebuilds the boards of the dirty hours and of the days holding them. The caller passes the definitions that
-- live in TypeScript (lib/reports/network.ts): the private address ranges, the SSH/RDP ports, how many keys a
-- bucket lists. Returns how many hours were rebuilt.
CREATE FUNCTION "trailwatch_refresh_flow_leaders"(private_networks INET[], remote_admin_ports INTEGER[], listed INTEGER) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  hours TIMESTAMP(3)[];
  days TIMESTAMP(3)[];
  one_hour TIMESTAMP(3);
  one_day TIMESTAMP(3);
BEGIN
  PERFORM pg_advisory_xact_lock(72707372);
  WITH taken AS (DELETE FROM flow_leader_dirty_hours RETURNING hour) SELECT array_agg(DISTINCT hour) INTO hours FROM taken;
  IF hours IS NULL THEN RETURN 0; END IF;
  -- Grouping an hour of near-unique pairs (70k records at 50M a month) spills to disk with the default 4 MB.
  SET LOCAL work_mem = '64MB';

  DELETE FROM flow_leaders WHERE grain = 'hour' AND bucket = ANY(hours);
  FOREACH one_hour IN ARRAY hours LOOP
    INSERT INTO flow_leaders (board, grain, bucket, rank, k1, k2, k3, records, bytes, packets, d1, d2, rejected, rejected_ports, accepted_ports,
                              records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time)
    WITH hour_rows AS MATERIALIZED (
      SELECT srcaddr, dstaddr, dstport, protocol, action, log_status, bytes, packets, start FROM flow_records
       WHERE start >= one_hour AT TIME ZONE 'UTC' AND start < (one_hour + interval '1 hour') AT TIME ZONE 'UTC'
    ), talkers AS (
      SELECT host(srcaddr) AS k1, host(dstaddr) AS k2, NULL::text AS k3, count(*) AS records,
             coalesce(sum(bytes), 0) AS bytes, coalesce(sum(packets), 0) AS packets, NULL::bigint AS d1, NULL::bigint AS d2,
             NULL::bigint AS rejected, NULL::integer[] AS rejected_ports, NULL::integer[] AS accepted_ports, min(start) AS first_time, max(start) AS last_time
        FROM hour_rows WHERE log_status = 'OK' GROUP BY 1, 2
    ), keyed AS (
      SELECT 'talkers-bytes' AS board, * FROM talkers
      UNION ALL
      SELECT 'talkers-packets', * FROM talkers
      UNION ALL
      SELECT 'remote-admin', host(srcaddr), dstport::text, action, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0), NULL, NULL, NULL, NULL, NULL, min(start), max(start)
        FROM hour_rows
       WHERE log_status = 'OK' AND srcaddr IS NOT NULL AND NOT coalesce(srcaddr <<= ANY(private_networks), false) AND dstport = ANY(remote_admin_ports)
       GROUP BY 2, 3, 4
      UNION ALL
      SELECT 'rejected-sources', host(srcaddr), NULL, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
             NULL, count(DISTINCT dstaddr), NULL, array_agg(DISTINCT dstport) FILTER (WHERE dstport IS NOT NULL), NULL, min(start), max(start)
        FROM hour_rows WHERE log_status = 'OK' AND action = 'REJECT'
       GROUP BY 2
      UNION ALL
      SELECT 'port-scans', host(srcaddr), NULL, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
             count(DISTINCT dstaddr), NULL, count(*) FILTER (WHERE action = 'REJECT'),
             array_agg(DISTINCT dstport) FILTER (WHERE action = 'REJECT' AND dstport IS NOT NULL),
             array_agg(DISTINCT dstport) FILTER (WHERE action = 'ACCEPT' AND dstport IS NOT NULL), min(start), max(start)
        FROM hour_rows WHERE log_status = 'OK' AND srcaddr IS NOT NULL AND NOT coalesce(srcaddr <<= ANY(private_networks), false)
       GROUP BY 2
      UNION ALL
      SELECT 'destination-ports', protocol::text, dstport::text, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
             count(DISTINCT srcaddr), NULL, NULL, NULL, NULL, min(start), max(start)
        FROM hour_rows WHERE log_status = 'OK' AND dstport IS NOT NULL
       GROUP BY 2, 3
    ), ranked AS (
      SELECT k.*, row_number() OVER (PARTITION BY board ORDER BY trailwatch_leader_rank(board, records, bytes, packets, rejected_ports) DESC,
                                                       k1 COLLATE "C", k2 COLLATE "C", k3 COLLATE "C") AS rank
        FROM keyed k
    ), unlisted AS (
      SELECT board, sum(records) AS records, sum(bytes) AS bytes, sum(packets) AS packets, sum(rejected) AS rejected,
             max(records) AS records_unlisted, max(bytes) AS bytes_unlisted, max(packets) AS packets_unlisted, min(first_time) AS first_time, max(last_time) AS last_time
        FROM ranked WHERE rank > listed GROUP BY board
    )
    SELECT r.board, 'hour', one_hour, r.rank, r.k1, r.k2, r.k3, r.records, r.bytes, r.packets, r.d1, r.d2, r.rejected, r.rejected_ports, r.accepted_ports,
           coalesce(u.records_unlisted, 0), coalesce(u.bytes_unlisted, 0), coalesce(u.packets_unlisted, 0), r.first_time, r.last_time
      FROM ranked r LEFT JOIN unlisted u ON u.board = r.board
     WHERE r.rank <= listed
    UNION ALL
    SELECT board, 'hour', one_hour, 0, NULL, NULL, NULL, records, bytes, packets, NULL, NULL, rejected, NULL, NULL,
           records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time
      FROM unlisted;
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
  RETURN cardinality(hours);
END $$;

-- The flow hours already stored: the next refresh builds their boards.
INSERT INTO flow_leader_dirty_hours (hour)
SELECT DISTINCT date_trunc('hour', start AT TIME ZONE 'UTC') FROM flow_records WHERE start IS NOT NULL;
