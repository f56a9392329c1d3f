import { createReadStream, createWriteStream, mkdirSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { s3ObjectCreatedNotification } from "../../lib/aws/s3-notification";
import { bareEtag } from "../../lib/ingest/open-s3-object";
import type { BenchAws } from "./bench-env";
import { cloudTrailFileText, cloudTrailKey, DemoRandom, flowLogChunks, flowLogKey, syntheticCloudTrailRecord, type FlowLogFormat, type SyntheticWorld } from "./synthetic-logs";

/** A generated object on local disk, and the key it gets in the bench bucket. */
export interface BenchObject {
  kind: "cloudtrail" | "vpcflow";
  key: string;
  file: string;
  /** Records (CloudTrail events or flow-log lines, header excluded). */
  records: number;
  /** Bytes on disk (gzipped). */
  size: number;
  /** ETag after upload (set by `uploadObjects`). */
  etag?: string;
}

/** `files` gzipped CloudTrail files of `perFile` events each, spread over the 30 days before `endMs`. */
export function writeCloudTrailFiles(dir: string, world: SyntheticWorld, options: { files: number; perFile: number; endMs: number; seed: number }): BenchObject[] {
  mkdirSync(dir, { recursive: true });
  const rnd = new DemoRandom(options.seed);
  const objects: BenchObject[] = [];
  const spanMs = 30 * 86_400_000;
  for (let f = 0; f < options.files; f += 1) {
    const account = rnd.pick(world.accounts);
    const startMs = options.endMs - spanMs + Math.floor((f / options.files) * spanMs);
    const records = Array.from({ length: options.perFile }, (_, i) => syntheticCloudTrailRecord(rnd, world, startMs + i * 150, { recipientAccountId: account }));
    const key = cloudTrailKey(account, "us-east-1", startMs, `${f.toString(36)}${rnd.hex(12)}`);
    const file = path.join(dir, `ct-${f}.json.gz`);
    const body = gzipSync(cloudTrailFileText(records), { level: 6 });
    writeFileSync(file, body);
    objects.push({ kind: "cloudtrail", key, file, records: options.perFile, size: body.length });
  }
  return objects;
}

/** One gzipped flow-log file of `lines` records in `format` (streamed to disk: it may be gigabytes uncompressed). */
export async function writeFlowLogFile(file: string, world: SyntheticWorld, options: { format: FlowLogFormat; lines: number; startSec: number; seed: number; account: string }): Promise<{ size: number; uncompressed: number }> {
  mkdirSync(path.dirname(file), { recursive: true });
  const rnd = new DemoRandom(options.seed);
  let uncompressed = 0;
  const chunks = (function* () {
    for (const chunk of flowLogChunks(rnd, world, options.format, options.lines, options.startSec, options.account)) {
      uncompressed += Buffer.byteLength(chunk);
      yield chunk;
    }
  })();
  await pipeline(Readable.from(chunks), createGzip({ level: 1 }), createWriteStream(file));
  return { size: statSync(file).size, uncompressed };
}

/** `files` flow-log files of `perFile` lines, alternating the default v2 format and a v5 custom order. */
export async function writeFlowLogFiles(dir: string, world: SyntheticWorld, options: { files: number; perFile: number; endMs: number; seed: number }): Promise<BenchObject[]> {
  const objects: BenchObject[] = [];
  for (let f = 0; f < options.files; f += 1) {
    const account = world.accounts[f % world.accounts.length] ?? "111122223333";
    const startSec = Math.floor((options.endMs - 30 * 86_400_000) / 1000) + f * 600;
    const file = path.join(dir, `flow-${f}.log.gz`);
    const { size } = await writeFlowLogFile(file, world, { format: f % 2 === 0 ? "default-v2" : "custom-v5", lines: options.perFile, startSec, seed: options.seed + f, account });
    objects.push({ kind: "vpcflow", key: flowLogKey(account, "us-east-1", startSec * 1000, `${f.toString(36)}x${options.seed}`), file, records: options.perFile, size });
  }
  return objects;
}

/** Objects above this go up as a multipart upload streamed from disk (fauxqs takes bodies of at most 11 MiB per request). */
const MULTIPART_ABOVE = 8 * 1024 * 1024;

/** Uploads every object: PutObject from memory, or a multipart upload (8 MiB parts) streamed from disk. */
export async function uploadObjects(aws: BenchAws, objects: BenchObject[]): Promise<void> {
  let next = 0;
  const one = async () => {
    while (next < objects.length) {
      const object = objects[next++]!;
      if (object.size > MULTIPART_ABOVE) {
        const upload = new Upload({ client: aws.s3, params: { Bucket: aws.bucket, Key: object.key, Body: createReadStream(object.file) }, partSize: MULTIPART_ABOVE, queueSize: 2 });
        const res = await upload.done();
        object.etag = bareEtag(res.ETag) ?? "";
      } else {
        const res = await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: object.key, Body: await readFile(object.file) }));
        object.etag = bareEtag(res.ETag) ?? "";
      }
    }
  };
  await Promise.all([one(), one(), one(), one()]);
}

/** Sends the S3 event notification of each object (AWS's format, batches of 10). */
export async function notifyObjects(aws: BenchAws, objects: BenchObject[]): Promise<void> {
  for (let i = 0; i < objects.length; i += 10) {
    const batch = objects.slice(i, i + 10);
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: aws.queueUrl,
        Entries: batch.map((o, j) => ({ Id: String(j), MessageBody: s3ObjectCreatedNotification({ bucket: aws.bucket, key: o.key, size: o.size, etag: o.etag ?? "" }) })),
      }),
    );
  }
}
