-- The Login audit's panels (lib/reports/login-audit.ts) read every sign-in of their range from the `signins` slice:
-- ≈ 50k rows a month at 10M events, each a whole event with its raw record (~1.5 KB), to count and group a few
-- narrow columns (55-140 ms over 30 days). As 20261206190300_slice_covering_indexes did for the refusals and IAM
-- changes, an index of the partition on time including every column those panels read makes their scans
-- index-only (IAM Identity Center's `UserAuthentication` fields are JSON paths and still read the rows: a few of
-- them). The slice's rows are rewritten by each refresh of their hour, so autovacuum is asked to mark its pages
-- all-visible sooner.
CREATE INDEX "cloudtrail_event_slices_signins_columns_idx" ON "cloudtrail_event_slices_signins" ("event_time")
  INCLUDE ("slice", "event_source", "event_name", "recipient_account_id", "aws_region", "user_identity_type", "user_identity_arn",
           "user_identity_user_name", "source_ip_address", "response_console_login", "additional_mfa_used", "session_issuer_user_name");
ALTER TABLE "cloudtrail_event_slices_signins" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
