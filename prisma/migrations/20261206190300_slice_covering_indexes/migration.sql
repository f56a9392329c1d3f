-- The refusal and IAM-change panels (lib/reports/iam-audit.ts accessDeniedByPrincipal, iamChangesByPrincipal;
-- lib/reports/s3-data-events.ts s3AccessDenied) read every row of their slice in the range: 47k-112k rows a month at
-- 10M events, each a whole event with its raw record (~1.5 KB), to group a few narrow columns (313 ms for the
-- refusals over 30 days). These indexes of the two slices' partitions, on time and including every column those
-- panels read, let them scan narrow index entries instead (an index-only scan). The slices' rows are rewritten by
-- each refresh of their hour, so autovacuum is asked to mark their pages all-visible sooner (index-only scans read
-- the table for pages it has not marked).
CREATE INDEX "cloudtrail_event_slices_denied_columns_idx" ON "cloudtrail_event_slices_denied" ("event_time")
  INCLUDE ("slice", "event_source", "event_name", "read_only", "error_code", "recipient_account_id", "aws_region", "user_identity_arn",
           "user_identity_user_name", "user_identity_invoked_by", "user_identity_account_id", "request_bucket_name");
CREATE INDEX "cloudtrail_event_slices_iam_writes_columns_idx" ON "cloudtrail_event_slices_iam_writes" ("event_time")
  INCLUDE ("slice", "event_source", "event_name", "read_only", "error_code", "recipient_account_id", "aws_region", "user_identity_arn",
           "user_identity_user_name", "user_identity_invoked_by", "user_identity_account_id", "request_bucket_name");
ALTER TABLE "cloudtrail_event_slices_denied" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE "cloudtrail_event_slices_iam_writes" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
