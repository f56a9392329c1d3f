import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, storeCloudTrail } from "../../test/support/ingest-fixture";
import { BURST_GAP_SECONDS, BURST_MINIMUM, failureBurstsByUser } from "./login-audit";

// groupBursts only sends the groups with at least the minimum's records in the range through its window functions
// (lib/reports/report-query.ts). These users sit at the edges of that: enough failures in all but none close enough
// together, exactly the minimum in one burst, one short of it.

let db: TestDatabase;
const scope = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z") };
const failure = (user: string, at: Date) =>
  cloudTrailEvent({
    eventTime: at.toISOString().replace(".000", ""),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    // A failed sign-in has no session: AWS leaves out the ARN.
    userIdentity: { type: "IAMUser", principalId: `AIDA${user.toUpperCase()}`, accountId: "111122223333", userName: user },
    sourceIPAddress: "175.16.199.45",
    responseElements: { ConsoleLogin: "Failure" },
    additionalEventData: { MFAUsed: "No" },
    errorMessage: "Failed authentication",
  });
/** `count` failures of `user` a minute apart from `start`. */
const run = (user: string, start: string, count: number) => Array.from({ length: count }, (_, i) => failure(user, new Date(Date.parse(start) + i * 60_000)));

before(async () => {
  db = await createTestDatabase("bursts");
  assert.equal(BURST_MINIMUM, 5, "the cases below are written for the rule's threshold of 5");
  const apart = new Date(Date.parse("2026-11-20T04:00:00Z") + 2 * BURST_GAP_SECONDS * 1000).toISOString();
  await storeCloudTrail(db.pool, [
    // carol: 3 failures, a pause longer than the gap, 3 more: 6 in the range, no burst.
    ...run("carol", "2026-11-20T04:00:00Z", 3),
    ...run("carol", apart, 3),
    // dave: exactly the minimum, in one burst.
    ...run("dave", "2026-11-20T06:00:00Z", BURST_MINIMUM),
    // erin: one short of it.
    ...run("erin", "2026-11-20T08:00:00Z", BURST_MINIMUM - 1),
  ]);
});
after(() => db.drop());

describe("failure bursts at the minimum", () => {
  it("keeps a burst of exactly the minimum, not one short of it, nor a group whose failures are far apart", async () => {
    const bursts = await failureBurstsByUser(scope, db.pool);
    assert.deepEqual(
      bursts.map((b) => [b.key.user, b.count, b.first.toISOString()]),
      [["dave", BURST_MINIMUM, "2026-11-20T06:00:00.000Z"]],
    );
  });
});
