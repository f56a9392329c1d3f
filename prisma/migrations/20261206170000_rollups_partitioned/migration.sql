-- The rollup tables, one partition per rollup (issue 9), as 20261206160000_slices_partitioned did for the slices.
-- A panel reads one rollup, but its rows shared a table with the others', and so did the planner's statistics:
-- a panel's filters test columns the rollup decides (`source_ip_address IS NOT NULL` holds for every `sources`
-- row and few others), so the planner expected a third of the rows a month of `sources` returns (53k of 182k) and
-- sorted them to group them instead of hashing: 196 ms, against 69 ms for the same query on a table of `sources`
-- rows alone. Listed by `rollup`, a read of `rollup = …` touches only its partition, whose statistics describe it.
-- The primary key gains `rollup` (a partitioned table's key must hold the partition key); the ids keep their
-- sequence. A rollup added later lands in the default partition until a migration gives it its own.
ALTER TABLE "cloudtrail_rollup" RENAME TO "cloudtrail_rollup_unpartitioned";
ALTER INDEX "cloudtrail_rollup_pkey" RENAME TO "cloudtrail_rollup_unpartitioned_pkey";
ALTER INDEX "cloudtrail_rollup_bucket_idx" RENAME TO "cloudtrail_rollup_unpartitioned_bucket_idx";
ALTER SEQUENCE "cloudtrail_rollup_id_seq" OWNED BY NONE;
CREATE TABLE "cloudtrail_rollup" (LIKE "cloudtrail_rollup_unpartitioned" INCLUDING DEFAULTS) PARTITION BY LIST ("rollup");
ALTER SEQUENCE "cloudtrail_rollup_id_seq" OWNED BY "cloudtrail_rollup"."id";
ALTER TABLE "cloudtrail_rollup" ADD CONSTRAINT "cloudtrail_rollup_pkey" PRIMARY KEY ("rollup", "id");
CREATE INDEX "cloudtrail_rollup_bucket_idx" ON "cloudtrail_rollup"("rollup", "grain", "bucket");
CREATE TABLE "cloudtrail_rollup_errors" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('errors');
CREATE TABLE "cloudtrail_rollup_names" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('names');
CREATE TABLE "cloudtrail_rollup_regions" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('regions');
CREATE TABLE "cloudtrail_rollup_sources" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('sources');
CREATE TABLE "cloudtrail_rollup_activity" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('activity');
CREATE TABLE "cloudtrail_rollup_accounts" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('accounts');
CREATE TABLE "cloudtrail_rollup_principals" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('principals');
CREATE TABLE "cloudtrail_rollup_buckets" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('buckets');
CREATE TABLE "cloudtrail_rollup_detail" PARTITION OF "cloudtrail_rollup" FOR VALUES IN ('detail');
CREATE TABLE "cloudtrail_rollup_other" PARTITION OF "cloudtrail_rollup" DEFAULT;
INSERT INTO "cloudtrail_rollup" SELECT * FROM "cloudtrail_rollup_unpartitioned" ORDER BY "rollup", "grain", "bucket";
DROP TABLE "cloudtrail_rollup_unpartitioned";

ALTER TABLE "flow_rollup" RENAME TO "flow_rollup_unpartitioned";
ALTER INDEX "flow_rollup_pkey" RENAME TO "flow_rollup_unpartitioned_pkey";
ALTER INDEX "flow_rollup_bucket_idx" RENAME TO "flow_rollup_unpartitioned_bucket_idx";
ALTER SEQUENCE "flow_rollup_id_seq" OWNED BY NONE;
CREATE TABLE "flow_rollup" (LIKE "flow_rollup_unpartitioned" INCLUDING DEFAULTS) PARTITION BY LIST ("rollup");
ALTER SEQUENCE "flow_rollup_id_seq" OWNED BY "flow_rollup"."id";
ALTER TABLE "flow_rollup" ADD CONSTRAINT "flow_rollup_pkey" PRIMARY KEY ("rollup", "id");
CREATE INDEX "flow_rollup_bucket_idx" ON "flow_rollup"("rollup", "grain", "bucket");
CREATE TABLE "flow_rollup_traffic" PARTITION OF "flow_rollup" FOR VALUES IN ('traffic');
CREATE TABLE "flow_rollup_interfaces" PARTITION OF "flow_rollup" FOR VALUES IN ('interfaces');
CREATE TABLE "flow_rollup_other" PARTITION OF "flow_rollup" DEFAULT;
INSERT INTO "flow_rollup" SELECT * FROM "flow_rollup_unpartitioned" ORDER BY "rollup", "grain", "bucket";
DROP TABLE "flow_rollup_unpartitioned";

ANALYZE "cloudtrail_rollup";
ANALYZE "flow_rollup";
