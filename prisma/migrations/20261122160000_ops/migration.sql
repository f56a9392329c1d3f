-- Operations: worker heartbeats (with the queue depths each worker samples), freshness of every
-- source (account × region × CloudTrail / VPC flow) and an index for ingest throughput per hour.

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "queue_url" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_beat_at" TIMESTAMPTZ(3) NOT NULL,
    "stopped_at" TIMESTAMPTZ(3),
    "messages_received" INTEGER NOT NULL DEFAULT 0,
    "messages_deleted" INTEGER NOT NULL DEFAULT 0,
    "messages_retried" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "in_flight" INTEGER NOT NULL DEFAULT 0,
    "queue_visible" INTEGER,
    "queue_in_flight" INTEGER,
    "dlq_url" TEXT,
    "dlq_visible" INTEGER,
    "queue_checked_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateTable
CREATE TABLE "source_freshness" (
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "first_object_at" TIMESTAMPTZ(3) NOT NULL,
    "last_object_at" TIMESTAMPTZ(3) NOT NULL,
    "last_data_at" TIMESTAMPTZ(3),
    "objects" INTEGER NOT NULL DEFAULT 0,
    "records" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "source_freshness_pkey" PRIMARY KEY ("account_id","region","source")
);

-- CreateIndex
CREATE INDEX "ingest_objects_finished_at_idx" ON "ingest_objects"("finished_at");
