import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createS3Client, createSqsClient } from "../../lib/aws/clients";
import { startLocalAws, type LocalAws } from "../../lib/aws/local-server";
import { s3ObjectCreatedNotification } from "../../lib/aws/s3-notification";
import { loadConfig, type Config } from "../../lib/config";
import { bareEtag } from "../../lib/ingest/open-s3-object";

/** A local SQS/S3 server with a bucket and a queue (plus DLQ), and real SDK clients pointed at it over HTTP. */
export interface TestAws {
  /** The in-process server (null when it runs in another process, see test/support/fauxqs-process.ts). */
  server: LocalAws | null;
  /** http://127.0.0.1:<port> */
  endpoint: string;
  config: Config;
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  queueUrl: string;
  dlqUrl: string;
  /** PutObject, then send the S3 event notification S3 would send (key URL-encoded). Returns the notification body. */
  putAndNotify(key: string, body: Buffer | string): Promise<string>;
  put(key: string, body: Buffer | string): Promise<string>;
  send(body: string): Promise<void>;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** The environment that points `trailwatch worker` at `databaseUrl` and a local SQS/S3 server's queue (path-style S3, local credentials). */
export function localWorkerEnv(databaseUrl: string, aws: { endpoint: string; queueUrl: string }): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    TRAILWATCH_SQS_QUEUE_URL: aws.queueUrl,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: aws.endpoint,
    TRAILWATCH_S3_FORCE_PATH_STYLE: "true",
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

export const TEST_BUCKET = "trailwatch-test-logs";
export const TEST_QUEUE = "trailwatch-test";

export async function startTestAws(options: { maxReceiveCount?: number } = {}): Promise<TestAws> {
  const server = await startLocalAws();
  server.createBucket(TEST_BUCKET);
  const { queueUrl, dlqUrl } = server.createQueueWithDlq(TEST_QUEUE, options.maxReceiveCount ?? 3);
  return testAwsAt({ server, endpoint: server.endpoint, bucket: TEST_BUCKET, queueUrl, dlqUrl, stopServer: () => server.stop() });
}

/** SDK clients and helpers for a bucket and queue already created on a local server at `endpoint`. */
export function testAwsAt(at: { server: LocalAws | null; endpoint: string; bucket: string; queueUrl: string; dlqUrl: string; stopServer: () => Promise<void> }): TestAws {
  const { server, endpoint, bucket, queueUrl, dlqUrl } = at;
  const config = loadConfig({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: endpoint, TRAILWATCH_S3_FORCE_PATH_STYLE: "true" });
  const s3 = createS3Client(config, LOCAL_CREDENTIALS);
  const sqs = createSqsClient(config, LOCAL_CREDENTIALS);
  const put = async (key: string, body: Buffer | string) => {
    const res = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return bareEtag(res.ETag) ?? "";
  };
  const send = async (body: string) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  };
  return {
    server, endpoint, config, s3, sqs, bucket, queueUrl, dlqUrl, put, send,
    async putAndNotify(key, body) {
      const etag = await put(key, body);
      const notification = s3ObjectCreatedNotification({ bucket, key, size: Buffer.byteLength(body), etag });
      await send(notification);
      return notification;
    },
    async stop() {
      s3.destroy();
      sqs.destroy();
      await at.stopServer();
    },
  };
}
