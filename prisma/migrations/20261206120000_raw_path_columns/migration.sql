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
-- columns. Their rows are copied again from the events, as a refresh writes them (by slice and time): an UPDATE
-- would leave each row's old version behind until a vacuum, doubling the pages a month of sign-ins visits.
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
CREATE TEMP TABLE tw_slice_keys ON COMMIT DROP AS SELECT slice, recipient_account_id, event_id FROM cloudtrail_event_slices;
TRUNCATE cloudtrail_event_slices;
INSERT INTO cloudtrail_event_slices
SELECT k.slice, e.* FROM tw_slice_keys k JOIN cloudtrail_events e USING (recipient_account_id, event_id)
 ORDER BY k.slice, e.event_time;
ANALYZE cloudtrail_event_slices;
