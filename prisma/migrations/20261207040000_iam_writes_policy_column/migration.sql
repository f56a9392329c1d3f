-- The IAM audit's tiles (lib/reports/iam-audit.ts iamKpis) count AdministratorAccess attachments by
-- `requestParameters.policyArn` beside the distinct principals changing IAM, both from the `iam-writes` slice: the
-- policy column was not in the partition's covering index (20261206190300_slice_covering_indexes), so at 10M events
-- that query read the whole partition (53.6k rows a month, 45 of its 75 ms over 30 days). The same index, with it.
DROP INDEX "cloudtrail_event_slices_iam_writes_columns_idx";
CREATE INDEX "cloudtrail_event_slices_iam_writes_columns_idx" ON "cloudtrail_event_slices_iam_writes" ("event_time")
  INCLUDE ("slice", "event_source", "event_name", "read_only", "error_code", "recipient_account_id", "aws_region", "user_identity_arn",
           "user_identity_user_name", "user_identity_invoked_by", "user_identity_account_id", "request_bucket_name", "request_policy_arn");
