-- The partial hours at a report range's edges are read from raw events (lib/reports/rollups.ts rollupRelation):
-- about an hour of events per range, 14k at 10M events a month, each fetched from the table (~1.5 KB with its raw
-- record) to group a few narrow columns. The time index now includes every column a CloudTrail rollup groups or
-- sums, except the role-session rollup's (its edges are role assumptions only, found through the event-name index),
-- so an edge is an index-only scan of entries of ~210 bytes. Same name, key and order as before: search reads it as
-- it did (lib/search/search-plan.int.test.ts).
DROP INDEX "cloudtrail_events_time_keyset_idx";
CREATE INDEX "cloudtrail_events_time_keyset_idx" ON "cloudtrail_events" ("event_time" DESC, "recipient_account_id" DESC, "event_id" DESC)
  INCLUDE ("aws_region", "event_source", "event_name", "read_only", "error_code", "user_identity_arn", "source_ip_address",
           "request_bucket_name", "additional_bytes_transferred_out");
