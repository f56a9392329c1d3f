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

-- Operator requests made from the UI (admin actions), carried out by a running worker, which has
-- the AWS access the web app lacks: reprocess one ledger object, replay the DLQ into the queue.
-- CreateTable
CREATE TABLE "ops_requests" (
    "id" BIGSERIAL NOT NULL,
    "action" TEXT NOT NULL,
    "object_id" BIGINT,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "result" TEXT,
    "error" TEXT,

    CONSTRAINT "ops_requests_pkey" PRIMARY KEY ("id")
);

-- One open request per object and per action: asking twice is asking once.
CREATE UNIQUE INDEX "ops_requests_open_key" ON "ops_requests"("action", COALESCE("object_id", 0)) WHERE "finished_at" IS NULL;

-- CreateIndex
CREATE INDEX "ops_requests_requested_at_idx" ON "ops_requests"("requested_at" DESC);

-- AddForeignKey
ALTER TABLE "ops_requests" ADD CONSTRAINT "ops_requests_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "ingest_objects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Retention runs: what the scheduled retention job deleted, per source (shown on the health page).
-- CreateTable
CREATE TABLE "retention_runs" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "retention_days" INTEGER NOT NULL,
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "rows_deleted" BIGINT NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "retention_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "retention_runs_source_finished_at_idx" ON "retention_runs"("source", "finished_at" DESC);
