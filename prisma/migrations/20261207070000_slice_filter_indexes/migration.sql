-- Second covering indexes on two slices' partitions, keyed by what some of their panels filter on (issue 9; Physical
-- design 35 in docs/performance.md). The slices' covering indexes are on time (20261206190300_slice_covering_indexes,
-- 20261207020000_signins_covering_index): a panel counting a tenth of a slice scanned every entry of the range and
-- filtered. The panels over a whole slice keep those.
--
-- S3's refusals (lib/reports/s3-data-events.ts s3AccessDenied: `AccessDenied` from s3.amazonaws.com, per bucket and
-- caller) read ≈ 111k entries of the `denied` slice a month at 10M events, twice (the ranked rows, then their
-- distinct calls), to keep the tenth from S3: on service and error code first, they read only those.
CREATE INDEX "cloudtrail_event_slices_denied_source_idx" ON "cloudtrail_event_slices_denied" ("event_source", "error_code", "event_time")
  INCLUDE ("slice", "event_name", "read_only", "recipient_account_id", "aws_region", "user_identity_arn",
           "user_identity_user_name", "user_identity_invoked_by", "user_identity_account_id", "request_bucket_name");

-- Of the sign-ins (≈ 50k a month at 10M events), federation tokens (lib/reports/login-audit.ts federationTokens) are
-- the few GetSigninToken / GetFederationToken calls, failed console sign-ins (failureBurstsByUser, failureBurstsByIp)
-- a tenth of ConsoleLogin, and the users signing in without MFA (mfaUsage) among the successful IAM-user and root
-- ones: on call, result (`responseElements.ConsoleLogin`) and identity type first, each reads its own.
CREATE INDEX "cloudtrail_event_slices_signins_result_idx" ON "cloudtrail_event_slices_signins" ("event_name", "response_console_login", "user_identity_type", "event_time")
  INCLUDE ("slice", "event_source", "recipient_account_id", "aws_region", "user_identity_arn", "user_identity_user_name", "source_ip_address",
           "additional_mfa_used", "session_issuer_user_name");
