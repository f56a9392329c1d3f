-- A second covering index on the `iam-writes` slice's partition, keyed by `requestParameters.policyArn` (issue 9), as
-- 20261207070000_slice_filter_indexes keyed the `denied` and `signins` partitions by what some panels filter on. The
-- IAM audit's AdministratorAccess grants (lib/reports/iam-audit.ts iamKpis, `adminPolicyAttached`) are ≈ 1.2k of the
-- ≈ 55k IAM writes of a month at 10M events: on the covering index by time (20261207040000_iam_writes_policy_column)
-- that count read every entry of the range and kept 2% of them; on the policy ARN first it reads only those.
CREATE INDEX "cloudtrail_event_slices_iam_writes_policy_idx" ON "cloudtrail_event_slices_iam_writes" ("request_policy_arn", "event_time")
  INCLUDE ("slice", "event_source", "event_name", "read_only", "error_code", "recipient_account_id", "aws_region");
