-- Event search and single-event drill-down.

-- "Same access key" pivots: events of one access key id over time.
CREATE INDEX "cloudtrail_events_user_identity_access_key_id_event_time_idx" ON "cloudtrail_events"("user_identity_access_key_id", "event_time");

-- The STS call (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity, GetSessionToken,
-- GetFederationToken) that issued a session's temporary access key, found by that key when an
-- event of the session is opened. Expression index: Prisma's schema has no syntax for it.
CREATE INDEX "cloudtrail_events_sts_issued_key_idx" ON "cloudtrail_events"(("raw" #>> '{responseElements,credentials,accessKeyId}'))
  WHERE "event_source" = 'sts.amazonaws.com';
