import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, withDatabaseBefore, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { enforceRetention } from "../ops/enforce-retention";
import { cloudTrailKey, ingestCloudTrail } from "../search/testdata/ingest-fixtures";
import { firstSeenIps } from "./login-audit";
import type { ReportScope } from "./report-filters";
import { refreshRollups } from "./rollups";
import { FIRST_SEEN_LOOKBACK_DAYS, refreshSignInSightings } from "./sign-in-sightings";

// The first-seen addresses (login-audit.ts firstSeenIps) read the sign-in sightings (sign-in-sightings.ts) over a
// range of at most the lookback without a region, and group the slice's sign-ins otherwise. Both must give the
// answer of plain SQL over the raw events, after late data (an earlier sign-in arriving after later ones) and after
// retention, at the lookback's exact boundary, and for keys that are missing.

let db: TestDatabase;
const A = "111122223333";
const B = "444455556666";
const DAY_MS = 86_400_000;
const LOOKBACK_MS = FIRST_SEEN_LOOKBACK_DAYS * DAY_MS;
const DAY0 = Date.UTC(2026, 3, 1);
const iso = (ms: number) => new Date(ms).toISOString();

interface SignIn {
  n: number;
  ms: number;
  account?: string;
  region?: string;
  /** "none": neither a user name nor an ARN. */
  who: { user: string } | { arn: string } | "none";
  ip: string | null;
  failed?: boolean;
}

function record(s: SignIn): Record<string, unknown> {
  const account = s.account ?? A;
  const identity =
    s.who === "none"
      ? { type: "IAMUser", accountId: account, principalId: `AIDA${s.n}` }
      : "user" in s.who
        ? { type: "IAMUser", arn: `arn:aws:iam::${account}:user/${s.who.user}`, accountId: account, principalId: `AIDA${s.n}`, userName: s.who.user }
        : { type: s.who.arn.endsWith(":root") ? "Root" : "AssumedRole", arn: s.who.arn, accountId: account, principalId: `AROA${s.n}` };
  return {
    eventVersion: "1.09",
    eventID: `sighting-${s.n}`,
    eventTime: iso(s.ms).replace(".000Z", "Z"),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: s.region ?? "us-east-1",
    ...(s.ip === null ? {} : { sourceIPAddress: s.ip }),
    eventType: "AwsConsoleSignIn",
    recipientAccountId: account,
    userIdentity: identity,
    responseElements: { ConsoleLogin: s.failed ? "Failure" : "Success" },
    additionalEventData: { MFAUsed: "No" },
    ...(s.failed ? { errorMessage: "Failed authentication" } : {}),
  };
}

/** A small deterministic generator, so the fixture's times repeat from run to run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const WHO: SignIn["who"][] = [{ user: "alice" }, { user: "bob" }, { arn: `arn:aws:iam::${A}:root` }, { arn: `arn:aws:sts::${A}:assumed-role/Admin/jane` }];
const IPS = ["203.0.113.1", "203.0.113.2", "198.51.100.7"];

/**
 * ≈ 400 sign-ins over 240 days, in bursts (a few sign-ins of a pair within hours) separated by quiet months, from
 * two accounts and two regions, every ninth a failure; then the cases the generator would rarely draw.
 */
function fixture(): SignIn[] {
  const random = lcg(7);
  const out: SignIn[] = [];
  let n = 0;
  for (let day = 0; day < 240; day += 1 + Math.floor(random() * 6)) {
    const burst = 1 + Math.floor(random() * 4);
    for (let i = 0; i < burst; i++) {
      const who = WHO[Math.floor(random() * WHO.length)]!;
      const ip = IPS[Math.floor(random() * IPS.length)]!;
      const ms = DAY0 + day * DAY_MS + Math.floor(random() * DAY_MS / 60_000) * 60_000 + n * 1000;
      n += 1;
      out.push({ n, ms, who, ip, account: random() < 0.3 ? B : A, region: random() < 0.25 ? "eu-west-1" : "us-east-1", failed: n % 9 === 0 });
    }
  }
  const edge = DAY0 + 120 * DAY_MS + 5 * 3_600_000 + 17 * 60_000;
  out.push(
    // Exactly the lookback after the previous one: seen within it, so not a first sighting; a millisecond more is one.
    { n: 9001, ms: edge, who: { user: "carol" }, ip: "192.0.2.1" },
    { n: 9002, ms: edge + LOOKBACK_MS, who: { user: "carol" }, ip: "192.0.2.1" },
    { n: 9003, ms: edge + 1000, who: { user: "dave" }, ip: "192.0.2.1" },
    { n: 9004, ms: edge + 1000 + LOOKBACK_MS + 1, who: { user: "dave" }, ip: "192.0.2.1" },
    // Several sign-ins of one pair in an hour; a sign-in with no source address; one with no user at all.
    ...[0, 7, 13, 40].map((m, i) => ({ n: 9010 + i, ms: edge + 2 * DAY_MS + m * 60_000, who: { user: "erin" }, ip: "192.0.2.9" })),
    { n: 9024, ms: edge + 3 * DAY_MS, who: { user: "erin" }, ip: null },
    { n: 9021, ms: edge + 3 * DAY_MS + 60_000, who: "none", ip: "192.0.2.9" },
  );
  return out;
}

const ALL = fixture();
/** Loaded after the rest: sign-ins that make later sign-ins of their pairs no longer first sightings. */
const LATE = ALL.filter((s) => s.n % 11 === 0);
const EARLY = ALL.filter((s) => s.n % 11 !== 0);
const END = Math.max(...ALL.map((s) => s.ms)) + 3_600_000;

/** Ranges over the fixture: hours, days, weeks and months with partial hours at their edges, at most the lookback. */
function ranges(): ReportScope[] {
  const random = lcg(11);
  const out: ReportScope[] = [];
  for (const span of [3_600_000, 5 * 3_600_000, DAY_MS, 7 * DAY_MS, 30 * DAY_MS, LOOKBACK_MS]) {
    for (let i = 0; i < 6; i++) {
      const from = DAY0 + Math.floor(random() * (END - DAY0 - span) / 60_000) * 60_000 + 13_000;
      out.push({ from: new Date(from), to: new Date(from + span) });
    }
  }
  return out;
}

/**
 * Plain SQL over the raw events: per account, user (`userName`, else the ARN) and address, its successful sign-ins
 * with no successful sign-in of the same in the lookback before; each pair once, at the earliest such in the range;
 * with its sign-ins in the range. Newest first, at most 25.
 */
async function expected(scope: ReportScope, pool: pg.Pool = db.pool): Promise<[string, string | null, string | null, string, number][]> {
  const { rows } = await pool.query(
    `WITH s AS (
       SELECT recipient_account_id AS a, coalesce(user_identity_user_name, user_identity_arn) AS u,
              user_identity_user_name IS NULL AS by_arn, source_ip_address AS ip, event_time AS t
         FROM cloudtrail_events
        WHERE event_name = 'ConsoleLogin' AND raw #>> '{responseElements,ConsoleLogin}' = 'Success'
          AND ($3::text IS NULL OR recipient_account_id = $3) AND ($4::text IS NULL OR aws_region = $4)
     ), w AS (
       SELECT *, t >= $1 AND t < $2 AND (lag(t) OVER (PARTITION BY a, u, by_arn, ip ORDER BY t) < t - $5 * interval '1 day'
                                          OR lag(t) OVER (PARTITION BY a, u, by_arn, ip ORDER BY t) IS NULL) AS first
         FROM s
     )
     SELECT a, u, ip, min(t) FILTER (WHERE first) AS first_seen, count(*) FILTER (WHERE t >= $1 AND t < $2)::int AS n
       FROM w GROUP BY a, u, by_arn, ip HAVING bool_or(first)
      ORDER BY first_seen DESC LIMIT 25`,
    [scope.from, scope.to, scope.account ?? null, scope.region ?? null, FIRST_SEEN_LOOKBACK_DAYS],
  );
  return rows.map((r) => [r.a, r.u, r.ip, (r.first_seen as Date).toISOString(), r.n]);
}

async function actual(scope: ReportScope, plans?: string[], pool: pg.Pool = db.pool) {
  const rows = await firstSeenIps(scope, plans ? explaining(pool, plans) : pool);
  return rows.map((r) => [r.key.account, r.key.user, r.key.ip, r.firstSeen.toISOString(), r.count]);
}

/** Every range, also for one account; and a few with a region or longer than the lookback (the slice's path). */
async function assertEqualRaw(label: string): Promise<void> {
  let listed = 0;
  for (const range of ranges()) {
    for (const scope of [range, { ...range, account: B }]) {
      const plans: string[] = [];
      const want = await expected(scope);
      assert.deepEqual(await actual(scope, plans), want, `${label}: ${iso(scope.from.getTime())} to ${iso(scope.to.getTime())}${scope.account ? ` in ${scope.account}` : ""}`);
      assert.ok(plans.some((p) => p.includes('"Relation Name":"sign_in_sightings"')), `${label}: read from the sightings`);
      listed += want.length;
    }
  }
  assert.ok(listed > 100, `${label}: the ranges list first sightings (${listed})`);
  const long = { from: new Date(DAY0 - DAY_MS), to: new Date(END) };
  const slicePath: ReportScope[] = [long, { ...long, account: A }, { ...long, region: "eu-west-1" }, { from: new Date(DAY0 + 100 * DAY_MS), to: new Date(END), region: "us-east-1" }];
  for (const scope of slicePath) {
    const plans: string[] = [];
    const want = await expected(scope);
    assert.ok(want.length > 0);
    assert.deepEqual(await actual(scope, plans), want, `${label}: ${scope.region ?? "a range longer than the lookback"}`);
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"sign_in_sightings"')), `${label}: from the slice`);
  }
}

before(async () => {
  db = await createTestDatabase("sign_in_sightings");
  await ingestCloudTrail(db.pool, EARLY.map(record), cloudTrailKey(A, "us-east-1"));
});

after(() => db.drop());

describe("sign-in sightings", () => {
  it("list the first sightings of plain SQL, the lookback's boundary and missing keys included", async () => {
    await assertEqualRaw("after ingest");
    const boundary = { from: new Date(ALL.find((s) => s.n === 9002)!.ms - 3_600_000), to: new Date(ALL.find((s) => s.n === 9004)!.ms + 3_600_000) };
    assert.deepEqual(
      (await actual(boundary)).filter(([, user]) => user === "carol" || user === "dave").map(([, user, , first]) => [user, first]),
      [["dave", iso(ALL.find((s) => s.n === 9004)!.ms)]],
      "a sign-in exactly the lookback after the last one is not a first sighting; a millisecond more is",
    );
    const erin = { from: new Date(ALL.find((s) => s.n === 9010)!.ms - 60_000), to: new Date(ALL.find((s) => s.n === 9021)!.ms + 60_000) };
    assert.deepEqual(
      (await actual(erin)).filter(([, user]) => user === "erin" || user === null).map(([, user, ip, , count]) => [user, ip, count]),
      [
        [null, "192.0.2.9", 1],
        ["erin", null, 1],
        ["erin", "192.0.2.9", 4],
      ],
    );
  });

  it("stay exact after late data and retention", async () => {
    await ingestCloudTrail(db.pool, LATE.map(record), cloudTrailKey(A, "us-east-1"));
    await assertEqualRaw("after late data");
    const deleted = await enforceRetention(db.pool, { cloudtrail: 200, vpcflow: 200 }, new Date(DAY0 + 260 * DAY_MS));
    assert.ok(deleted[0]!.rowsDeleted > 0);
    await refreshRollups(db.pool);
    await assertEqualRaw("after retention");
  });

  it("are built for the sign-ins already stored by the first refresh after the upgrade, and hours the rollups had yet to refresh", async () => {
    await withDatabaseBefore("20261209060000_sign_in_sightings", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EARLY.map(record), cloudTrailKey(A, "us-east-1"));
      // That version's refresh (its slices).
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      // Stored but not yet refreshed when the upgrade runs.
      await ingestCloudTrail(upgraded, LATE.map(record), cloudTrailKey(A, "us-east-1"));
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209060000_sign_in_sightings"]);
      await refreshRollups(upgraded);
      const hours = await upgraded.query(
        `SELECT count(DISTINCT date_trunc('hour', event_time))::int AS n FROM cloudtrail_events WHERE event_name = 'ConsoleLogin' AND response_console_login = 'Success'`,
      );
      assert.equal((await upgraded.query("SELECT count(DISTINCT hour)::int AS n FROM sign_in_sightings")).rows[0].n, hours.rows[0].n, "every hour with a sign-in");
      assert.equal(await refreshSignInSightings(upgraded), 0, "no hour left");
      for (const scope of ranges().slice(24)) {
        const plans: string[] = [];
        assert.deepEqual(await actual(scope, plans, upgraded), await expected(scope, upgraded));
        assert.ok(plans.some((p) => p.includes('"Relation Name":"sign_in_sightings"')));
      }
    });
  });
});
