-- Rules in the UI and notifications: user rules, edits of built-in rules,
-- every rule change with before / after, notification channels, the alert
-- notification outbox, deliveries per alert and channel, and mutes.

-- A user-written rule, stored whole (validated by ruleSchema before it is stored).
CREATE TABLE "user_rules" (
    "id" TEXT NOT NULL,
    "rule" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "user_rules_pkey" PRIMARY KEY ("id")
);

-- Edits of a built-in rule beyond enabled / allow-list: top-level rule members replaced
-- (severity, aggregation, dedupMinutes, match, …). Reset deletes the override row.
ALTER TABLE "rule_overrides" ADD COLUMN "changes" JSONB NOT NULL DEFAULT '{}';

-- Every change to a rule: who, when, what, the rule before and after (null when absent).
CREATE TABLE "rule_history" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "rule_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rule_history_rule_id_at_idx" ON "rule_history"("rule_id", "at");

-- Where notifications go. `config` may be shown; `secrets` never leaves the server.
CREATE TABLE "notification_channels" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secrets" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "min_severity" TEXT NOT NULL DEFAULT 'info',
    "rule_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "events" TEXT[] NOT NULL DEFAULT ARRAY['opened', 'reopened']::TEXT[],
    "renotify_minutes" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_channels_name_key" ON "notification_channels"("name");

-- Alert lifecycle events awaiting routing to channels: written in the transaction that
-- changes the alert, routed after it commits. `channel_id` set: only that channel (re-notify).
CREATE TABLE "notification_outbox" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "event" TEXT NOT NULL,
    "channel_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "routed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_outbox_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_outbox_pending_idx" ON "notification_outbox"("id") WHERE "routed_at" IS NULL;

-- One notification of one alert event to one channel: pending → sent, or retrying with
-- backoff → failed (with the reason); muted when a mute covered it.
CREATE TABLE "notification_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "outbox_id" BIGINT NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "channel_id" BIGINT NOT NULL,
    "event" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_deliveries_outbox_id_channel_id_key" ON "notification_deliveries"("outbox_id", "channel_id");
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries"("next_attempt_at") WHERE "status" IN ('pending', 'retrying');
CREATE INDEX "notification_deliveries_alert_id_idx" ON "notification_deliveries"("alert_id");
CREATE INDEX "notification_deliveries_channel_id_created_at_idx" ON "notification_deliveries"("channel_id", "created_at" DESC);

-- No notifications for a rule (group_key null) or one of its groups until `until`.
CREATE TABLE "notification_mutes" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "notification_mutes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_mutes_rule_id_until_idx" ON "notification_mutes"("rule_id", "until");

ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_outbox_id_fkey" FOREIGN KEY ("outbox_id") REFERENCES "notification_outbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;
