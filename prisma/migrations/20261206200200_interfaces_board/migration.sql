-- A leader board of network interfaces by bytes (issue 9), for the Network report's traffic per interface
-- (lib/reports/network.ts trafficByInterface): its `interfaces` rollup holds ≈ 5.4k rows an hour at 50M flow records
-- a month (2,000 interfaces × action × log-status, default- and custom-format records apart), so 30 days read 304k
-- rollup rows and 69k raw records at the edges (302 ms). The board keeps, per hour, day and 5 minutes, the busiest
-- (VPC, subnet, interface) keys by bytes with their records and REJECTed records, as the other boards
-- (20261206180000_flow_leaders, 20261206200000_flow_five_minute_rows). The build statement and the ranking are as in
-- those migrations, with the new board added; the next refresh builds it for every stored flow hour.
CREATE OR REPLACE FUNCTION "trailwatch_leader_rank"(board TEXT, records NUMERIC, bytes NUMERIC, packets NUMERIC, rejected_ports INTEGER[]) RETURNS NUMERIC
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE board WHEN 'talkers-bytes' THEN bytes WHEN 'interfaces-bytes' THEN bytes WHEN 'talkers-packets' THEN packets
                    WHEN 'port-scans' THEN coalesce(cardinality(rejected_ports), 0) ELSE records END
$$;

CREATE OR REPLACE FUNCTION "trailwatch_build_flow_leaders"(bucket_grain TEXT, bucket_start TIMESTAMP(3), bucket_width INTERVAL,
                                                 private_networks INET[], remote_admin_ports INTEGER[], listed INTEGER) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO flow_leaders (board, grain, bucket, rank, k1, k2, k3, records, bytes, packets, d1, d2, rejected, rejected_ports, accepted_ports,
                            records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time)
  WITH bucket_rows AS MATERIALIZED (
    SELECT srcaddr, dstaddr, dstport, protocol, action, log_status, bytes, packets, start, vpc_id, subnet_id, interface_id FROM flow_records
     WHERE start >= bucket_start AT TIME ZONE 'UTC' AND start < (bucket_start + bucket_width) AT TIME ZONE 'UTC'
  ), talkers AS (
    SELECT host(srcaddr) AS k1, host(dstaddr) AS k2, NULL::text AS k3, count(*) AS records,
           coalesce(sum(bytes), 0) AS bytes, coalesce(sum(packets), 0) AS packets, NULL::bigint AS d1, NULL::bigint AS d2,
           NULL::bigint AS rejected, NULL::integer[] AS rejected_ports, NULL::integer[] AS accepted_ports, min(start) AS first_time, max(start) AS last_time
      FROM bucket_rows WHERE log_status = 'OK' GROUP BY 1, 2
  ), groups AS (
    SELECT 'talkers-bytes' AS board, * FROM talkers
    UNION ALL
    SELECT 'talkers-packets', * FROM talkers
    UNION ALL
    SELECT 'remote-admin', host(srcaddr), dstport::text, action, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0), NULL, NULL, NULL, NULL, NULL, min(start), max(start)
      FROM bucket_rows
     WHERE log_status = 'OK' AND srcaddr IS NOT NULL AND NOT coalesce(srcaddr <<= ANY(private_networks), false) AND dstport = ANY(remote_admin_ports)
     GROUP BY 2, 3, 4
    UNION ALL
    SELECT 'rejected-sources', host(srcaddr), NULL, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           NULL, count(DISTINCT dstaddr), NULL, array_agg(DISTINCT dstport) FILTER (WHERE dstport IS NOT NULL), NULL, min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK' AND action = 'REJECT'
     GROUP BY 2
    UNION ALL
    SELECT 'port-scans', host(srcaddr), NULL, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           count(DISTINCT dstaddr), NULL, count(*) FILTER (WHERE action = 'REJECT'),
           array_agg(DISTINCT dstport) FILTER (WHERE action = 'REJECT' AND dstport IS NOT NULL),
           array_agg(DISTINCT dstport) FILTER (WHERE action = 'ACCEPT' AND dstport IS NOT NULL), min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK' AND srcaddr IS NOT NULL AND NOT coalesce(srcaddr <<= ANY(private_networks), false)
     GROUP BY 2
    UNION ALL
    SELECT 'interfaces-bytes', vpc_id, subnet_id, interface_id, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           NULL, NULL, count(*) FILTER (WHERE action = 'REJECT'), NULL, NULL, min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK'
     GROUP BY 2, 3, 4
    UNION ALL
    SELECT 'destination-ports', protocol::text, dstport::text, NULL, count(*), coalesce(sum(bytes), 0), coalesce(sum(packets), 0),
           count(DISTINCT srcaddr), NULL, NULL, NULL, NULL, min(start), max(start)
      FROM bucket_rows WHERE log_status = 'OK' AND dstport IS NOT NULL
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
  SELECT r.board, bucket_grain, bucket_start, r.rank, r.k1, r.k2, r.k3, r.records, r.bytes, r.packets, r.d1, r.d2, r.rejected, r.rejected_ports, r.accepted_ports,
         coalesce(u.records_unlisted, 0), coalesce(u.bytes_unlisted, 0), coalesce(u.packets_unlisted, 0), r.first_time, r.last_time
    FROM listed r LEFT JOIN unlisted u ON u.board = r.board
  UNION ALL
  SELECT board, bucket_grain, bucket_start, 0, NULL, NULL, NULL, records, bytes, packets, NULL, NULL, rejected, NULL, NULL,
         records_unlisted, bytes_unlisted, packets_unlisted, first_time, last_time
    FROM unlisted;
END $$;

INSERT INTO flow_leader_dirty_hours (hour)
SELECT DISTINCT bucket FROM flow_rollup WHERE rollup = 'traffic' AND grain = 'hour';
