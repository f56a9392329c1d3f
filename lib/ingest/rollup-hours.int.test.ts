import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, beforeEach, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { silentLog } from "../../test/support/samples";
import { SOURCE_TABLES } from "../detect/compile-rule";
import type { RecordSource } from "../reports/selection";
import { ingestObject, type ObjectOutcome } from "./ingest-object";

// The loader marks the UTC hours of the rows it loads for the report rollups from the rows as it encodes
// them (lib/ingest/load-rows.ts, TableSpec.rollup), instead of reading the stored rows back. The guarantee the
// rollups rest on: every hour that got a stored row is marked. Checked here against the stored rows themselves,
// through the real ingest path, in a session whose time zone is not UTC (India, +05:30, so an hour truncated in
// the session's zone would be off by half an hour), for objects spanning many hours over several batches, out
// of order and across midnight, and for objects delivered or processed again.

let db: TestDatabase;
let pool: pg.Pool;

before(async () => {
  db = await createTestDatabase("rollup_hours");
  pool = new pg.Pool({ connectionString: db.url, max: 4, options: "-c TimeZone=Asia/Kolkata" });
});
after(async () => {
  await pool?.end();
  await db?.drop();
});
// Each case looks only at the marks its own ingest made (no refresh runs here to take them).
beforeEach(async () => {
  await pool.query("DELETE FROM rollup_dirty_hours");
});

const HOUR = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString().slice(0, 13);

/** The hours marked for `source`, as "YYYY-MM-DDTHH" (UTC), sorted. */
async function marked(source: RecordSource): Promise<string[]> {
  const { rows } = await pool.query<{ h: string }>(
    `SELECT DISTINCT to_char(hour, 'YYYY-MM-DD"T"HH24') AS h FROM rollup_dirty_hours WHERE source = $1 ORDER BY 1`,
    [source],
  );
  return rows.map((r) => r.h);
}

/** The UTC hours of the rows stored under ledger object `objectId` (those it stored itself), read from the rows. */
async function storedHours(source: RecordSource, objectId: string, where = "true"): Promise<string[]> {
  const { table, time } = SOURCE_TABLES[source];
  const { rows } = await pool.query<{ h: string }>(
    `SELECT DISTINCT to_char(date_trunc('hour', ${time} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS h
       FROM ${table} WHERE object_id = $1 AND ${time} IS NOT NULL AND ${where} ORDER BY 1`,
    [objectId],
  );
  return rows.map((r) => r.h);
}

/** Ingests `text` as the object `key` (ETag: its MD5, so the same text under the same key is the same object). */
async function ingest(key: string, text: string): Promise<ObjectOutcome & { id: string }> {
  const body = Buffer.from(text, "utf8");
  const outcome = await ingestObject(
    { bucket: "test-bucket", key, etag: createHash("md5").update(body).digest("hex"), size: body.length, body: Readable.from([body]) },
    { pool, log: silentLog, batchRows: 1000, maxRecordBytes: 1024 * 1024, messageId: null },
  );
  const { rows } = await pool.query<{ id: string }>("SELECT id::text FROM ingest_objects WHERE bucket = 'test-bucket' AND key = $1", [key]);
  return { ...outcome, id: rows[0]!.id };
}

const includes = (all: readonly string[], some: readonly string[]) => some.every((h) => all.includes(h));

// 21:30 UTC on 2026-11-19: the flow object's records span 21:30 to 03:30, across midnight.
const FLOW_START = Date.UTC(2026, 10, 19, 21, 30) / 1000;
const FLOW_KEY = "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/19/111122223333_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261119T2130Z_hours.log";

/** 2,500 records (three batches of 1,000) whose starts jump back and forth over six hours; every 97th has no start (`-`). */
function flowText(): { text: string; hours: string[] } {
  const hours = new Set<string>();
  const lines = ["version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"];
  for (let i = 0; i < 2500; i++) {
    const start = FLOW_START + ((i * 7919) % (6 * 3600));
    if (i % 97 === 0) {
      lines.push(`2 111122223333 eni-0a1b2c3d - - - - - - - - - - NODATA`);
      continue;
    }
    hours.add(HOUR(start * 1000));
    lines.push(`2 111122223333 eni-0a1b2c3d 10.0.0.${i % 250} 203.0.113.9 ${40000 + i} 443 6 ${1 + (i % 9)} ${100 * i} ${start} ${start + 30} ACCEPT OK`);
  }
  return { text: `${lines.join("\n")}\n`, hours: [...hours].sort() };
}

function event(id: string, ms: number): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventID: id,
    eventTime: new Date(ms).toISOString().replace(".000Z", "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    eventType: "AwsApiCall",
    recipientAccountId: "111122223333",
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/u", accountId: "111122223333", userName: "u" },
  };
}
const CT_START = Date.UTC(2026, 10, 20, 6, 5);
const ctKey = (name: string) => `AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T0605Z_${name}.json`;
const ctFile = (events: readonly Record<string, unknown>[]) => JSON.stringify({ Records: events });
// 40 events 17 minutes apart: 06:05 to 17:08, twelve hours.
const EVENTS = Array.from({ length: 40 }, (_, i) => event(`hours-${i}`, CT_START + i * 17 * 60_000));

describe("rollup hours marked by the loader", () => {
  it("are exactly the hours of a new flow-log object's stored rows: six hours across midnight, out of order, over three batches", async () => {
    const { text, hours } = flowText();
    const outcome = await ingest(FLOW_KEY, text);
    assert.equal(outcome.status, "done");
    assert.equal(outcome.stored, 2500);
    assert.equal(hours.length, 7, "the records' starts fall in 7 UTC hours, 21:00 to 03:00");
    assert.deepEqual(await storedHours("vpcflow", outcome.id), hours);
    assert.deepEqual(await marked("vpcflow"), hours);
    assert.deepEqual(await marked("cloudtrail"), []);
  });

  it("are exactly the hours of a new CloudTrail object's stored rows", async () => {
    const outcome = await ingest(ctKey("first"), ctFile(EVENTS));
    assert.equal(outcome.stored, 40);
    const hours = await storedHours("cloudtrail", outcome.id);
    assert.equal(hours.length, 12);
    assert.deepEqual(await marked("cloudtrail"), hours);
    assert.deepEqual(await marked("vpcflow"), []);
  });

  it("cover the rows a redelivered CloudTrail file stores among duplicates, and only hours of its own rows", async () => {
    // Events 10-19 again (stored before, 08:55 to 11:28), one new event at 09:40 among them and two in new hours.
    const events = [...EVENTS.slice(10, 20), event("hours-new-1", CT_START + 3.5 * 3_600_000), event("hours-new-2", CT_START + 14 * 3_600_000), event("hours-new-3", CT_START + 20 * 3_600_000)];
    const outcome = await ingest(ctKey("again"), ctFile(events));
    assert.deepEqual([outcome.stored, outcome.duplicate], [3, 10]);
    // The duplicates stay under the first object: the rows under this one are the three it stored.
    const stored = await storedHours("cloudtrail", outcome.id);
    assert.equal(stored.length, 3);
    const marks = await marked("cloudtrail");
    assert.ok(includes(marks, stored), `every hour with a stored row is marked: ${stored} in ${marks}`);
    const fileHours = [...new Set(events.map((e) => HOUR(Date.parse(String(e.eventTime)))))].sort();
    assert.ok(includes(fileHours, marks), `only the file's own hours are marked: ${marks} in ${fileHours}`);
  });

  it("are not marked again for an object delivered again, which the ledger skips", async () => {
    const outcome = await ingest(ctKey("first"), ctFile(EVENTS));
    assert.equal(outcome.status, "already");
    assert.deepEqual(await marked("cloudtrail"), []);
  });

  it("cover the rows a reprocessed flow-log object stores again after some of its rows were deleted", async () => {
    const { id } = await pool.query<{ id: string }>("SELECT id::text FROM ingest_objects WHERE key = $1", [FLOW_KEY]).then((r) => r.rows[0]!);
    // What a reprocess request does to the ledger entry (lib/ops/ops-requests.ts) before the object is read again.
    const reopen = () => pool.query("UPDATE ingest_objects SET status = 'failed', reason = 'reprocess requested' WHERE id = $1", [id]);
    const { text, hours } = flowText();

    await reopen();
    const unchanged = await ingest(FLOW_KEY, text);
    assert.deepEqual([unchanged.status, unchanged.stored], ["done", 0]);
    assert.deepEqual(await marked("vpcflow"), [], "nothing stored, nothing to refresh");

    // Rows of the hours before midnight go (as retention would delete them; the delete trigger marks them).
    const before = "start < '2026-11-20T00:00Z'";
    const deletedHours = await storedHours("vpcflow", id, before);
    assert.equal(deletedHours.length, 3);
    await pool.query(`DELETE FROM flow_records WHERE object_id = $1 AND ${before}`, [id]);
    await pool.query("DELETE FROM rollup_dirty_hours");

    await reopen();
    const outcome = await ingest(FLOW_KEY, text);
    assert.equal(outcome.status, "done");
    assert.ok(outcome.stored > 0 && outcome.duplicate > 0, "some rows stored again, the rest duplicates");
    assert.deepEqual(await storedHours("vpcflow", id, before), deletedHours, "the deleted rows are back");
    const marks = await marked("vpcflow");
    assert.ok(includes(marks, deletedHours), `every hour with a stored row is marked: ${deletedHours} in ${marks}`);
    assert.ok(includes(hours, marks), `only the object's own hours are marked: ${marks} in ${hours}`);
  });
});
