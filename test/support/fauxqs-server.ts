// A local SQS/S3 server in its own process, so a test can kill it and start it
// again on the same port: `node --import tsx test/support/fauxqs-server.ts <port> <bucket> <queue> <maxReceiveCount>`.
// Prints one JSON line `{endpoint, queueUrl, dlqUrl}` once the bucket and queue exist.
import { startLocalAws } from "../../lib/aws/local-server";

const [port, bucket, queue, maxReceiveCount] = process.argv.slice(2);
const server = await startLocalAws({ port: Number(port) });
server.createBucket(bucket!);
const { queueUrl, dlqUrl } = server.createQueueWithDlq(queue!, Number(maxReceiveCount));
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, queueUrl, dlqUrl })}\n`);
process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
