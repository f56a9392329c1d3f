-- Search pages at scale (issue 9b). Every search reads newest first with ties by primary key
-- (lib/search/search-sql.ts searchOrderSql: time DESC, key DESC, key DESC) and stops after one page.
-- With the whole sort key in the index, the first page of a filter on eventName, userIdentity.arn or
-- sourceIPAddress (or of the time range alone) is the first `limit` entries of one index range:
-- no sort and no scan of the other matches, however many there are (10M events: a busy principal
-- has hundreds of thousands). The wider indexes replace the (field, time) ones, which they also
-- serve (report and rule predicates on the field and a time range; retention's time < cutoff):
-- ingest maintains the same number of indexes.

DROP INDEX "cloudtrail_events_event_time_idx";
CREATE INDEX "cloudtrail_events_time_keyset_idx" ON "cloudtrail_events"("event_time" DESC, "recipient_account_id" DESC, "event_id" DESC);

DROP INDEX "cloudtrail_events_event_name_event_time_idx";
CREATE INDEX "cloudtrail_events_event_name_keyset_idx" ON "cloudtrail_events"("event_name", "event_time" DESC, "recipient_account_id" DESC, "event_id" DESC);

DROP INDEX "cloudtrail_events_user_identity_arn_event_time_idx";
CREATE INDEX "cloudtrail_events_user_identity_arn_keyset_idx" ON "cloudtrail_events"("user_identity_arn", "event_time" DESC, "recipient_account_id" DESC, "event_id" DESC);

DROP INDEX "cloudtrail_events_source_ip_address_event_time_idx";
CREATE INDEX "cloudtrail_events_source_ip_address_keyset_idx" ON "cloudtrail_events"("source_ip_address", "event_time" DESC, "recipient_account_id" DESC, "event_id" DESC);

DROP INDEX "flow_records_start_idx";
CREATE INDEX "flow_records_start_keyset_idx" ON "flow_records"("start" DESC, "object_id" DESC, "line_number" DESC);
