-- Routing of rules to channels, channel history, encrypted channel secrets.

-- A channel's rule list is the one record of which rules notify it (edited from the
-- channel page and from the rule editor). `all_rules`: every rule; otherwise only the
-- listed ones, possibly none (so removing a channel's last rule never means "every rule").
ALTER TABLE "notification_channels" ADD COLUMN "all_rules" BOOLEAN NOT NULL DEFAULT true;
UPDATE "notification_channels" SET "all_rules" = (cardinality("rule_ids") = 0);

-- Secrets are sealed (AES-256-GCM) one value each: {"signingSecret": "enc:v1:…"}.
-- Values written before this migration are plaintext: the notifier seals them when it
-- starts (lib/notify/channel-secrets.ts), and every read accepts both until then.

-- Every change to a channel: who, when, what, the channel before and after (without
-- secrets: only which are set). Kept when the channel is deleted.
CREATE TABLE "channel_history" (
    "id" BIGSERIAL NOT NULL,
    "channel_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "channel_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "channel_history_channel_id_at_idx" ON "channel_history"("channel_id", "at");
