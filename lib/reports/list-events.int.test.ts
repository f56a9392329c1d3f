import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, storeCloudTrail } from "../../test/support/ingest-fixture";
import { networkChanges } from "./network";
import { listEvents } from "./report-query";
import type { Selection } from "./selection";

// listEvents lists the newest events of several event names from each name's newest (one lateral subquery per
// name over the event-name index) instead of sorting every event of the names in the range. These compare both
// ways of reading with plain SQL over events that tie on time, fall outside the range, come from another service
// or account, or have other names.

let db: TestDatabase;
const A = "111122223333";
const B = "444455556666";
const scope = { from: new Date("2026-11-20T02:00:00Z"), to: new Date("2026-11-20T20:00:00Z") };
const SG_NAMES = ["AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "CreateSecurityGroup"];

before(async () => {
  db = await createTestDatabase("list_events");
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 0, minute)).toISOString().replace(".000", "");
  const events = (account: string) =>
    Array.from({ length: 240 }, (_, i) =>
      cloudTrailEvent({
        // Every third event shares its time with the one before: ties are ordered by eventID.
        eventTime: at(i * 5 - (i % 3 === 2 ? 5 : 0)),
        eventSource: i % 11 === 0 ? "vpc-lattice.amazonaws.com" : "ec2.amazonaws.com",
        eventName: i % 7 === 0 ? "DescribeInstances" : SG_NAMES[i % SG_NAMES.length],
        userIdentity: iamUser(`u${i % 4}`, account),
        recipientAccountId: account,
      }),
    );
  await storeCloudTrail(db.pool, events(A), A);
  await storeCloudTrail(db.pool, events(B), B);
});
after(() => db.drop());

/** The newest `limit` events of the names from ec2.amazonaws.com in the scope (of one account), as eventIDs. */
async function newestByPlainSql(names: readonly string[], limit: number, account?: string): Promise<string[]> {
  const { rows } = await db.pool.query(
    `SELECT event_id FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND event_source = 'ec2.amazonaws.com' AND event_name = ANY($3)
        AND ($4::text IS NULL OR recipient_account_id = $4)
      ORDER BY event_time DESC, event_id LIMIT $5`,
    [scope.from, scope.to, names, account ?? null, limit],
  );
  return rows.map((r) => r.event_id as string);
}

describe("listEvents, newest first over several event names", () => {
  it("lists the newest events of the names, ties by eventID, as one sort of them all would", async () => {
    const base: Selection = { include: { eventSource: "ec2.amazonaws.com", eventName: SG_NAMES } };
    for (const limit of [1, 7, 25, 500]) {
      for (const account of [undefined, B]) {
        const rows = await listEvents(db.pool, { scope: { ...scope, account }, base, limit });
        const expected = await newestByPlainSql(SG_NAMES, limit, account);
        assert.ok(expected.length > 0);
        assert.deepEqual(rows.map((r) => r.eventId), expected, `limit ${limit}${account ? `, account ${account}` : ""}`);
        assert.ok(rows.every((r) => r.eventSource === "ec2.amazonaws.com" && SG_NAMES.includes(r.eventName!) && (!account || r.account === account)));
      }
    }
  });

  it("reads each name's newest from the event-name index, and one name or a pattern as before", async () => {
    const texts: string[] = [];
    const recording = { query: (text: string, values?: unknown[]) => (texts.push(text), db.pool.query(text, values)) };
    const select = async (eventName: string | string[]) => {
      texts.length = 0;
      const rows = await listEvents(recording, { scope, base: { include: { eventSource: "ec2.amazonaws.com", eventName } }, limit: 10 });
      return { rows: rows.map((r) => r.eventId), perName: texts.some((t) => t.includes("CROSS JOIN LATERAL")) };
    };
    assert.deepEqual(await select(SG_NAMES), { rows: await newestByPlainSql(SG_NAMES, 10), perName: true });
    assert.deepEqual(await select("CreateSecurityGroup"), { rows: await newestByPlainSql(["CreateSecurityGroup"], 10), perName: false });
    // A pattern among the names is not a name to seek: the whole selection is read as one.
    const { rows, perName } = await select(["CreateSecurityGroup", "Revoke*"]);
    assert.equal(perName, false);
    assert.deepEqual(rows, await newestByPlainSql(["CreateSecurityGroup", "RevokeSecurityGroupIngress"], 10));
  });

  it("gives the network report's newest changes as plain SQL does", async () => {
    const { recent } = await networkChanges({ ...scope, limit: 12 }, db.pool);
    assert.deepEqual(recent.map((r) => r.eventId), await newestByPlainSql(SG_NAMES, 12));
  });
});
