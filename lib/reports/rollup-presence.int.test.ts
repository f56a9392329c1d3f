import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { cloudTrailKey, ingestCloudTrail } from "../search/testdata/ingest-fixtures";
import { iamKpis } from "./iam-audit";
import { measureCounts } from "./report-query";

// A distinct count alone reads the rollup rows holding a record in its range (lib/reports/rollups.ts
// rollupPresence), decided by their first and last record times. This trail is sparse on purpose: each principal
// and address calls a few times a month, so a row's bucket often holds records on one side of a range's edge only,
// or on both sides and none inside, which is where a wrong grain or a wrong bound counts a key that is not there.
// A third of the calls change IAM (a third of those refused, which changes nothing): the IAM audit's distinct
// principals changing IAM read the `changers` rollup the same way.

let db: TestDatabase;
/** Nearly the whole month, off any hour at both ends. */
const MONTH = { from: new Date("2026-09-01T05:41:13Z"), to: new Date("2026-09-30T19:07:55Z") };
const IAM_CHANGES_SQL = "event_source = 'iam.amazonaws.com' AND read_only IS NOT TRUE AND error_code IS NULL";
const ACCOUNTS = ["111122223333", "444455556666"];
const START = Date.UTC(2026, 8, 1); // 2026-09-01, a Tuesday
const DAYS = 30;
const MINUTE = 60_000;

/** A deterministic pseudo-random sequence (a linear congruential generator), so a failure can be replayed. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const random = sequence(20260906);
const pick = (n: number) => Math.floor(random() * n);

// Every 5th event lands on a whole hour, some of them on midnight: ranges starting there take that bucket from its start.
const TIMES = Array.from({ length: 600 }, (_, n) => {
  const minutes = pick(DAYS * 1440);
  return n % 5 === 0 ? START + Math.floor(minutes / 60) * 60 * MINUTE : START + minutes * MINUTE + pick(60) * 1000;
});

const EVENTS = TIMES.map((time, n) => {
  const account = ACCOUNTS[n % 2]!;
  const user = `u${pick(50)}`;
  const call = n % 3 === 0
    ? { eventSource: "iam.amazonaws.com", eventName: "CreateUser", readOnly: false, ...(n % 9 === 0 ? { errorCode: "AccessDenied" } : {}) }
    : { eventSource: "s3.amazonaws.com", eventName: "ListBuckets", readOnly: true };
  return {
    eventVersion: "1.09",
    eventID: `presence-${n}`,
    eventTime: new Date(time).toISOString().replace(".000Z", "Z"),
    ...call,
    awsRegion: "us-east-1",
    sourceIPAddress: `203.0.113.${pick(120)}`,
    eventType: "AwsApiCall",
    recipientAccountId: account,
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, userName: user },
  };
});

/**
 * Ranges of the lengths where each grain is chosen or must be refused: a few hours, a day, several days inside one
 * week (week rows would cover less than twice the range but cannot tell), a month. Half of them start and end on
 * stored event times, so a record exactly at `from` (counted) and exactly at `to` (not counted) are checked.
 */
const LENGTHS_MIN = [25, 90, 13 * 60, 14 * 60, 20 * 60, 1440, 3 * 1440, 4 * 1440, 5 * 1440, 6 * 1440, 10 * 1440, 29 * 1440];
const RANGES = LENGTHS_MIN.flatMap((length) =>
  [0, 1, 2, 3].map((i) => {
    if (i % 2 === 0) {
      const from = START + pick((DAYS * 1440 - length) * 60) * 1000;
      return { from: new Date(from), to: new Date(from + length * MINUTE) };
    }
    const starts = TIMES.filter((t) => t + length * MINUTE < START + DAYS * 86_400_000);
    const from = starts[pick(starts.length)]!;
    const to = TIMES.filter((t) => t > from && t <= from + length * MINUTE).at(-1) ?? from + length * MINUTE;
    return { from: new Date(from), to: new Date(to) };
  }),
);

before(async () => {
  db = await createTestDatabase("rollup_presence");
  for (let i = 0; i < EVENTS.length; i += 150) await ingestCloudTrail(db.pool, EVENTS.slice(i, i + 150), cloudTrailKey(ACCOUNTS[0]!, "us-east-1"));
});
after(() => db.drop());

/** Plain SQL's count of distinct `column` over the range (and account), of the events matching `where`. */
async function rawDistinct(column: string, range: { from: Date; to: Date }, account?: string, where = "true"): Promise<number> {
  const { rows } = await db.pool.query(
    `SELECT count(DISTINCT ${column})::int AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND ($3::text IS NULL OR recipient_account_id = $3) AND ${where}`,
    [range.from, range.to, account ?? null],
  );
  return rows[0].n;
}

describe("distinct counts from the rollup rows holding a record in the range", () => {
  it("equal the raw rows' distinct principals, addresses and principals changing IAM over ranges of every length", async () => {
    for (const [i, range] of RANGES.entries()) {
      const account = i % 3 === 0 ? ACCOUNTS[1] : undefined;
      const scope = { ...range, ...(account ? { account } : {}) };
      const label = `${range.from.toISOString()} – ${range.to.toISOString()}${account ? ` in ${account}` : ""}`;
      const { principals } = await measureCounts(db.pool, { source: "cloudtrail", scope, measures: { principals: { kind: "distinct", field: "userIdentity.arn" } } });
      assert.equal(principals.value, await rawDistinct("user_identity_arn", range, account), `principals ${label}`);
      const { ips } = await measureCounts(db.pool, { source: "cloudtrail", scope, measures: { ips: { kind: "distinct", field: "sourceIPAddress" } } });
      assert.equal(ips.value, await rawDistinct("source_ip_address", range, account), `source addresses ${label}`);
      const { kpis } = await iamKpis(scope, db.pool);
      assert.equal(kpis.changers, await rawDistinct("user_identity_arn", range, account, IAM_CHANGES_SQL), `principals changing IAM ${label}`);
    }
  });

  it("read no raw rows: a month is the week rows of its principals", async () => {
    const plans: string[] = [];
    const { principals } = await measureCounts(explaining(db.pool, plans), {
      source: "cloudtrail",
      scope: MONTH,
      measures: { principals: { kind: "distinct", field: "userIdentity.arn" } },
    });
    assert.equal(principals.value, await rawDistinct("user_identity_arn", MONTH));
    assert.equal(plans.length, 1);
    assert.ok(plans[0]!.includes('"cloudtrail_rollup_principals"'), "the principals rollup is read");
    assert.ok(!plans[0]!.includes('"cloudtrail_events"'), "no raw event is read");
  });

  it("count a month's principals changing IAM from the week rows of the changers rollup, not the slice", async () => {
    const plans: string[] = [];
    const { kpis } = await iamKpis(MONTH, explaining(db.pool, plans));
    assert.equal(kpis.changers, await rawDistinct("user_identity_arn", MONTH, undefined, IAM_CHANGES_SQL));
    assert.ok(kpis.changers > 0 && kpis.changers < (await rawDistinct("user_identity_arn", MONTH)), "some principals only read");
    const changers = plans.filter((p) => p.includes('"cloudtrail_rollup_changers"'));
    assert.equal(changers.length, 1, "the changers rollup is read");
    assert.ok(!/cloudtrail_events|cloudtrail_event_slices/.test(changers[0]!), "alone: no raw event or slice row");
  });
});
