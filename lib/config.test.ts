import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig, requireSetting } from "./config";

test("defaults: no DATABASE_URL means the embedded database; worker tuning has documented defaults", () => {
  const cfg = loadConfig({});
  assert.equal(cfg.DATABASE_URL, undefined);
  assert.equal(cfg.TRAILWATCH_WORKER_CONCURRENCY, 4);
  assert.equal(cfg.TRAILWATCH_SQS_WAIT_SECONDS, 20);
  assert.equal(cfg.TRAILWATCH_S3_FORCE_PATH_STYLE, false);
  assert.equal(cfg.PORT, 3000);
});

test("values are parsed to their types", () => {
  const cfg = loadConfig({
    DATABASE_URL: "postgresql://u@h:5432/db",
    TRAILWATCH_SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/111122223333/q",
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4566",
    TRAILWATCH_S3_FORCE_PATH_STYLE: "true",
    TRAILWATCH_WORKER_CONCURRENCY: "8",
  });
  assert.equal(cfg.TRAILWATCH_WORKER_CONCURRENCY, 8);
  assert.equal(cfg.TRAILWATCH_S3_FORCE_PATH_STYLE, true);
  assert.equal(cfg.AWS_ENDPOINT_URL_S3, "http://127.0.0.1:4566");
});

test("a bad value stops with one message naming every bad variable and what it expects", () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: "mysql://x", AWS_REGION: "Ireland", TRAILWATCH_WORKER_CONCURRENCY: "lots", TRAILWATCH_SQS_QUEUE_URL: "not a url" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /DATABASE_URL="mysql:\/\/x": expected a postgres:\/\//);
      assert.match(error.message, /AWS_REGION="Ireland": expected an AWS region such as us-east-1/);
      assert.match(error.message, /TRAILWATCH_WORKER_CONCURRENCY="lots": expected a whole number from 1 to 64/);
      assert.match(error.message, /TRAILWATCH_SQS_QUEUE_URL="not a url": expected the queue's URL/);
      return true;
    },
  );
});

test("a setting a process needs but lacks is named", () => {
  assert.throws(() => requireSetting(loadConfig({}), "TRAILWATCH_SQS_QUEUE_URL", "the SQS queue URL"), /TRAILWATCH_SQS_QUEUE_URL is not set: expected the SQS queue URL/);
});

test("operations settings: object size limit, heartbeat, freshness and retention per source", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.TRAILWATCH_MAX_OBJECT_BYTES, 2 * 1024 ** 3);
  assert.equal(defaults.TRAILWATCH_HEARTBEAT_SECONDS, 10);
  assert.equal(defaults.TRAILWATCH_FRESHNESS_QUIET_MINUTES, 60);
  assert.deepEqual([defaults.TRAILWATCH_RETENTION_DAYS, defaults.TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL, defaults.TRAILWATCH_RETENTION_DAYS_VPCFLOW], [0, undefined, undefined]);
  const set = loadConfig({ TRAILWATCH_MAX_OBJECT_BYTES: "1048576", TRAILWATCH_RETENTION_DAYS_VPCFLOW: "30", TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL: "" });
  assert.deepEqual([set.TRAILWATCH_MAX_OBJECT_BYTES, set.TRAILWATCH_RETENTION_DAYS_VPCFLOW, set.TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL], [1048576, 30, undefined]);
  assert.throws(() => loadConfig({ TRAILWATCH_MAX_OBJECT_BYTES: "10" }), /TRAILWATCH_MAX_OBJECT_BYTES="10": expected a whole number from 1024/);
  assert.throws(() => loadConfig({ TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL: "a year" }), /TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL="a year": expected a whole number from 0 to 36500/);
});
