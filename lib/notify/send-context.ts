import type { StaticCredentials } from "../aws/clients";
import type { Config } from "../config";

/** What a sender needs besides the channel and the message. */
export interface SendContext {
  /** The process configuration (endpoint overrides for SNS). */
  config: Config;
  /** How long one send may take, ms. */
  timeoutMs: number;
  /** Identifies this delivery to the receiver (webhook header); absent for test sends. */
  deliveryId?: string;
  /** Fixed AWS credentials, for local servers only; real AWS uses the SDK's default provider chain. */
  awsCredentials?: StaticCredentials;
}
