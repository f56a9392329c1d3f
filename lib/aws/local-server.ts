import { startFauxqs } from "fauxqs";

export interface LocalAws {
  /** http://127.0.0.1:<port>: serves SQS and S3 (path-style) on one port. */
  endpoint: string;
  /** Creates a queue whose redrive policy moves a message to `<name>-dlq` after `maxReceiveCount` receives. */
  createQueueWithDlq(name: string, maxReceiveCount: number): { queueUrl: string; dlqUrl: string };
  createBucket(name: string): void;
  stop(): Promise<void>;
}

/**
 * Starts an SQS + S3-compatible server in-process (fauxqs 1.9, which runs on
 * Node 20) on 127.0.0.1, reached through the real AWS SDK over HTTP. It does
 * not emit bucket notifications: callers send them (see s3-notification.ts).
 * `port` 0 picks a free port.
 */
export async function startLocalAws(options: { port?: number; region?: string } = {}): Promise<LocalAws> {
  const region = options.region ?? "us-east-1";
  const server = await startFauxqs({ port: options.port ?? 0, host: "127.0.0.1", logger: false, defaultRegion: region });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    createQueueWithDlq(name, maxReceiveCount) {
      const dlq = server.createQueue(`${name}-dlq`, { region });
      const queue = server.createQueue(name, {
        region,
        attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount }) },
      });
      return { queueUrl: queue.queueUrl, dlqUrl: dlq.queueUrl };
    },
    createBucket(name) {
      server.createBucket(name);
    },
    stop: () => server.stop(),
  };
}
