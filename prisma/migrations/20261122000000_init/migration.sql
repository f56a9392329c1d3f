-- CreateTable
CREATE TABLE "cloudtrail_events" (
    "recipient_account_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "event_version" TEXT,
    "event_name" TEXT,
    "event_source" TEXT,
    "aws_region" TEXT,
    "source_ip_address" TEXT,
    "user_agent" TEXT,
    "user_identity_type" TEXT,
    "user_identity_arn" TEXT,
    "user_identity_principal_id" TEXT,
    "user_identity_account_id" TEXT,
    "user_identity_user_name" TEXT,
    "user_identity_access_key_id" TEXT,
    "user_identity_invoked_by" TEXT,
    "session_issuer_type" TEXT,
    "session_issuer_arn" TEXT,
    "session_issuer_user_name" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "read_only" BOOLEAN,
    "event_type" TEXT,
    "event_category" TEXT,
    "management_event" BOOLEAN,
    "request_id" TEXT,
    "shared_event_id" TEXT,
    "vpc_endpoint_id" TEXT,
    "raw" JSONB NOT NULL,
    "object_id" BIGINT,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cloudtrail_events_pkey" PRIMARY KEY ("recipient_account_id","event_id")
);

-- CreateTable
CREATE TABLE "flow_records" (
    "object_id" BIGINT NOT NULL,
    "line_number" INTEGER NOT NULL,
    "version" INTEGER,
    "account_id" TEXT,
    "interface_id" TEXT,
    "srcaddr" INET,
    "dstaddr" INET,
    "srcport" INTEGER,
    "dstport" INTEGER,
    "protocol" INTEGER,
    "packets" BIGINT,
    "bytes" BIGINT,
    "start" TIMESTAMPTZ(0),
    "end" TIMESTAMPTZ(0),
    "action" TEXT,
    "log_status" TEXT,
    "vpc_id" TEXT,
    "subnet_id" TEXT,
    "instance_id" TEXT,
    "tcp_flags" INTEGER,
    "type" TEXT,
    "pkt_srcaddr" INET,
    "pkt_dstaddr" INET,
    "region" TEXT,
    "az_id" TEXT,
    "sublocation_type" TEXT,
    "sublocation_id" TEXT,
    "pkt_src_aws_service" TEXT,
    "pkt_dst_aws_service" TEXT,
    "flow_direction" TEXT,
    "traffic_path" INTEGER,
    "ecs_cluster_arn" TEXT,
    "ecs_cluster_name" TEXT,
    "ecs_container_instance_arn" TEXT,
    "ecs_container_instance_id" TEXT,
    "ecs_container_id" TEXT,
    "ecs_second_container_id" TEXT,
    "ecs_service_name" TEXT,
    "ecs_task_definition_arn" TEXT,
    "ecs_task_arn" TEXT,
    "ecs_task_id" TEXT,
    "reject_reason" TEXT,
    "extra" JSONB,

    CONSTRAINT "flow_records_pkey" PRIMARY KEY ("object_id","line_number")
);

-- CreateTable
CREATE TABLE "ingest_objects" (
    "id" BIGSERIAL NOT NULL,
    "bucket" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "size" BIGINT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "records_stored" INTEGER NOT NULL DEFAULT 0,
    "records_duplicate" INTEGER NOT NULL DEFAULT 0,
    "records_rejected" INTEGER NOT NULL DEFAULT 0,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "message_id" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,

    CONSTRAINT "ingest_objects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_rejections" (
    "id" BIGSERIAL NOT NULL,
    "object_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,

    CONSTRAINT "ingest_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_log" (
    "id" BIGSERIAL NOT NULL,
    "message_id" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "shape" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "body_excerpt" TEXT NOT NULL,
    "receive_count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "message_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cloudtrail_events_event_time_idx" ON "cloudtrail_events"("event_time" DESC);

-- CreateIndex
CREATE INDEX "cloudtrail_events_event_name_event_time_idx" ON "cloudtrail_events"("event_name", "event_time");

-- CreateIndex
CREATE INDEX "cloudtrail_events_user_identity_arn_event_time_idx" ON "cloudtrail_events"("user_identity_arn", "event_time");

-- CreateIndex
CREATE INDEX "cloudtrail_events_source_ip_address_event_time_idx" ON "cloudtrail_events"("source_ip_address", "event_time");

-- CreateIndex
CREATE INDEX "flow_records_start_idx" ON "flow_records"("start" DESC);

-- CreateIndex
CREATE INDEX "ingest_objects_status_first_seen_at_idx" ON "ingest_objects"("status", "first_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_objects_bucket_key_etag_key" ON "ingest_objects"("bucket", "key", "etag");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_rejections_object_id_position_key" ON "ingest_rejections"("object_id", "position");

-- CreateIndex
CREATE INDEX "message_log_outcome_last_seen_at_idx" ON "message_log"("outcome", "last_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "message_log_message_id_key" ON "message_log"("message_id");

-- AddForeignKey
ALTER TABLE "flow_records" ADD CONSTRAINT "flow_records_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "ingest_objects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_rejections" ADD CONSTRAINT "ingest_rejections_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "ingest_objects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
