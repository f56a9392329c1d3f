-- The S3 report's largest transfers (lib/reports/s3-data-events.ts largestTransfers: events by
-- `additionalEventData.bytesTransferredOut`, largest first) sorted every S3 data event of the range: 29 s over
-- 30 days at 10M events. This index holds the events that report the field, in the panel's order, so the
-- panel reads its first entries inside the range. The expression is the one the panel sorts by (the rule
-- engine's numeric reading of the text, lib/reports/report-query.ts numberSql).
CREATE INDEX "cloudtrail_events_bytes_out_idx" ON "cloudtrail_events" ((trailwatch_numeric("additional_bytes_transferred_out")) DESC NULLS LAST, "event_time" DESC)
  WHERE "additional_bytes_transferred_out" IS NOT NULL;
