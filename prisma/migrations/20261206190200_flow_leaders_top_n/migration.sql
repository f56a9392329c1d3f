-- The flow leader boards' hour refresh (issue 9), cheaper: each board's listed keys come from a top-N sort of its
-- own groups, and the groups left unlisted from an anti-join with them, instead of one sort ranking the groups of
-- all six boards (190k in an hour of 70k records at 50M a month: 850 ms) and a second pass over the ranked rows
-- (470 ms). The boards hold the same rows as before (lib/reports/leaders.int.test.ts). Otherwise as in
-- 20261206180000_flow_leaders.
CREATE OR REPLACE FUNCTION "trailwatch_refresh_flow_leaders"(private_networks INET[], remote_admin_ports INTEGER[], listed INTEGER) RETURNS INTEGER
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
    ), groups AS (
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
    ), keyed AS MATERIALIZED (
      -- Every group of the hour, numbered (no sort: the numbers only tell the listed groups from the others).
      SELECT row_number() OVER () AS id, g.* FROM groups g
    ), listed AS (
      -- Each board's `listed` busiest keys: a top-N sort per board (a bounded heap over its groups), instead of one
      -- sort of every group of all boards (850 of 2,600 ms of an hour of 70k records at 50M a month).
      SELECT t.*, row_number() OVER (PARTITION BY t.board ORDER BY t.rank_value DESC, t.k1 COLLATE "C", t.k2 COLLATE "C", t.k3 COLLATE "C") AS rank
        FROM (SELECT DISTINCT board FROM keyed) b
       CROSS JOIN LATERAL (
         SELECT k.*, trailwatch_leader_rank(k.board, k.records, k.bytes, k.packets, k.rejected_ports) AS rank_value
           FROM keyed k WHERE k.board = b.board
          ORDER BY rank_value DESC, k.k1 COLLATE "C", k.k2 COLLATE "C", k.k3 COLLATE "C"
          LIMIT listed) t
    ), unlisted AS (
      SELECT board, sum(records) AS records, sum(bytes) AS bytes, sum(packets) AS packets, sum(rejected) AS rejected,
             max(records) AS records_unlisted, max(bytes) AS bytes_unlisted, max(packets) AS packets_unlisted, min(first_time) AS first_time, max(last_time) AS last_time
        FROM keyed WHERE id NOT IN (SELECT id FROM listed) GROUP BY board
    )
    SELECT r.board, 'hour', one_hour, r.rank, r.k1, r.k2, r.k3, r.records, r.bytes, r.packets, r.d1, r.d2, r.rejected, r.rejected_ports, r.accepted_ports,
           coalesce(u.records_unlisted, 0), coalesce(u.bytes_unlisted, 0), coalesce(u.packets_unlisted, 0), r.first_time, r.last_time
      FROM listed r LEFT JOIN unlisted u ON u.board = r.board
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
