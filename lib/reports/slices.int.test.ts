import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { conditionSql, SqlParams } from "../detect/compile-rule";
import { enforceRetention } from "../ops/enforce-retention";
import { cloudTrailKey, ingestCloudTrail } from "../search/testdata/ingest-fixtures";
import { accessDeniedByPrincipal, iamChangesByPrincipal, iamKpis } from "./iam-audit";
import { not, sameAs } from "../detect/conditions";
import { anonymousAccess, crossAccountAccess, crossAccountCalls, s3AccessDenied } from "./s3-data-events";
import {
  failureBurstsByIp,
  failureBurstsByUser,
  federationTokens,
  loginKpis,
  loginsBySourceIp,
  loginsByUser,
  loginsOverTime,
  mfaUsage,
  rootLogins,
} from "./login-audit";
import { refreshRollups } from "./rollups";
import { mergeSelections, selectionCondition } from "./selection";
import { SLICES } from "./slices";

// Panels whose records lie in an event slice (lib/reports/slices.ts) read the slice's copy of the rows:
// their numbers must be the raw rows' answer, computed here with plain SQL, after ingest, late data and
// retention; and the slices must hold exactly the rows their TypeScript definitions select.

let db: TestDatabase;
const A = "111122223333";
const DAY0 = Date.UTC(2026, 10, 18, 0, 0);
// Partial hours at both edges: 2026-11-18 03:17 to 2026-11-20 21:43.
const SCOPE = { from: new Date(DAY0 + 3 * 3_600_000 + 17 * 60_000), to: new Date(DAY0 + 2 * 86_400_000 + 21 * 3_600_000 + 43 * 60_000) };
const at = (minutes: number) => new Date(DAY0 + minutes * 60_000).toISOString().replace(".000Z", "Z");

/** A console sign-in: IAM users u0–u3 (a failure names the user but has no ARN), root every 9th, from one of five addresses. */
function signIn(n: number, minutes: number, failed = n % 5 === 0): Record<string, unknown> {
  const root = n % 9 === 0;
  const user = `u${n % 4}`;
  return {
    eventVersion: "1.09",
    eventID: `signin-${n}`,
    eventTime: at(minutes),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: `203.0.113.${n % 5}`,
    eventType: "AwsConsoleSignIn",
    recipientAccountId: A,
    userIdentity: root
      ? { type: "Root", arn: `arn:aws:iam::${A}:root`, accountId: A, principalId: A }
      : failed
        ? { type: "IAMUser", accountId: A, principalId: `AIDA${n}`, userName: user }
        : { type: "IAMUser", arn: `arn:aws:iam::${A}:user/${user}`, accountId: A, principalId: `AIDA${n}`, userName: user },
    responseElements: { ConsoleLogin: failed ? "Failure" : "Success" },
    additionalEventData: { MFAUsed: n % 3 === 0 ? "Yes" : "No", LoginTo: "https://console.aws.amazon.com/" },
    ...(failed ? { errorMessage: "Failed authentication" } : {}),
  };
}

/** An IAM call: writes (some refused) and reads, by two principals, and an S3 read no slice holds. */
function apiCall(n: number, minutes: number): Record<string, unknown> {
  const kind = n % 4;
  const [source, name, readOnly] =
    kind === 0 ? ["iam.amazonaws.com", "CreateUser", false] : kind === 1 ? ["iam.amazonaws.com", "AttachUserPolicy", false] : kind === 2 ? ["iam.amazonaws.com", "ListUsers", true] : ["s3.amazonaws.com", "GetObject", true];
  return {
    eventVersion: "1.09",
    eventID: `call-${n}`,
    eventTime: at(minutes),
    eventSource: source,
    eventName: name,
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.4",
    readOnly,
    eventType: "AwsApiCall",
    recipientAccountId: A,
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${A}:user/admin${n % 2}`, accountId: A, userName: `admin${n % 2}` },
    ...(n % 7 === 0 ? { errorCode: "AccessDenied", errorMessage: "denied" } : {}),
  };
}

/** An anonymous S3 read (a public bucket), from one of three addresses. */
function anonymousRead(n: number, minutes: number): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventID: `anon-${n}`,
    eventTime: at(minutes),
    eventSource: "s3.amazonaws.com",
    eventName: n % 3 === 0 ? "ListObjects" : "GetObject",
    awsRegion: "us-east-1",
    sourceIPAddress: `192.0.2.${n % 3}`,
    readOnly: true,
    eventType: "AwsApiCall",
    eventCategory: "Data",
    recipientAccountId: A,
    userIdentity: { type: "AWSAccount", principalId: "", accountId: "anonymous" },
    requestParameters: { bucketName: `public-${n % 2}`, key: `file-${n}` },
  };
}

/** An S3 call from a partner account's role to this account's bucket (cross-account access), every fourth refused. */
function partnerCall(n: number, minutes: number): Record<string, unknown> {
  return {
    eventVersion: "1.09",
    eventID: `partner-${n}`,
    eventTime: at(minutes),
    eventSource: "s3.amazonaws.com",
    eventName: n % 2 === 0 ? "GetObject" : "PutObject",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.77",
    readOnly: n % 2 === 0,
    eventType: "AwsApiCall",
    eventCategory: "Data",
    recipientAccountId: A,
    userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${PARTNER}:assumed-role/Sync/s${n % 3}`, accountId: PARTNER, principalId: `AROA:s${n % 3}` },
    requestParameters: { bucketName: `shared-${n % 2}`, key: `file-${n}` },
    ...(n % 4 === 1 ? { errorCode: "AccessDenied", errorMessage: "denied" } : {}),
  };
}

const PARTNER = "999988887777";
const SIGN_INS = Array.from({ length: Math.floor((3 * 1440) / 17) }, (_, n) => signIn(n, n * 17));
const CALLS = Array.from({ length: Math.floor((3 * 1440) / 7) }, (_, n) => apiCall(n, n * 7));
const PARTNER_CALLS = Array.from({ length: Math.floor((3 * 1440) / 31) }, (_, n) => partnerCall(n, n * 31 + 5));
const ANONYMOUS_READS = Array.from({ length: Math.floor((3 * 1440) / 29) }, (_, n) => anonymousRead(n, n * 29 + 3));
// Six failures of u9 within ten minutes: one burst.
const BURST = Array.from({ length: 6 }, (_, i) => ({ ...signIn(1000 + i, 1440 + 600 + 2 * i, true), userIdentity: { type: "IAMUser", accountId: A, principalId: "AIDA9", userName: "u9" } }));

async function one(sql: string, params: unknown[] = [SCOPE.from, SCOPE.to]): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(sql, params);
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

async function assertEqualRaw(label: string): Promise<void> {
  const { kpis } = await loginKpis(SCOPE, db.pool);
  const raw = await one(
    `SELECT count(*) AS "consoleLogins",
            count(*) FILTER (WHERE raw #>> '{responseElements,ConsoleLogin}' = 'Success') AS successes,
            count(*) FILTER (WHERE raw #>> '{responseElements,ConsoleLogin}' = 'Failure') AS failures,
            count(*) FILTER (WHERE raw #>> '{responseElements,ConsoleLogin}' = 'Success' AND user_identity_type IN ('IAMUser', 'Root')
                               AND raw #>> '{additionalEventData,MFAUsed}' IS DISTINCT FROM 'Yes') AS "withoutMfa",
            count(*) FILTER (WHERE user_identity_type = 'Root') AS "rootLogins"
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_name = 'ConsoleLogin'`,
  );
  assert.ok(raw.failures! > 0 && raw.rootLogins! > 0);
  assert.deepEqual(
    { consoleLogins: kpis.consoleLogins, successes: kpis.successes, failures: kpis.failures, withoutMfa: kpis.withoutMfa, rootLogins: kpis.rootLogins },
    raw,
    `${label}: login KPIs`,
  );

  const byUser = await loginsByUser({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawByUser } = await db.pool.query(
    `SELECT coalesce(user_identity_user_name, user_identity_arn) AS k, count(*)::int AS n, count(DISTINCT source_ip_address)::int AS ips
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_name = 'ConsoleLogin' GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual(
    new Map(byUser.map((r) => [r.key.user, [r.values.logins, r.values.sourceIps]])),
    new Map(rawByUser.map((r) => [r.k, [r.n, r.ips]])),
    `${label}: sign-ins per user`,
  );

  const bursts = await failureBurstsByUser(SCOPE, db.pool);
  assert.deepEqual(
    bursts.map((b) => [b.key.user, b.count]),
    [["u9", 6]],
    `${label}: the one burst of failures`,
  );

  const changers = await iamChangesByPrincipal({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawChangers } = await db.pool.query(
    `SELECT user_identity_arn AS k, (count(*) FILTER (WHERE error_code IS NULL))::int AS ok, (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS failed
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 'iam.amazonaws.com' AND read_only IS NOT TRUE GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual(
    new Map(changers.map((r) => [r.key.principal, [r.values.changes, r.values.failed]])),
    new Map(rawChangers.map((r) => [r.k, [r.ok, r.failed]])),
    `${label}: IAM changes per principal`,
  );
  const iam = await iamKpis(SCOPE, db.pool);
  const rawIam = await one(
    `SELECT count(*) FILTER (WHERE error_code IS NULL) AS changes, count(DISTINCT user_identity_arn) FILTER (WHERE error_code IS NULL) AS changers
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 'iam.amazonaws.com' AND read_only IS NOT TRUE`,
  );
  assert.deepEqual({ changes: iam.kpis.changes, changers: iam.kpis.changers }, rawIam, `${label}: IAM KPIs`);

  const denied = await accessDeniedByPrincipal({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawDenied } = await db.pool.query(
    `SELECT user_identity_arn AS k, count(*)::int AS n, count(DISTINCT event_name)::int AS actions FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND error_code = 'AccessDenied' GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual(
    new Map(denied.map((r) => [r.key.principal, [r.values.denied, r.values.actions]])),
    new Map(rawDenied.map((r) => [r.k, [r.n, r.actions]])),
    `${label}: refusals per principal`,
  );

  const anonymous = await anonymousAccess({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawAnonymous } = await db.pool.query(
    `SELECT (raw #>> '{requestParameters,bucketName}') || ' ' || event_name || ' ' || source_ip_address AS k, count(*)::int AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND user_identity_account_id = 'anonymous' GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual(
    new Map(anonymous.map((r) => [`${r.key.bucket} ${r.key.name} ${r.key.ip}`, r.values.requests])),
    new Map(rawAnonymous.map((r) => [r.k, r.n])),
    `${label}: anonymous access`,
  );

  const cross = await crossAccountAccess({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawCross } = await db.pool.query(
    `SELECT user_identity_arn || ' ' || request_bucket_name AS k, count(*)::int AS n, (count(*) FILTER (WHERE error_code = 'AccessDenied'))::int AS denied
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com'
        AND user_identity_account_id <> recipient_account_id AND user_identity_account_id <> 'anonymous' GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.ok(rawCross.length > 1);
  assert.deepEqual(
    new Map(cross.map((r) => [`${r.key.principal} ${r.key.bucket}`, [r.values.requests, r.values.denied]])),
    new Map(rawCross.map((r) => [r.k, [r.n, r.denied]])),
    `${label}: cross-account access`,
  );
  assert.equal(await crossAccountCalls(SCOPE, db.pool), rawCross.reduce((n, r) => n + r.n, 0), `${label}: cross-account calls`);
}

/** Each slice holds exactly the rows its TypeScript selection (and fields that differ) selects, compiled by the rule engine. */
async function assertSlicesHoldTheirRows(label: string): Promise<void> {
  for (const slice of SLICES) {
    const params = new SqlParams();
    const [a, b] = slice.differ ?? [];
    const selection = a && b ? mergeSelections(slice.selection, { include: { [a]: "*", [b]: "*" } }) : slice.selection;
    let where = conditionSql("e", "cloudtrail", selectionCondition("cloudtrail", selection)!, params);
    if (a && b) where += ` AND ${conditionSql("e", "cloudtrail", not(sameAs(a, b)), params)}`;
    const expected = await db.pool.query(`SELECT event_id FROM cloudtrail_events e WHERE ${where} ORDER BY 1`, params.values);
    const held = await db.pool.query(`SELECT event_id FROM cloudtrail_event_slices WHERE slice = $1 ORDER BY 1`, [slice.name]);
    assert.ok(expected.rows.length > 0, `${label}: the data has ${slice.name} events`);
    assert.deepEqual(held.rows, expected.rows, `${label}: slice ${slice.name}`);
  }
}

before(async () => {
  db = await createTestDatabase("report_slices");
  await ingestCloudTrail(db.pool, SIGN_INS, cloudTrailKey(A, "us-east-1"));
  await ingestCloudTrail(db.pool, [...CALLS, ...BURST, ...ANONYMOUS_READS, ...PARTNER_CALLS], cloudTrailKey(A, "us-east-1"));
});
after(() => db.drop());

describe("event slices", () => {
  it("serve the sign-in, IAM, refusal and anonymous-access panels with the numbers of the raw rows", async () => {
    await assertEqualRaw("after ingest");
    await assertSlicesHoldTheirRows("after ingest");
  });

  it("have every column of the events table, in its order", async () => {
    const columns = async (table: string) =>
      (await db.pool.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])).rows;
    assert.deepEqual(await columns("cloudtrail_event_slices"), [{ column_name: "slice", data_type: "text" }, ...(await columns("cloudtrail_events"))]);
  });

  it("are what the panels read: a row taken out of a slice shows", async () => {
    // (Without an account filter the tiles read the `logins` rollup, rollups.int.test.ts; the account is not in it.)
    const successes = async () => (await loginKpis({ ...SCOPE, account: A }, db.pool)).kpis.successes;
    const before = await successes();
    const { rows } = await db.pool.query(
      `DELETE FROM cloudtrail_event_slices
        WHERE (slice, recipient_account_id, event_id) = (SELECT slice, recipient_account_id, event_id FROM cloudtrail_event_slices
                                                          WHERE slice = 'signins' AND raw #>> '{responseElements,ConsoleLogin}' = 'Success' AND event_time >= $1 AND event_time < $2 LIMIT 1)
       RETURNING event_time`,
      [SCOPE.from, SCOPE.to],
    );
    assert.equal(await successes(), before - 1);
    // Marking its hour dirty puts it back, as a late delivery to that hour would.
    await db.pool.query(`INSERT INTO rollup_dirty_hours (source, hour) VALUES ('cloudtrail', date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC'))`, [rows[0].event_time]);
    assert.equal(await successes(), before);

    // Event lists too: the newest root sign-ins.
    const roots = async () => (await rootLogins({ ...SCOPE, limit: 500 }, db.pool)).map((r) => r.eventId);
    const listed = await roots();
    assert.ok(listed.length > 0);
    await db.pool.query(`DELETE FROM cloudtrail_event_slices WHERE slice = 'signins' AND event_id = $1`, [listed[0]]);
    assert.deepEqual(await roots(), listed.slice(1), "the list is read from the slice");
    await db.pool.query(`INSERT INTO rollup_dirty_hours (source, hour) SELECT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events WHERE event_id = $1`, [listed[0]]);
    assert.deepEqual(await roots(), listed);

    // Cross-account calls, whose rows need two fields to differ.
    const calls = await crossAccountCalls(SCOPE, db.pool);
    const taken = await db.pool.query(
      `DELETE FROM cloudtrail_event_slices
        WHERE (slice, recipient_account_id, event_id) = (SELECT slice, recipient_account_id, event_id FROM cloudtrail_event_slices WHERE slice = 'cross-account' AND event_time >= $1 AND event_time < $2 LIMIT 1)
       RETURNING event_time`,
      [SCOPE.from, SCOPE.to],
    );
    assert.equal(await crossAccountCalls(SCOPE, db.pool), calls - 1, "cross-account calls are read from the slice");
    await db.pool.query(`INSERT INTO rollup_dirty_hours (source, hour) VALUES ('cloudtrail', date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC'))`, [taken.rows[0].event_time]);
    assert.equal(await crossAccountCalls(SCOPE, db.pool), calls);
  });

  it("are read one partition each: a slice's panel scans only its own rows", async () => {
    const partitions = (await db.pool.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'cloudtrail_event_slices'::regclass`)).rows.map((r) => r.relname);
    assert.ok(partitions.includes("cloudtrail_event_slices_denied") && partitions.length >= 6);
    const plans: string[] = [];
    // With an account filter: over every account the panel reads its leader board (cloudtrail-leaders.int.test.ts).
    await accessDeniedByPrincipal({ ...SCOPE, account: A }, explaining(db.pool, plans));
    const read = partitions.filter((p) => plans.some((plan) => plan.includes(`"${p}"`)));
    assert.deepEqual(read, ["cloudtrail_event_slices_denied"]);
  });

  it("cover the refusal, IAM-change and Login panels' columns in an index of their partition", async () => {
    // What is tested is that the index holds every column the panels read (an index-only scan is possible); with a
    // few rows the planner would rather read the table, so plans are taken with sequential and bitmap scans off.
    await db.pool.query("VACUUM ANALYZE cloudtrail_event_slices");
    const covered = new pg.Pool({ connectionString: db.url, max: 2, options: "-c enable_seqscan=off -c enable_bitmapscan=off" });
    try {
      for (const [panel, index] of [
        [accessDeniedByPrincipal, "cloudtrail_event_slices_denied_columns_idx"],
        // S3's refusals: the index on service and error code (the others read every refusal, by time).
        [s3AccessDenied, "cloudtrail_event_slices_denied_source_idx"],
        [iamChangesByPrincipal, "cloudtrail_event_slices_iam_writes_columns_idx"],
        // The IAM tiles: the changes by time, the AdministratorAccess grants by policy ARN.
        [iamKpis, "cloudtrail_event_slices_iam_writes_(?:columns|policy)_idx"],
        ...[loginKpis, loginsOverTime, loginsByUser, loginsBySourceIp].map((panel) => [panel, "cloudtrail_event_slices_signins_columns_idx"] as const),
        // Federation tokens, failed sign-ins and the users without MFA: the index on call, result and identity type.
        ...[federationTokens, failureBurstsByUser, failureBurstsByIp, mfaUsage].map((panel) => [panel, "cloudtrail_event_slices_signins_result_idx"] as const),
      ] as const) {
        const plans: string[] = [];
        await panel({ ...SCOPE, account: A }, explaining(covered, plans));
        if (panel === iamKpis) assert.ok(plans.some((p) => p.includes('"Index Name":"cloudtrail_event_slices_iam_writes_policy_idx"')), "grants by policy ARN");
        // Every statement reading the slice (KPI tiles read some numbers from a rollup; a second statement may count
        // distinct values for the rows shown) reads its index alone.
        const slicePlans = plans.filter((plan) => plan.includes('"Relation Name":"cloudtrail_event_slices_'));
        assert.ok(slicePlans.length > 0, panel.name);
        for (const plan of slicePlans) {
          assert.match(plan, new RegExp(`"Node Type":"Index Only Scan"[^{}]*"Index Name":"${index}"`), panel.name);
          assert.doesNotMatch(plan, /"Node Type":"(Seq Scan|Index Scan|Bitmap Heap Scan)"[^{}]*"Relation Name":"cloudtrail_event_slices_/, panel.name);
        }
      }
    } finally {
      await covered.end();
    }
  });

  it("stay exact after late data and retention", async () => {
    await ingestCloudTrail(db.pool, [signIn(5001, 4 * 60 + 5), signIn(5002, 3 * 60 + 20, true), apiCall(5004, 2 * 1440 + 20 * 60 + 59)], cloudTrailKey(A, "us-east-1"));
    await assertEqualRaw("after late data");
    await assertSlicesHoldTheirRows("after late data");
    const deleted = await enforceRetention(db.pool, { cloudtrail: 2, vpcflow: 2 }, new Date(DAY0 + 2 * 86_400_000 + 11.5 * 3_600_000));
    assert.ok(deleted[0]!.rowsDeleted > 0);
    assert.ok((await refreshRollups(db.pool)) > 0);
    await assertEqualRaw("after retention");
    await assertSlicesHoldTheirRows("after retention");
  });
});
