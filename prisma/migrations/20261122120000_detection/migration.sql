-- Detection engine: alerts, the events behind them, their lifecycle, alarm
-- states of threshold rules, and the queue of ingested objects awaiting rules.

-- A text that may hold an IP address (CloudTrail sourceIPAddress also holds
-- service names such as "s3.amazonaws.com") as inet, or NULL. PARALLEL UNSAFE:
-- its exception handler is a subtransaction, which parallel workers cannot start.
CREATE FUNCTION "trailwatch_inet"(value TEXT) RETURNS INET
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE AS $$
BEGIN
  IF value IS NULL OR value !~ '^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$' THEN
    RETURN NULL;
  END IF;
  RETURN value::inet;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- A text that holds a decimal number as numeric, or NULL.
CREATE FUNCTION "trailwatch_numeric"(value TEXT) RETURNS NUMERIC
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN value ~ '^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?\s*$' THEN value::numeric END
$$;

-- CreateTable
CREATE TABLE "detection_queue" (
    "object_id" BIGINT NOT NULL,
    "enqueued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "detection_queue_pkey" PRIMARY KEY ("object_id")
);

-- CreateTable
CREATE TABLE "rule_overrides" (
    "rule_id" TEXT NOT NULL,
    "enabled" BOOLEAN,
    "allow" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "rule_overrides_pkey" PRIMARY KEY ("rule_id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "rule_title" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "techniques" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "source" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "group_values" JSONB NOT NULL,
    "account_id" TEXT,
    "state" TEXT NOT NULL DEFAULT 'open',
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "match_count" INTEGER NOT NULL DEFAULT 0,
    "reason" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_by" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolution_comment" TEXT,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "alert_id" BIGINT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "event_account" TEXT NOT NULL,
    "event_ref" TEXT NOT NULL,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("alert_id","event_account","event_ref")
);

-- CreateTable
CREATE TABLE "alert_history" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "comment" TEXT,

    CONSTRAINT "alert_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alarm_states" (
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "state_since" TIMESTAMPTZ(3) NOT NULL,
    "evaluated_until" TIMESTAMPTZ(3) NOT NULL,
    "last_value" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alarm_states_pkey" PRIMARY KEY ("rule_id","group_key")
);

-- CreateIndex
CREATE INDEX "cloudtrail_events_object_id_idx" ON "cloudtrail_events"("object_id");

-- CreateIndex
CREATE INDEX "alerts_rule_id_group_key_state_idx" ON "alerts"("rule_id", "group_key", "state");

-- CreateIndex
CREATE INDEX "alerts_state_last_seen_idx" ON "alerts"("state", "last_seen" DESC);

-- CreateIndex
CREATE INDEX "alerts_last_seen_idx" ON "alerts"("last_seen" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "alert_events_rule_id_event_account_event_ref_key" ON "alert_events"("rule_id", "event_account", "event_ref");

-- CreateIndex
CREATE INDEX "alert_history_alert_id_at_idx" ON "alert_history"("alert_id", "at");

-- AddForeignKey
ALTER TABLE "detection_queue" ADD CONSTRAINT "detection_queue_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "ingest_objects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_history" ADD CONSTRAINT "alert_history_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
