import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailKey, ingestCloudTrail } from "../search/testdata/ingest-fixtures";
import { refreshRollups } from "./rollups";

// Every report panel refreshes the rollups before it reads (lib/reports/report-query.ts). While a long refresh holds
// the refresh locks (the worker's backfill), a page's panels must share one waiting connection instead of taking
// the whole pool, and each must still see the hours marked before its call.

/** The advisory lock of the flow leader boards' refresh (migration 20261206180000_flow_leaders). */
const FLOW_LEADERS_LOCK = 72707372;
const APP = "tw-rollup-refresh-test";

let db: TestDatabase;

function event(id: string, time: string): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventID: id,
    eventTime: time,
    eventSource: "iam.amazonaws.com",
    eventName: "ListUsers",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.7",
    eventType: "AwsApiCall",
    recipientAccountId: "111122223333",
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333", userName: "alice" },
  };
}

/** The events the `errors` rollup holds for one UTC hour ("2026-11-18 03:00"). */
async function rolledUp(hour: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>("SELECT coalesce(sum(records), 0)::int AS n FROM cloudtrail_rollup WHERE rollup = 'errors' AND grain = 'hour' AND bucket = $1", [hour]);
  return rows[0]!.n;
}

describe("refreshRollups", () => {
  before(async () => {
    db = await createTestDatabase("rollup_refresh");
  });
  after(async () => {
    await db?.drop();
  });

  it("shares one waiting connection among concurrent callers, and rolls up every hour marked before each call", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 4, application_name: APP });
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    const lockWaiters = async () =>
      (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [APP])).rows[0]!.n;
    try {
      // The first refresh takes the hour marked so far, rolls it up, then waits for the boards' lock.
      await blocker.query("BEGIN");
      await blocker.query("SELECT pg_advisory_xact_lock($1)", [FLOW_LEADERS_LOCK]);
      await ingestCloudTrail(db.pool, [event("first", "2026-11-18T03:10:00Z")], cloudTrailKey("111122223333", "us-east-1"));
      const first = refreshRollups(pool);
      for (let i = 0; i < 200 && (await lockWaiters()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(await lockWaiters(), 1, "the first refresh waits for the boards' lock");
      assert.equal(await rolledUp("2026-11-18 03:00"), 1, "the first refresh took its hour");

      // An hour marked now is not the first refresh's: the callers from here on must wait for another one.
      await ingestCloudTrail(db.pool, [event("second", "2026-11-18T05:10:00Z")], cloudTrailKey("111122223333", "eu-west-1"));
      const later = Array.from({ length: 8 }, () => refreshRollups(pool));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await lockWaiters(), 1, "eight more callers add no connection waiting for the lock");
      assert.ok(pool.totalCount <= 1, `the pool opened ${pool.totalCount} connections for the waiting refreshes`);

      await blocker.query("COMMIT");
      await Promise.all([first, ...later]);
      assert.equal(await rolledUp("2026-11-18 05:00"), 1, "the hour marked after the first refresh began is rolled up when the later callers resume");
      assert.equal((await db.pool.query("SELECT count(*)::int AS n FROM rollup_dirty_hours")).rows[0].n, 0);
    } finally {
      await blocker.end();
      await pool.end();
    }
  });

  it("passes a failed refresh's error to each caller sharing it, and the next call refreshes again", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: APP });
    try {
      await db.pool.query("ALTER FUNCTION trailwatch_refresh_rollups() RENAME TO trailwatch_refresh_rollups_away");
      const calls = [refreshRollups(pool), refreshRollups(pool), refreshRollups(pool)];
      for (const call of calls) await assert.rejects(call, /trailwatch_refresh_rollups\(\) does not exist/);
      await db.pool.query("ALTER FUNCTION trailwatch_refresh_rollups_away() RENAME TO trailwatch_refresh_rollups");
      await ingestCloudTrail(db.pool, [event("third", "2026-11-18T07:10:00Z")], cloudTrailKey("111122223333", "ap-south-1"));
      await refreshRollups(pool);
      assert.equal(await rolledUp("2026-11-18 07:00"), 1, "a call after the failure runs a refresh of its own");
    } finally {
      await pool.end();
    }
  });
});
