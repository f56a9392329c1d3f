import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { PrismaClient } from "../db/generated/client";
import {
  clampLimit,
  DEFAULT_LIMIT,
  ingestStatusReport,
  ledgerSummary,
  MAX_LIMIT,
  messageLog,
  objectsNeedingAttention,
  recentObjects,
  recentRejections,
} from "./ingest-status";

// Integration test on a real Postgres: a fresh, migrated database, known ledger rows written with SQL
// (as the worker writes them), read back through the Prisma client.

let db: TestDatabase;
let client: PrismaClient;

const t = (iso: string) => new Date(iso);
/** The instant the "stalled" rule is judged against. */
const NOW = t("2026-11-20T11:00:00.000Z");
const HOSTILE_KEY = `AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/<img src=x onerror="window.__xss=1">.json.gz`;

interface ObjectFixture {
  bucket: string;
  key: string;
  kind: string;
  status: string;
  size?: number | null;
  stored?: number;
  duplicate?: number;
  rejected?: number;
  reason?: string | null;
  attempts?: number;
  messageId?: string | null;
  firstSeen: string;
  started: string | null;
  finished: string | null;
  durationMs?: number | null;
}

// Inserted in this order, so ledger ids are 1..12.
const objects: ObjectFixture[] = [
  /* 1 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/a.json.gz", kind: "cloudtrail", status: "done", size: 1234, stored: 10, duplicate: 2, messageId: "m-1", firstSeen: "2026-11-20T10:00:00.000Z", started: "2026-11-20T10:00:00.000Z", finished: "2026-11-20T10:00:01.500Z", durationMs: 1500 },
  /* 2 */ { bucket: "flows", key: "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/f.log.gz", kind: "vpcflow", status: "done", size: 9_000_000_000, stored: 100, rejected: 3, messageId: "m-2", firstSeen: "2026-11-20T10:05:00.000Z", started: "2026-11-20T10:05:00.000Z", finished: "2026-11-20T10:05:02.000Z", durationMs: 2000 },
  /* 3 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/b.json.gz", kind: "cloudtrail", status: "failed", reason: "AccessDenied: s3:GetObject denied", attempts: 3, messageId: "m-3", firstSeen: "2026-11-20T09:00:00.000Z", started: "2026-11-20T10:10:00.000Z", finished: "2026-11-20T10:10:05.000Z", durationMs: 5000 },
  /* 4 */ { bucket: "trail", key: HOSTILE_KEY, kind: "cloudtrail", status: "rejected", reason: 'CloudTrailFormatError: no "Records" array', messageId: "m-4", firstSeen: "2026-11-20T10:20:00.000Z", started: "2026-11-20T10:20:00.000Z", finished: "2026-11-20T10:20:01.000Z", durationMs: 1000 },
  /* 5 */ { bucket: "trail", key: "AWSLogs/111122223333/", kind: "unknown", status: "skipped", reason: 'key "AWSLogs/111122223333/" ends with "/": a folder placeholder, not a log file', firstSeen: "2026-11-20T10:30:00.000Z", started: "2026-11-20T10:30:00.000Z", finished: "2026-11-20T10:30:00.010Z", durationMs: 10 },
  /* 6 */ { bucket: "flows", key: "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/p.parquet", kind: "vpcflow", status: "unsupported", reason: "Parquet flow logs are not supported yet", firstSeen: "2026-11-20T10:40:00.000Z", started: "2026-11-20T10:40:00.000Z", finished: "2026-11-20T10:40:00.020Z", durationMs: 20 },
  // A retry of an earlier failure that has run for 10 minutes and 1 ms: stalled. Its finished_at is the failed attempt's.
  /* 7 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/c.json.gz", kind: "cloudtrail", status: "processing", attempts: 2, firstSeen: "2026-11-20T10:30:00.000Z", started: "2026-11-20T10:49:59.999Z", finished: "2026-11-20T10:59:30.000Z", durationMs: 300 },
  // Processing for exactly 10 minutes: not yet stalled.
  /* 8 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/d.json.gz", kind: "cloudtrail", status: "processing", firstSeen: "2026-11-20T10:50:00.000Z", started: "2026-11-20T10:50:00.000Z", finished: null, durationMs: null },
  /* 9 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/20/x.json.gz", kind: "cloudtrail-digest", status: "done", firstSeen: "2026-11-20T10:58:00.000Z", started: "2026-11-20T10:58:00.000Z", finished: "2026-11-20T10:59:00.000Z", durationMs: 60_000 },
  /* 10 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/20/i.json.gz", kind: "cloudtrail-insight", status: "done", stored: 4, rejected: 1, firstSeen: "2026-11-20T10:57:00.000Z", started: "2026-11-20T10:57:00.000Z", finished: "2026-11-20T10:57:00.500Z", durationMs: 500 },
  // Values this code does not know (a newer worker could write them) are kept, not dropped.
  /* 11 */ { bucket: "other", key: "inventory/manifest.json", kind: "s3-inventory", status: "archived", firstSeen: "2026-11-20T08:00:00.000Z", started: null, finished: null, durationMs: null },
  // Never started, first seen 10 minutes and 1 ms ago: stalled too.
  /* 12 */ { bucket: "trail", key: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/e.json.gz", kind: "cloudtrail", status: "processing", size: null, firstSeen: "2026-11-20T10:49:59.999Z", started: null, finished: null, durationMs: null },
];

// [object id, position, reason, excerpt]; ids 1..4 in this order.
const rejections: [number, number, string, string][] = [
  [2, 7, 'line 7: dstport "http" is not a port number', "2 111122223333 eni-1 10.0.0.1 10.0.0.2 443 http 6 1 40 1 2 ACCEPT OK"],
  [2, 2, "line 2: 13 fields where the header has 14", "2 111122223333 eni-1 10.0.0.1"],
  [2, 9, "line 9: start is not a Unix time", "2 111122223333 eni-1 - - - - - - - soon later ACCEPT OK"],
  [10, 0, "Records[0]: eventTime is missing", `{"eventID":"<script>alert(1)</script>"}`],
];

// [message_id, first_seen_at, last_seen_at, outcome, shape, reason, body_excerpt, receive_count]
const messages: [string, string, string, string, string, string, string, number][] = [
  ["msg-rejected", "2026-11-20T10:00:00.000Z", "2026-11-20T10:30:00.000Z", "rejected", "not-json", "the body is not JSON", "<b>hello</b>", 4],
  ["msg-test", "2026-11-20T09:00:00.000Z", "2026-11-20T09:00:00.000Z", "test", "s3-test-event", "s3:TestEvent for bucket trail", `{"Service":"Amazon S3","Event":"s3:TestEvent"}`, 1],
  ["msg-ignored", "2026-11-20T10:45:00.000Z", "2026-11-20T10:45:00.000Z", "ignored", "s3-notification", "ObjectRemoved:Delete: nothing to ingest", `{"Records":[{"eventName":"ObjectRemoved:Delete"}]}`, 1],
];

before(async () => {
  db = await createTestDatabase("ingest_status");
  for (const o of objects) {
    await db.pool.query(
      `INSERT INTO ingest_objects (bucket, key, etag, size, kind, status, records_stored, records_duplicate, records_rejected,
                                   reason, attempts, message_id, first_seen_at, started_at, finished_at, duration_ms)
       VALUES ($1, $2, 'etag', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [o.bucket, o.key, o.size ?? null, o.kind, o.status, o.stored ?? 0, o.duplicate ?? 0, o.rejected ?? 0, o.reason ?? null,
       o.attempts ?? 1, o.messageId ?? null, o.firstSeen, o.started, o.finished, o.durationMs ?? null],
    );
  }
  for (const [objectId, position, reason, excerpt] of rejections) {
    await db.pool.query("INSERT INTO ingest_rejections (object_id, position, reason, excerpt) VALUES ($1, $2, $3, $4)", [objectId, position, reason, excerpt]);
  }
  for (const m of messages) {
    await db.pool.query(
      `INSERT INTO message_log (message_id, first_seen_at, last_seen_at, outcome, shape, reason, body_excerpt, receive_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      m,
    );
  }
  client = new PrismaClient({ adapter: new PrismaPg(db.pool) });
});

after(async () => {
  await client?.$disconnect();
  await db?.drop();
});

/** The plain row the report should return for fixture `n` (1-based ledger id). */
function row(n: number) {
  const o = objects[n - 1]!;
  return {
    id: String(n),
    bucket: o.bucket,
    key: o.key,
    etag: "etag",
    size: o.size ?? null,
    kind: o.kind,
    status: o.status,
    recordsStored: o.stored ?? 0,
    recordsDuplicate: o.duplicate ?? 0,
    recordsRejected: o.rejected ?? 0,
    reason: o.reason ?? null,
    attempts: o.attempts ?? 1,
    messageId: o.messageId ?? null,
    firstSeenAt: t(o.firstSeen),
    startedAt: o.started === null ? null : t(o.started),
    finishedAt: o.finished === null ? null : t(o.finished),
    durationMs: o.durationMs ?? null,
  };
}

describe("ledgerSummary", () => {
  it("counts objects by status and kind, sums records, and finds the last finish and the last failure", async () => {
    assert.deepEqual(await ledgerSummary(client), {
      objects: 12,
      byStatus: { done: 4, processing: 3, failed: 1, rejected: 1, skipped: 1, unsupported: 1, archived: 1 },
      byKind: { cloudtrail: 6, "cloudtrail-digest": 1, "cloudtrail-insight": 1, vpcflow: 2, unknown: 1, "s3-inventory": 1 },
      records: { stored: 114, duplicate: 2, rejected: 4 },
      // Not object 7's 10:59:30: that is the finish of an earlier attempt of an object now processing again.
      lastFinishedAt: t("2026-11-20T10:59:00.000Z"),
      lastDoneAt: t("2026-11-20T10:59:00.000Z"),
      lastFailure: { at: t("2026-11-20T10:20:01.000Z"), bucket: "trail", key: HOSTILE_KEY, status: "rejected", reason: 'CloudTrailFormatError: no "Records" array' },
    });
  });
});

describe("objectsNeedingAttention", () => {
  it("lists failed, rejected, unsupported, skipped, stalled and partly refused objects, latest attempt first", async () => {
    const rows = await objectsNeedingAttention({ now: NOW }, client);
    assert.deepEqual(rows, [
      { ...row(10), attention: "records-rejected" },
      { ...row(7), attention: "stalled" },
      { ...row(6), attention: "unsupported" },
      { ...row(5), attention: "skipped" },
      { ...row(4), attention: "rejected" },
      { ...row(3), attention: "failed" },
      { ...row(2), attention: "records-rejected" },
      // Never started: sorted after every started attempt.
      { ...row(12), attention: "stalled" },
    ]);
    assert.equal(rows[6]!.size, 9_000_000_000); // a bigint size beyond 2^32 arrives as an exact number
  });

  it("judges stalling against `now` and honours the limit", async () => {
    const later = await objectsNeedingAttention({ now: t("2026-11-20T11:00:00.001Z"), limit: 3 }, client);
    // At 11:00:00.001 object 8 has run for 10 minutes and 1 ms as well.
    assert.deepEqual(later.map((r) => [r.id, r.attention]), [["10", "records-rejected"], ["8", "stalled"], ["7", "stalled"]]);
    const early = await objectsNeedingAttention({ now: t("2026-11-20T10:00:00.000Z") }, client);
    assert.equal(early.filter((r) => r.attention === "stalled").length, 0);
  });
});

describe("recentRejections", () => {
  it("returns the newest refused records with their object, in file order within an object", async () => {
    const trail = { bucket: "trail", kind: "cloudtrail-insight", status: "done", finishedAt: t("2026-11-20T10:57:00.500Z") };
    const flows = { bucket: "flows", kind: "vpcflow", status: "done", finishedAt: t("2026-11-20T10:05:02.000Z") };
    assert.deepEqual(await recentRejections({}, client), [
      { id: "4", position: 0, reason: rejections[3]![2], excerpt: rejections[3]![3], object: { id: "10", key: objects[9]!.key, ...trail } },
      { id: "2", position: 2, reason: rejections[1]![2], excerpt: rejections[1]![3], object: { id: "2", key: objects[1]!.key, ...flows } },
      { id: "1", position: 7, reason: rejections[0]![2], excerpt: rejections[0]![3], object: { id: "2", key: objects[1]!.key, ...flows } },
      { id: "3", position: 9, reason: rejections[2]![2], excerpt: rejections[2]![3], object: { id: "2", key: objects[1]!.key, ...flows } },
    ]);
  });

  it("takes the newest rows before ordering them", async () => {
    assert.deepEqual((await recentRejections({ limit: 2 }, client)).map((r) => [r.object.id, r.position]), [["10", 0], ["2", 9]]);
  });
});

describe("messageLog", () => {
  it("lists messages by last receipt, newest first, exactly as stored", async () => {
    assert.deepEqual(await messageLog({}, client), [
      { id: "3", messageId: "msg-ignored", outcome: "ignored", shape: "s3-notification", reason: messages[2]![5], bodyExcerpt: messages[2]![6], receiveCount: 1, firstSeenAt: t("2026-11-20T10:45:00.000Z"), lastSeenAt: t("2026-11-20T10:45:00.000Z") },
      { id: "1", messageId: "msg-rejected", outcome: "rejected", shape: "not-json", reason: "the body is not JSON", bodyExcerpt: "<b>hello</b>", receiveCount: 4, firstSeenAt: t("2026-11-20T10:00:00.000Z"), lastSeenAt: t("2026-11-20T10:30:00.000Z") },
      { id: "2", messageId: "msg-test", outcome: "test", shape: "s3-test-event", reason: messages[1]![5], bodyExcerpt: messages[1]![6], receiveCount: 1, firstSeenAt: t("2026-11-20T09:00:00.000Z"), lastSeenAt: t("2026-11-20T09:00:00.000Z") },
    ]);
  });

  it("filters by outcome, limits, and refuses an unknown outcome", async () => {
    assert.deepEqual((await messageLog({ outcome: "rejected" }, client)).map((m) => m.messageId), ["msg-rejected"]);
    assert.deepEqual((await messageLog({ limit: 1 }, client)).map((m) => m.messageId), ["msg-ignored"]);
    await assert.rejects(messageLog({ outcome: "bogus' OR 1=1" as never }, client), RangeError);
  });
});

describe("recentObjects", () => {
  it("returns the last objects the ledger saw, any status, newest first", async () => {
    assert.deepEqual(await recentObjects({ limit: 3 }, client), [row(12), row(11), row(10)]);
    assert.equal((await recentObjects({}, client)).length, 12);
  });
});

describe("ingestStatusReport", () => {
  it("is every panel at once", async () => {
    const report = await ingestStatusReport({ limit: 2, outcome: "test", now: NOW }, client);
    assert.deepEqual(report, {
      summary: await ledgerSummary(client),
      needsAttention: await objectsNeedingAttention({ limit: 2, now: NOW }, client),
      refusedRecords: await recentRejections({ limit: 2 }, client),
      messageLog: await messageLog({ limit: 2, outcome: "test" }, client),
      recentObjects: await recentObjects({ limit: 2 }, client),
    });
    assert.deepEqual(report.messageLog.map((m) => m.messageId), ["msg-test"]);
  });
});

describe("clampLimit", () => {
  it("defaults, truncates and clamps", () => {
    assert.equal(clampLimit(undefined), DEFAULT_LIMIT);
    assert.equal(clampLimit(Number.NaN), DEFAULT_LIMIT);
    assert.equal(clampLimit(0), 1);
    assert.equal(clampLimit(2.7), 2);
    assert.equal(clampLimit(1e9), MAX_LIMIT);
  });
});

describe("an empty ledger", () => {
  it("gives zeros and nulls, not errors", async () => {
    const empty = await createTestDatabase("ingest_status_empty");
    const c = new PrismaClient({ adapter: new PrismaPg(empty.pool) });
    try {
      assert.deepEqual(await ledgerSummary(c), {
        objects: 0,
        byStatus: { done: 0, processing: 0, failed: 0, rejected: 0, skipped: 0, unsupported: 0 },
        byKind: { cloudtrail: 0, "cloudtrail-digest": 0, "cloudtrail-insight": 0, vpcflow: 0, unknown: 0 },
        records: { stored: 0, duplicate: 0, rejected: 0 },
        lastFinishedAt: null,
        lastDoneAt: null,
        lastFailure: null,
      });
      assert.deepEqual(await objectsNeedingAttention({}, c), []);
      assert.deepEqual(await recentRejections({}, c), []);
      assert.deepEqual(await messageLog({}, c), []);
      assert.deepEqual(await recentObjects({}, c), []);
    } finally {
      await c.$disconnect();
      await empty.drop();
    }
  });
});
