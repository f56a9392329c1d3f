import { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "../config";

/** Fixed credentials, for local servers only (real AWS uses the default provider chain). */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * AWS SDK clients built from the validated configuration. Credentials come from
 * the SDK's default provider chain (environment, shared config, SSO, IMDS, …);
 * endpoints are overridden only when `AWS_ENDPOINT_URL[_SQS|_S3]` is set
 * (local SQS/S3-compatible servers).
 */
export function createSqsClient(cfg: Config, credentials?: StaticCredentials): SQSClient {
  const endpoint = cfg.AWS_ENDPOINT_URL_SQS ?? cfg.AWS_ENDPOINT_URL;
  return new SQSClient({ region: cfg.AWS_REGION, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) });
}

export function createS3Client(cfg: Config, credentials?: StaticCredentials): S3Client {
  const endpoint = cfg.AWS_ENDPOINT_URL_S3 ?? cfg.AWS_ENDPOINT_URL;
  return new S3Client({
    region: cfg.AWS_REGION,
    forcePathStyle: cfg.TRAILWATCH_S3_FORCE_PATH_STYLE,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

/**
 * An SNS client for `region` (notification channels publish to topics in their own region).
 * The SDK's SNS module is imported on first use: only SNS channels need it, and the worker that
 * imports this file for S3 and SQS should not hold it otherwise.
 */
export async function createSnsClient(cfg: Config, region: string, credentials?: StaticCredentials): Promise<SNSClient> {
  const { SNSClient } = await import("@aws-sdk/client-sns");
  const endpoint = cfg.AWS_ENDPOINT_URL_SNS ?? cfg.AWS_ENDPOINT_URL;
  return new SNSClient({ region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) });
}
