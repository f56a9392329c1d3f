-- Event slices, one partition per slice (issue 9). A panel reads one slice, but the slices shared one heap, so
-- reading the `denied` slice (112k rows over 30 days at 10M events) scanned every slice's pages: 400 MB, ~210 ms
-- of a 380 ms panel. Listed by `slice`, a read of `slice = …` touches only its own partition (PostgreSQL prunes
-- the others). A slice added later lands in the default partition until a migration gives it its own. Same
-- columns, primary key and index names as before (lib/reports/slices.ts; the refresh writes through the parent).
ALTER TABLE "cloudtrail_event_slices" RENAME TO "cloudtrail_event_slices_unpartitioned";
ALTER INDEX "cloudtrail_event_slices_pkey" RENAME TO "cloudtrail_event_slices_unpartitioned_pkey";
ALTER INDEX "cloudtrail_event_slices_time_idx" RENAME TO "cloudtrail_event_slices_unpartitioned_time_idx";

CREATE TABLE "cloudtrail_event_slices" (LIKE "cloudtrail_event_slices_unpartitioned" INCLUDING DEFAULTS) PARTITION BY LIST ("slice");
ALTER TABLE "cloudtrail_event_slices" ADD CONSTRAINT "cloudtrail_event_slices_pkey" PRIMARY KEY ("slice", "recipient_account_id", "event_id");
CREATE INDEX "cloudtrail_event_slices_time_idx" ON "cloudtrail_event_slices"("slice", "event_time");
CREATE TABLE "cloudtrail_event_slices_signins" PARTITION OF "cloudtrail_event_slices" FOR VALUES IN ('signins');
CREATE TABLE "cloudtrail_event_slices_iam_writes" PARTITION OF "cloudtrail_event_slices" FOR VALUES IN ('iam-writes');
CREATE TABLE "cloudtrail_event_slices_denied" PARTITION OF "cloudtrail_event_slices" FOR VALUES IN ('denied');
CREATE TABLE "cloudtrail_event_slices_anonymous" PARTITION OF "cloudtrail_event_slices" FOR VALUES IN ('anonymous');
CREATE TABLE "cloudtrail_event_slices_cross_account" PARTITION OF "cloudtrail_event_slices" FOR VALUES IN ('cross-account');
CREATE TABLE "cloudtrail_event_slices_other" PARTITION OF "cloudtrail_event_slices" DEFAULT;

-- The rows, by slice and time as the refresh writes them.
INSERT INTO "cloudtrail_event_slices" SELECT * FROM "cloudtrail_event_slices_unpartitioned" ORDER BY "slice", "event_time";
DROP TABLE "cloudtrail_event_slices_unpartitioned";
ANALYZE "cloudtrail_event_slices";
