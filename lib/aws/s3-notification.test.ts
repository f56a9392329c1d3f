import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeMessage } from "../ingest/decode-message";
import { encodeS3Key, s3ObjectCreatedNotification } from "./s3-notification";

test("keys are encoded the way S3 encodes them in notifications", () => {
  assert.equal(
    encodeS3Key("AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/x.log.parquet"),
    "AWSLogs/aws-account-id%3D111111111111/aws-service%3Dvpcflowlogs/x.log.parquet",
  );
  assert.equal(encodeS3Key("my file+1.json.gz"), "my+file%2B1.json.gz");
  assert.equal(encodeS3Key("ünï/c"), "%C3%BCn%C3%AF/c");
});

test("what the demo sends decodes back to the exact object", () => {
  const key = "logs/a b+c=d/ü%.json.gz";
  const decoded = decodeMessage(s3ObjectCreatedNotification({ bucket: "b", key, size: 42, etag: "abc" }));
  assert.equal(decoded.type, "objects");
  assert.deepEqual(decoded.type === "objects" && decoded.objects.map((o) => [o.bucket, o.key, o.size, o.etag]), [["b", key, 42, "abc"]]);
});
