import { z } from "zod";

/**
 * Every environment variable Trailwatch reads, validated once.
 * Nothing else in the code base reads `process.env`; processes that start
 * other processes pass them `childEnv(...)`.
 * A bad value throws `ConfigError`, whose message names the variable and what it expects.
 */

/** An optional variable: unset or empty means absent; otherwise it must match `pattern`. */
const optionalMatching = (pattern: RegExp, expected: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(z.string().regex(pattern, { message: `expected ${expected}` }).optional());

const optionalUrl = (what: string) => optionalMatching(/^https?:\/\/[^\s/]+(\/\S*)?$/, what);

const boolFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const int = (min: number, max: number, fallback: number) => {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message }).default(fallback);
};

/** Default of TRAILWATCH_MAX_OBJECT_BYTES: 2 GiB of decompressed content per object. */
export const DEFAULT_MAX_OBJECT_BYTES = 2 * 1024 * 1024 * 1024;

/** An optional whole number: unset or empty means absent. */
const optionalInt = (min: number, max: number) => {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message }).optional());
};

export const configSchema = z.object({
  /** Postgres connection string. Absent: the embedded PostgreSQL under TRAILWATCH_DATA_DIR is used. */
  DATABASE_URL: optionalMatching(/^postgres(ql)?:\/\//, "a postgres:// or postgresql:// connection string"),
  /** Folder for the embedded PostgreSQL's data and other local state; reused across runs. */
  TRAILWATCH_DATA_DIR: z.string().trim().min(1).default(".trailwatch"),
  /** Port of the embedded PostgreSQL (used only when DATABASE_URL is unset). */
  TRAILWATCH_EMBEDDED_PG_PORT: int(1024, 65535, 54329),
  /**
   * The SQS queue that receives S3 event notifications (required by the worker).
   * Checked by shape, not parsed as a URL: the SDK only passes it back to SQS, and local servers hand out
   * URLs such as http://sqs.us-east-1.127.0.0.1:4566/… that WHATWG URL parsing refuses.
   */
  TRAILWATCH_SQS_QUEUE_URL: optionalMatching(/^https?:\/\/[^\s/]+\/\S+$/, "the queue's URL, e.g. https://sqs.us-east-1.amazonaws.com/111122223333/trailwatch"),
  AWS_REGION: optionalMatching(/^[a-z]{2}(-[a-z]+)+-\d+$/, "an AWS region such as us-east-1"),
  /** The AWS SDK's standard endpoint overrides, for local SQS/S3-compatible servers. */
  AWS_ENDPOINT_URL: optionalUrl("an http(s) URL of an AWS-compatible endpoint"),
  AWS_ENDPOINT_URL_SQS: optionalUrl("an http(s) URL of an SQS-compatible endpoint"),
  AWS_ENDPOINT_URL_S3: optionalUrl("an http(s) URL of an S3-compatible endpoint"),
  AWS_ENDPOINT_URL_SNS: optionalUrl("an http(s) URL of an SNS-compatible endpoint"),
  /** Address S3 buckets by path (`http://host/bucket/key`), as local S3 servers need. */
  TRAILWATCH_S3_FORCE_PATH_STYLE: boolFlag,
  /** Messages the worker processes at once. */
  TRAILWATCH_WORKER_CONCURRENCY: int(1, 64, 4),
  /** SQS long-poll wait, seconds (20 is the SQS maximum). */
  TRAILWATCH_SQS_WAIT_SECONDS: int(0, 20, 20),
  /**
   * Visibility timeout (seconds) asked for each received message; the worker extends it every third of it
   * while it works, so it bounds how late a crashed worker's message reappears, not how long an object may take.
   */
  TRAILWATCH_SQS_VISIBILITY_SECONDS: int(3, 43200, 120),
  /** Rows staged per COPY batch before they are merged into the event tables. */
  TRAILWATCH_COPY_BATCH_ROWS: int(100, 1_000_000, 10_000),
  /** A single CloudTrail record larger than this (bytes) is rejected, not loaded. */
  TRAILWATCH_MAX_RECORD_BYTES: int(1024, 64 * 1024 * 1024, 1024 * 1024),
  /**
   * Largest decompressed content of one object, in bytes (default 2 GiB; AWS's own files stay far below:
   * flow-log files are cut at 75 MB compressed). Counted while streaming, so a gzip bomb is refused after
   * reading this much and never held in memory; the object is recorded as `rejected` with the reason.
   */
  TRAILWATCH_MAX_OBJECT_BYTES: int(1024, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_OBJECT_BYTES),
  /** Seconds between two heartbeats of a worker (its row in worker_heartbeats); a worker is reported silent after 30 s without one. */
  TRAILWATCH_HEARTBEAT_SECONDS: int(1, 10, 10),
  /**
   * Minutes after which a source (account × region × CloudTrail / VPC flow) that delivered before and
   * has delivered nothing since is reported INSUFFICIENT_DATA on the health page. CloudTrail delivers
   * about every 5 minutes while there is activity, flow logs every 1 or 10 minutes.
   */
  TRAILWATCH_FRESHNESS_QUIET_MINUTES: int(5, 7 * 24 * 60, 60),
  /** Days of events kept, for every source without its own setting below; 0 keeps everything (the default). */
  TRAILWATCH_RETENTION_DAYS: int(0, 36_500, 0),
  /** Days of CloudTrail events kept (by eventTime); unset: TRAILWATCH_RETENTION_DAYS. */
  TRAILWATCH_RETENTION_DAYS_CLOUDTRAIL: optionalInt(0, 36_500),
  /** Days of VPC flow records kept (by start); unset: TRAILWATCH_RETENTION_DAYS. */
  TRAILWATCH_RETENTION_DAYS_VPCFLOW: optionalInt(0, 36_500),
  /** Address the web app listens on (0.0.0.0 in containers). */
  TRAILWATCH_WEB_HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** The web app's address as people reach it: notifications link to alerts under it. */
  TRAILWATCH_PUBLIC_URL: z.string().trim().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: "expected an http(s) URL such as https://trailwatch.example.com" }).default("http://localhost:3000"),
  /** Seconds one notification send may take before it counts as failed (and is retried). */
  TRAILWATCH_NOTIFY_TIMEOUT_SECONDS: int(1, 120, 10),
  /**
   * The installation's secret (at least 32 characters): keys for sessions and for secrets stored in Postgres
   * are derived from it (lib/app-secret.ts). Unset: generated once into `<TRAILWATCH_DATA_DIR>/secret` and
   * reused, which suits one box; set it explicitly when the web app and the worker run on different hosts.
   */
  TRAILWATCH_SECRET: optionalMatching(/^\S{32,}$/, "at least 32 characters without spaces, e.g. the output of `openssl rand -hex 32`"),
  /** Hours a sign-in lasts without use; every use within it extends it (at most once an hour). */
  TRAILWATCH_SESSION_MAX_AGE_HOURS: int(1, 24 * 30, 12),
  /** Failed sign-ins in a row after which an account is locked for TRAILWATCH_LOGIN_LOCKOUT_MINUTES. */
  TRAILWATCH_LOGIN_MAX_FAILURES: int(1, 100, 5),
  /** Minutes an account stays locked after TRAILWATCH_LOGIN_MAX_FAILURES failed sign-ins. */
  TRAILWATCH_LOGIN_LOCKOUT_MINUTES: int(1, 24 * 60, 15),
  /** Sign-in attempts one address may make per minute, whatever the account. */
  TRAILWATCH_LOGIN_RATE_PER_MINUTE: int(1, 1000, 10),
  /** Benchmarks only (`npm run bench`): the Postgres server on which they create and drop their `tw_bench_*` databases. */
  TRAILWATCH_BENCH_ADMIN_URL: optionalMatching(/^postgres(ql)?:\/\//, "a postgres:// or postgresql:// connection string").default("postgresql://postgres@127.0.0.1:5432/postgres"),
  /** HTTP port of the web app. */
  PORT: int(1, 65535, 3000),
  /** `info` prints one JSON line per object; `debug` adds per-message detail. */
  TRAILWATCH_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment. Throws `ConfigError` naming every bad variable and what it expects. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    const value = env[name];
    return `${name}=${JSON.stringify(value ?? "")}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
}

let cached: Config | undefined;
/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Throws `ConfigError` when a variable the calling process needs is missing. */
export function requireSetting<K extends keyof Config>(cfg: Config, name: K, what: string): NonNullable<Config[K]> {
  const value = cfg[name];
  if (value === undefined || value === null) throw new ConfigError(`Invalid configuration:\n  ${String(name)} is not set: expected ${what}`);
  return value as NonNullable<Config[K]>;
}

/** The environment for a child process: this one's, with overrides applied. */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
