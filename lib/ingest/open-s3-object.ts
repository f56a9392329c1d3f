import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import type { OpenedObject } from "./ingest-object";
import type { ObjectRef } from "./types";

/** S3 ETags arrive quoted in responses and bare in notifications; the ledger keeps them bare. */
export function bareEtag(etag: string | undefined | null): string | null {
  return etag ? etag.replace(/^"|"$/g, "") : null;
}


/**
 * Starts an S3 GetObject for an announced object (the exact version when the
 * notification names one) and returns its body as a stream, identified by the
 * ETag S3 returns. Throws the SDK's error (e.g. `NoSuchKey`, `AccessDenied`).
 */
export async function openS3Object(s3: S3Client, ref: ObjectRef, signal?: AbortSignal): Promise<OpenedObject> {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}) }),
    { abortSignal: signal },
  );
  const etag = bareEtag(response.ETag) ?? bareEtag(ref.etag) ?? "";
  return {
    bucket: ref.bucket,
    key: ref.key,
    etag,
    size: response.ContentLength ?? ref.size,
    body: response.Body as Readable,
  };
}
