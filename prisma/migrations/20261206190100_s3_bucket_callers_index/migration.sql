-- The S3 report's callers per bucket (lib/reports/s3-data-events.ts topPrincipalsPerBucket: the busiest buckets'
-- data events grouped by caller) read every event of those buckets from the table: 325k rows over 30 days at 10M
-- events, 13 s cold. No rollup is smaller than the events ((bucket, caller) pairs are 69k a day there), so this
-- index holds, for the events naming a bucket, every column the panel reads: an index-only scan of the buckets'
-- ranges (the selection's value lists are `= ANY(array)`, lib/reports/selection.ts, which such a scan takes whole).
CREATE INDEX "cloudtrail_events_bucket_callers_idx" ON "cloudtrail_events" ("request_bucket_name", "event_time")
  INCLUDE ("event_source", "event_name", "recipient_account_id", "aws_region", "user_identity_arn", "user_identity_invoked_by",
           "user_identity_account_id", "error_code", "additional_bytes_transferred_out")
  WHERE "request_bucket_name" IS NOT NULL;
-- An index-only scan reads the table for every page autovacuum has not yet marked all-visible; on an insert-only
-- table it comes after 20% new rows by default (six days of a 10M-a-month trail), after 2% now.
ALTER TABLE "cloudtrail_events" SET (autovacuum_vacuum_insert_scale_factor = 0.02);
