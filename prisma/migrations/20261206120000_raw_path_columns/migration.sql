-- JSON paths of the raw record that reports read over many rows, as generated columns (issue 9). Evaluating a
-- JSON path costs a few microseconds a row: a month of sign-ins at 10M events (50k rows, five paths each) took
-- 0.7 s, the S3 and AssumeRole panels tens of seconds. Postgres now evaluates each path once, at insert.
-- Each column holds what the rule engine reads as the path's value (lib/detect/compile-rule.ts `textSql`): the
-- first value the lax path reaches, as text. lib/detect/fields.ts lists them (`RAW_PATH_COLUMNS`).
ALTER TABLE "cloudtrail_events"
  ADD COLUMN "response_console_login" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."responseElements"."ConsoleLogin"[*]') #>> '{}') STORED,
  ADD COLUMN "additional_mfa_used" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."additionalEventData"."MFAUsed"[*]') #>> '{}') STORED,
  ADD COLUMN "request_user_name" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."requestParameters"."userName"[*]') #>> '{}') STORED,
  ADD COLUMN "request_policy_arn" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."requestParameters"."policyArn"[*]') #>> '{}') STORED,
  ADD COLUMN "request_role_arn" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."requestParameters"."roleArn"[*]') #>> '{}') STORED,
  ADD COLUMN "request_role_session_name" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."requestParameters"."roleSessionName"[*]') #>> '{}') STORED,
  ADD COLUMN "request_source_identity" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."requestParameters"."sourceIdentity"[*]') #>> '{}') STORED,
  ADD COLUMN "request_bucket_name" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."requestParameters"."bucketName"[*]') #>> '{}') STORED,
  ADD COLUMN "additional_bytes_transferred_out" TEXT GENERATED ALWAYS AS (jsonb_path_query_first(raw, 'lax $."additionalEventData"."bytesTransferredOut"[*]') #>> '{}') STORED;

-- The slices copy whole rows (`SELECT slice, e.*`), so they get the same columns, in the same order, as plain
-- columns filled from the events' (the refresh copies them).
ALTER TABLE "cloudtrail_event_slices"
  ADD COLUMN "response_console_login" TEXT,
  ADD COLUMN "additional_mfa_used" TEXT,
  ADD COLUMN "request_user_name" TEXT,
  ADD COLUMN "request_policy_arn" TEXT,
  ADD COLUMN "request_role_arn" TEXT,
  ADD COLUMN "request_role_session_name" TEXT,
  ADD COLUMN "request_source_identity" TEXT,
  ADD COLUMN "request_bucket_name" TEXT,
  ADD COLUMN "additional_bytes_transferred_out" TEXT;
UPDATE "cloudtrail_event_slices" s
   SET response_console_login = e.response_console_login, additional_mfa_used = e.additional_mfa_used,
       request_user_name = e.request_user_name, request_policy_arn = e.request_policy_arn, request_role_arn = e.request_role_arn,
       request_role_session_name = e.request_role_session_name, request_source_identity = e.request_source_identity,
       request_bucket_name = e.request_bucket_name, additional_bytes_transferred_out = e.additional_bytes_transferred_out
  FROM "cloudtrail_events" e
 WHERE e.recipient_account_id = s.recipient_account_id AND e.event_id = s.event_id;
