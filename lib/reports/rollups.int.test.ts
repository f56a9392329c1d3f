import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, withDatabaseBefore, type TestDatabase } from "../../test/support/database";
import { enforceRetention } from "../ops/enforce-retention";
import { cloudTrailKey, flowKey, ingestCloudTrail, ingestFlowLog } from "../search/testdata/ingest-fixtures";
import { networkKpis, topTalkers, trafficByDirection, trafficByInterface, trafficOverTime } from "./network";
import { errorsOverTime, eventsByAccountRegion, eventsOverTime, overviewKpis, topEventNames, topEventSources, topPrincipals, topSourceIps } from "./overview";
import { measureCounts } from "./report-query";
import { crossAccountCalls, s3AccessDenied, s3Kpis, topBuckets, topPrincipalsPerBucket } from "./s3-data-events";
import { accessDeniedByPrincipal, assumeRoleActivity, iamChangesByPrincipal, iamKpis } from "./iam-audit";
import { loginKpis, loginsBySourceIp, loginsByUser, loginsOverTime, ssoSignIns } from "./login-audit";
import { refreshRollups, ROLLUPS, startRollupRefresh, type Rollup } from "./rollups";
import { silentLog } from "../../test/support/samples";
import { PRIVATE_NETWORKS } from "../detect/conditions";
import { REMOTE_ADMIN_PORTS } from "./flow-selections";
import { LEADER_BOARDS, LISTED, LISTED_FIVE_MINUTES, refreshCloudTrailLeaders, refreshFlowLeaders } from "./leaders";
import { refreshBucketCallers } from "./bucket-callers";
import { explaining } from "../../test/support/explain";

// Rollup-backed panels (lib/reports/rollups.ts) must give exactly the raw-row answer, which this
// test computes independently with plain SQL, after each of the ingest guarantees that change raw rows:
// re-delivered duplicates, late data for an hour already rolled up, and retention deletes. The scope has
// partial hours at both edges and a whole UTC day inside, so hour rows, day rows and raw edges all count.

let db: TestDatabase;
const A = "111122223333";
const B = "444455556666";
const NAMES = ["GetObject", "PutObject", "AssumeRole", "Decrypt", "CreateUser"];
const SOURCES: Record<string, string> = { GetObject: "s3.amazonaws.com", PutObject: "s3.amazonaws.com", AssumeRole: "sts.amazonaws.com", Decrypt: "kms.amazonaws.com", CreateUser: "iam.amazonaws.com" };
const DAY0 = Date.UTC(2026, 10, 18, 0, 0);
// A range with partial hours at both edges: 2026-11-18 03:17 to 2026-11-20 21:43.
const SCOPE = { from: new Date(DAY0 + 3 * 3_600_000 + 17 * 60_000), to: new Date(DAY0 + 2 * 86_400_000 + 21 * 3_600_000 + 43 * 60_000), bucket: "hour" as const };

function event(n: number, minutes: number): Record<string, unknown> {
  const name = NAMES[n % NAMES.length]!;
  const account = n % 3 === 0 ? B : A;
  return {
    eventVersion: "1.09",
    eventID: `ev-${n}`,
    eventTime: new Date(DAY0 + minutes * 60_000).toISOString().replace(".000Z", "Z"),
    eventSource: SOURCES[name],
    eventName: name,
    awsRegion: n % 4 === 0 ? "eu-west-1" : "us-east-1",
    sourceIPAddress: n % 11 === 0 ? "ec2.amazonaws.com" : `198.51.100.${n % 9}`,
    readOnly: name === "GetObject" || name === "Decrypt",
    ...(n % 7 === 0 ? { errorCode: "AccessDenied", errorMessage: "denied" } : n % 10 === 0 ? { errorCode: "ThrottlingException", errorMessage: "slow down" } : {}),
    eventType: "AwsApiCall",
    recipientAccountId: account,
    // A service assuming a role has no ARN, only `invokedBy`.
    userIdentity:
      name === "AssumeRole" && n % 11 === 0
        ? { type: "AWSService", invokedBy: "ec2.amazonaws.com" }
        : { type: "IAMUser", arn: `arn:aws:iam::${account}:user/u${n % 5}`, accountId: account, userName: `u${n % 5}` },
    // S3 calls name a bucket; downloads report their bytes, some as text and some not a number (summed as the raw rows are).
    ...(SOURCES[name] === "s3.amazonaws.com" ? { requestParameters: { bucketName: `bucket-${n % 3}`, key: `k${n}` } } : {}),
    // Role assumptions name a role and a session; some carry a source identity.
    ...(name === "AssumeRole" ? { requestParameters: { roleArn: `arn:aws:iam::${account}:role/r${n % 2}`, roleSessionName: `s${n % 3}`, ...(n % 4 === 0 ? { sourceIdentity: "alice" } : {}) } } : {}),
    ...(name === "GetObject" ? { additionalEventData: { bytesTransferredOut: n % 6 === 0 ? String(n * 100) : n % 13 === 0 ? "unknown" : n * 1000 } } : {}),
  };
}

/** A console sign-in of an IAM user or (every 7th) a role session: some failed, some with MFA, some without the MFAUsed field. */
function signIn(n: number, minutes: number): Record<string, unknown> {
  const account = n % 3 === 0 ? B : A;
  return {
    eventVersion: "1.09",
    eventID: `signin-${n}`,
    eventTime: new Date(DAY0 + minutes * 60_000).toISOString().replace(".000Z", "Z"),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: `203.0.113.${n % 4}`,
    eventType: "AwsConsoleSignIn",
    recipientAccountId: account,
    userIdentity:
      n % 7 === 0
        ? { type: "AssumedRole", arn: `arn:aws:sts::${account}:assumed-role/Admin/s${n}`, accountId: account }
        : { type: "IAMUser", arn: `arn:aws:iam::${account}:user/u${n % 5}`, accountId: account, userName: `u${n % 5}` },
    responseElements: { ConsoleLogin: n % 4 === 1 ? "Failure" : "Success" },
    ...(n % 5 === 0 ? {} : { additionalEventData: { MFAUsed: n % 3 === 0 ? "Yes" : "No" } }),
  };
}

// 3 days, an event every 13 minutes, and a console sign-in every 29 minutes.
const EVENTS = [
  ...Array.from({ length: Math.floor((3 * 1440) / 13) }, (_, n) => event(n, n * 13)),
  ...Array.from({ length: Math.floor((3 * 1440) / 29) }, (_, n) => signIn(n, n * 29 + 5)),
];

// Flow records in the version-5 custom format (with region and direction), one every 11 minutes.
const FLOW_HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status region flow-direction vpc-id subnet-id";
function flowLine(n: number, minutes: number): string {
  const start = Math.floor((DAY0 + minutes * 60_000) / 1000);
  const account = n % 3 === 0 ? B : A;
  const action = n % 5 === 0 ? "REJECT" : "ACCEPT";
  const status = n % 17 === 0 ? "NODATA" : "OK";
  const region = n % 4 === 0 ? "eu-west-1" : "us-east-1";
  const direction = n % 2 === 0 ? "ingress" : "egress";
  return `5 ${account} eni-0${n % 4}a 10.0.0.${n % 250} 203.0.113.${n % 200} ${40000 + (n % 900)} ${n % 3 === 0 ? 22 : 443} 6 ${n % 40} ${n * 37} ${start} ${start + 60} ${action} ${status} ${region} ${direction} vpc-0${n % 2} subnet-0${n % 4}`;
}
const flowFile = (lines: readonly string[]) => [FLOW_HEADER, ...lines].join("\n") + "\n";
const FLOWS = Array.from({ length: Math.floor((3 * 1440) / 11) }, (_, n) => flowLine(n, n * 11));

async function rawCounts(sql: string): Promise<Map<string, number>> {
  const { rows } = await db.pool.query(sql, [SCOPE.from, SCOPE.to]);
  return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
}

async function assertPanelsEqualRaw(label: string): Promise<void> {
  const names = await topEventNames({ ...SCOPE, limit: 100 }, db.pool);
  const rawNames = await rawCounts(`SELECT event_name AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`);
  assert.deepEqual(new Map(names.map((r) => [r.value, r.count])), rawNames, `${label}: top event names`);

  const sources = await topEventSources({ ...SCOPE, limit: 100 }, db.pool);
  const rawSources = await rawCounts(`SELECT event_source AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`);
  assert.deepEqual(new Map(sources.map((r) => [r.value, r.count])), rawSources, `${label}: top event sources`);

  const accounts = await eventsByAccountRegion(SCOPE, db.pool);
  const rawAccounts = await rawCounts(`SELECT recipient_account_id || '/' || aws_region AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`);
  assert.deepEqual(new Map(accounts.map((r) => [`${r.account}/${r.region}`, r.count])), rawAccounts, `${label}: events by account and region`);

  const series = await eventsOverTime(SCOPE, db.pool);
  const rawWrites = await rawCounts(
    `SELECT to_char(date_trunc('hour', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS k, count(*) AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND read_only IS NOT TRUE GROUP BY 1`,
  );
  const writes = new Map(series.filter((p) => p.write > 0).map((p) => [p.bucketStart.toISOString().slice(0, 13), p.write]));
  assert.deepEqual(writes, rawWrites, `${label}: writes per hour`);

  const counted = await measureCounts(db.pool, {
    source: "cloudtrail",
    scope: { ...SCOPE, account: A },
    measures: { events: { kind: "count" }, errors: { kind: "count", where: { include: { errorCode: "*" } } }, names: { kind: "distinct", field: "eventName" } },
  });
  const raw = await db.pool.query(
    `SELECT count(*) AS events, count(*) FILTER (WHERE error_code IS NOT NULL) AS errors, count(DISTINCT event_name) AS names
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND recipient_account_id = $3`,
    [SCOPE.from, SCOPE.to, A],
  );
  assert.deepEqual(
    { events: counted.events.value, errors: counted.errors.value, names: counted.names.value },
    { events: Number(raw.rows[0].events), errors: Number(raw.rows[0].errors), names: Number(raw.rows[0].names) },
    `${label}: KPI counts of one account`,
  );

  const days = await eventsOverTime({ ...SCOPE, bucket: "day" }, db.pool);
  const rawDays = await rawCounts(
    `SELECT to_char(date_trunc('day', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS k, count(*) AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND read_only IS TRUE GROUP BY 1`,
  );
  assert.deepEqual(new Map(days.filter((p) => p.read > 0).map((p) => [p.bucketStart.toISOString().slice(0, 10), p.read])), rawDays, `${label}: reads per day`);

  // Mixed measures: counts and distinct principals and addresses from three rollups, the JSON-path count from raw rows.
  const { kpis } = await overviewKpis(SCOPE, db.pool);
  const rawKpis = await db.pool.query(
    `SELECT count(*) AS events, count(*) FILTER (WHERE read_only IS NOT TRUE) AS writes, count(DISTINCT user_identity_arn) AS principals,
            count(DISTINCT source_ip_address) AS ips, count(*) FILTER (WHERE error_code IS NOT NULL) AS errors
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual(
    { events: kpis.events, writeEvents: kpis.writeEvents, principals: kpis.principals, sourceIps: kpis.sourceIps, errors: kpis.errors },
    {
      events: Number(rawKpis.rows[0].events),
      writeEvents: Number(rawKpis.rows[0].writes),
      principals: Number(rawKpis.rows[0].principals),
      sourceIps: Number(rawKpis.rows[0].ips),
      errors: Number(rawKpis.rows[0].errors),
    },
    `${label}: overview KPIs`,
  );

  const principals = await topPrincipals({ ...SCOPE, limit: 100 }, db.pool);
  const rawPrincipals = await rawCounts(`SELECT user_identity_arn AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_arn IS NOT NULL GROUP BY 1`);
  assert.deepEqual(new Map(principals.map((r) => [r.value, r.count])), rawPrincipals, `${label}: top principals`);
  const ofAccount = await topPrincipals({ ...SCOPE, account: B, limit: 100 }, db.pool);
  assert.deepEqual(new Map(ofAccount.map((r) => [r.value, r.count])), new Map([...rawPrincipals].filter(([arn]) => arn.includes(`::${B}:`))), `${label}: top principals of one account`);

  const ips = await topSourceIps({ ...SCOPE, limit: 100 }, db.pool);
  const rawIps = await rawCounts(`SELECT source_ip_address AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND source_ip_address IS NOT NULL GROUP BY 1`);
  assert.deepEqual(new Map(ips.map((r) => [r.value, r.count])), rawIps, `${label}: top source addresses`);

  const errors = await errorsOverTime(SCOPE, db.pool);
  const rawErrors = await rawCounts(
    `SELECT error_code || ' ' || to_char(date_trunc('hour', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS k, count(*) AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND error_code IS NOT NULL GROUP BY 1`,
  );
  const perCode = new Map<string, number>();
  for (const p of errors.points) {
    for (const s of errors.series) {
      const n = (p as unknown as Record<string, number>)[s.key]!;
      if (n > 0) perCode.set(`${s.label} ${p.bucketStart.toISOString().slice(0, 13)}`, n);
    }
  }
  assert.equal(errors.series.length, 2, `${label}: one series per error code`);
  assert.deepEqual(perCode, rawErrors, `${label}: errors per code and hour`);

  // The `buckets` rollup: object calls, errors and bytes out per bucket, and the S3 KPIs summing the bytes.
  const buckets = await topBuckets({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawBuckets } = await db.pool.query(
    `SELECT request_bucket_name AS k, count(*)::int AS calls, (count(*) FILTER (WHERE event_name = 'GetObject'))::int AS gets,
            (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS errors, coalesce(sum(trailwatch_numeric(raw #>> '{additionalEventData,bytesTransferredOut}')), 0)::bigint AS bytes
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND request_bucket_name IS NOT NULL GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.equal(rawBuckets.length, 3, `${label}: three buckets`);
  assert.deepEqual(
    new Map(buckets.map((r) => [r.key.bucket, [r.values.requests, r.values.gets, r.values.errors, r.values.bytesOut]])),
    new Map(rawBuckets.map((r) => [r.k, [r.calls, r.gets, r.errors, Number(r.bytes)]])),
    `${label}: top buckets`,
  );
  const s3 = await s3Kpis(SCOPE, db.pool);
  assert.equal(s3.kpis.bytesOut, rawBuckets.reduce((n, r) => n + Number(r.bytes), 0), `${label}: S3 bytes out`);
  const { rows: rawS3 } = await db.pool.query(
    `SELECT (count(*) FILTER (WHERE event_name = 'GetObject'))::int AS gets, (count(*) FILTER (WHERE error_code = 'AccessDenied'))::int AS denied
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com'`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual([s3.kpis.gets, s3.kpis.accessDenied], [rawS3[0].gets, rawS3[0].denied], `${label}: S3 reads and refusals`);

  // The `sessions` rollup (role assumptions only): calls and failures per call, role, session, caller and source identity.
  for (const account of [undefined, B]) {
    const sessions = await assumeRoleActivity({ ...SCOPE, account, limit: 100 }, db.pool);
    const { rows: rawSessions } = await db.pool.query(
      `SELECT concat_ws('|', event_name, request_role_arn, request_role_session_name, coalesce(user_identity_arn, user_identity_user_name, user_identity_invoked_by), request_source_identity) AS k,
              count(*)::int AS calls, (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS failures
         FROM cloudtrail_events
        WHERE event_time >= $1 AND event_time < $2 AND event_source = 'sts.amazonaws.com' AND event_name IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML')
          AND ($3::text IS NULL OR recipient_account_id = $3)
        GROUP BY 1`,
      [SCOPE.from, SCOPE.to, account ?? null],
    );
    if (!account) {
      assert.ok(rawSessions.length >= 9 && rawSessions.some((r) => r.failures > 0), `${label}: sessions with and without failures ${rawSessions.length}`);
      assert.ok(rawSessions.some((r) => r.k.includes("|ec2.amazonaws.com")), `${label}: a session assumed by a service`);
    }
    assert.deepEqual(
      new Map(sessions.map((r) => [[r.key.name, r.key.role, r.key.session, r.key.caller, r.key.sourceIdentity].filter((v) => v !== null).join("|"), [r.values.calls, r.values.failures]])),
      new Map(rawSessions.map((r) => [r.k, [r.calls, r.failures]])),
      `${label}: role assumptions${account ? " of one account" : ""}`,
    );
  }

  // The `logins` rollup (sign-ins only): the Login tiles and chart, with and without an account filter (which reads the slice).
  for (const account of [undefined, B]) {
    const { kpis: logins } = await loginKpis({ ...SCOPE, account }, db.pool);
    const { rows: rawLogins } = await db.pool.query(
      `SELECT count(*)::int AS "consoleLogins", (count(*) FILTER (WHERE response_console_login = 'Success'))::int AS successes,
              (count(*) FILTER (WHERE response_console_login = 'Failure'))::int AS failures,
              (count(*) FILTER (WHERE response_console_login = 'Success' AND additional_mfa_used IS DISTINCT FROM 'Yes' AND user_identity_type IN ('IAMUser', 'Root')))::int AS "withoutMfa"
         FROM cloudtrail_events
        WHERE event_time >= $1 AND event_time < $2 AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin' AND ($3::text IS NULL OR recipient_account_id = $3)`,
      [SCOPE.from, SCOPE.to, account ?? null],
    );
    if (!account) assert.ok(rawLogins[0].failures > 0 && rawLogins[0].withoutMfa > 0 && rawLogins[0].successes > rawLogins[0].withoutMfa, `${label}: sign-ins of every kind`);
    assert.deepEqual(
      { consoleLogins: logins.consoleLogins, successes: logins.successes, failures: logins.failures, withoutMfa: logins.withoutMfa },
      rawLogins[0],
      `${label}: Login KPIs${account ? " of one account" : ""}`,
    );
  }
  const loginSeries = await loginsOverTime(SCOPE, db.pool);
  const rawLoginSeries = await rawCounts(
    `SELECT to_char(date_trunc('hour', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') || ' ' || response_console_login AS k, count(*) AS n FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin' GROUP BY 1`,
  );
  const perResult = new Map(
    loginSeries.points.flatMap((p) =>
      (["success", "failure"] as const).filter((r) => p[r] > 0).map((r) => [`${p.bucketStart.toISOString().slice(0, 13)} ${r === "success" ? "Success" : "Failure"}`, p[r]] as const),
    ),
  );
  assert.deepEqual(perResult, rawLoginSeries, `${label}: sign-ins per hour and result`);
}

async function assertFlowPanelsEqualRaw(label: string): Promise<void> {
  const traffic = await trafficOverTime(SCOPE, db.pool);
  const rawTraffic = await rawCounts(
    `SELECT to_char(date_trunc('hour', start AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS k, sum(bytes) AS n FROM flow_records
      WHERE start >= $1 AND start < $2 AND action = 'ACCEPT' GROUP BY 1 HAVING sum(bytes) > 0`,
  );
  assert.deepEqual(new Map(traffic.points.filter((p) => p.acceptedBytes > 0).map((p) => [p.bucketStart.toISOString().slice(0, 13), p.acceptedBytes])), rawTraffic, `${label}: accepted bytes per hour`);

  // Of every account (the `actions` rollup) and of one (`traffic`).
  for (const account of [undefined, B]) {
    const { kpis } = await networkKpis({ ...SCOPE, account }, db.pool);
    const raw = await db.pool.query(
      `SELECT count(*) FILTER (WHERE log_status = 'OK') AS flows, count(*) FILTER (WHERE action = 'REJECT') AS rejected,
              coalesce(sum(bytes) FILTER (WHERE action = 'REJECT'), 0) AS rejected_bytes
         FROM flow_records WHERE start >= $1 AND start < $2 AND ($3::text IS NULL OR account_id = $3)`,
      [SCOPE.from, SCOPE.to, account ?? null],
    );
    assert.deepEqual(
      { flows: kpis.flows, rejected: kpis.rejected, bytesRejected: kpis.bytesRejected },
      { flows: Number(raw.rows[0].flows), rejected: Number(raw.rows[0].rejected), bytesRejected: Number(raw.rows[0].rejected_bytes) },
      `${label}: network KPIs${account ? " of one account" : ""}`,
    );
  }

  const interfaces = await trafficByInterface({ ...SCOPE, limit: 100 }, db.pool);
  const { rows: rawInterfaces } = await db.pool.query(
    `SELECT interface_id AS k, sum(bytes)::bigint AS bytes, count(*)::int AS flows, (count(*) FILTER (WHERE action = 'REJECT'))::int AS rejected
       FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK' GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  assert.deepEqual(
    new Map(interfaces.map((r) => [r.key.eni, [r.values.bytes, r.values.flows, r.values.rejected]])),
    new Map(rawInterfaces.map((r) => [r.k, [Number(r.bytes), r.flows, r.rejected]])),
    `${label}: traffic per interface`,
  );

  const direction = await trafficByDirection(SCOPE, db.pool);
  const rawDirection = await rawCounts(`SELECT flow_direction AS k, sum(packets) AS n FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK' GROUP BY 1`);
  assert.deepEqual(new Map(direction.map((r) => [String(r.key.direction), r.values.packets])), rawDirection, `${label}: packets by direction`);
}

async function assertAllEqualRaw(label: string): Promise<void> {
  await assertPanelsEqualRaw(label);
  await assertFlowPanelsEqualRaw(label);
}

before(async () => {
  db = await createTestDatabase("report_rollups");
  await ingestCloudTrail(db.pool, EVENTS.slice(0, 200), cloudTrailKey(A, "us-east-1"));
  await ingestCloudTrail(db.pool, EVENTS.slice(200), cloudTrailKey(A, "us-east-1"));
  await ingestFlowLog(db.pool, flowFile(FLOWS.slice(0, 150)), flowKey(A, "us-east-1"));
  await ingestFlowLog(db.pool, flowFile(FLOWS.slice(150)), flowKey(B, "eu-west-1"));
});
after(() => db.drop());

/** Adds `delta` to one stored rollup row of `rollup` at `grain` whose bucket is `bucket` (and, for flows, whose action and log-status are these): never done outside this test. */
async function nudge(table: string, rollup: string, grain: string, bucket: string, delta: number, flow?: { action: string; status: string; account?: string }): Promise<void> {
  const { rowCount } = await db.pool.query(
    `UPDATE ${table} SET records = records + $4
      WHERE id = (SELECT min(id) FROM ${table} WHERE rollup = $1 AND grain = $2 AND bucket = $3${flow ? " AND action = $5 AND log_status = $6 AND ($7::text IS NULL OR account_id = $7)" : ""})`,
    [rollup, grain, bucket, delta, ...(flow ? [flow.action, flow.status, flow.account ?? null] : [])],
  );
  assert.equal(rowCount, 1, `a ${rollup} ${grain} row at ${bucket}`);
}

/** Every CloudTrail leader board (lib/reports/leaders.ts LEADER_BOARDS), by name: what an upgrade ends with. */
const CLOUDTRAIL_BOARDS = LEADER_BOARDS.filter((b) => b.source === "cloudtrail").map((b) => b.name).sort();

/** refreshRollups as the versions before the sign-in sightings (20261209060000_sign_in_sightings) ran it. */
async function refreshBeforeSightings(pool: pg.Pool): Promise<void> {
  await pool.query("SELECT trailwatch_refresh_rollups()");
  await refreshFlowLeaders(pool);
  await refreshBucketCallers(pool);
  await refreshCloudTrailLeaders(pool);
}

describe("report rollups", () => {
  it("serve the panels from rollup rows, with the numbers of the raw rows", async () => {
    await assertAllEqualRaw("after ingest");
    const dirty = await db.pool.query("SELECT count(*)::int AS n FROM rollup_dirty_hours");
    assert.equal(dirty.rows[0].n, 0, "a read refreshes every dirty hour first");
  });

  it("hold exactly the rollups of the catalogue, each with only its own fields", async () => {
    const columns: Record<string, string[]> = {
      cloudtrail_rollup: [
        ...["recipient_account_id", "aws_region", "event_source", "event_name", "read_only", "error_code", "user_identity_arn", "source_ip_address", "request_bucket_name"],
        ...["additional_bytes_transferred_out", "user_identity_user_name", "user_identity_invoked_by", "request_role_arn", "request_role_session_name", "request_source_identity"],
        ...["user_identity_type", "response_console_login", "additional_mfa_used"],
      ],
      flow_rollup: ["account_id", "region", "action", "log_status", "flow_direction", "vpc_id", "subnet_id", "interface_id", "bytes", "packets"],
    };
    const columnOf: Record<string, string> = {
      recipientAccountId: "recipient_account_id", awsRegion: "aws_region", eventSource: "event_source", eventName: "event_name", readOnly: "read_only", errorCode: "error_code",
      "userIdentity.arn": "user_identity_arn", sourceIPAddress: "source_ip_address", "requestParameters.bucketName": "request_bucket_name", "additionalEventData.bytesTransferredOut": "additional_bytes_transferred_out",
      "userIdentity.userName": "user_identity_user_name", "userIdentity.invokedBy": "user_identity_invoked_by", "requestParameters.roleArn": "request_role_arn", "requestParameters.roleSessionName": "request_role_session_name",
      "requestParameters.sourceIdentity": "request_source_identity",
      "userIdentity.type": "user_identity_type", "responseElements.ConsoleLogin": "response_console_login", "additionalEventData.MFAUsed": "additional_mfa_used",
      "account-id": "account_id", region: "region", action: "action", "log-status": "log_status", "flow-direction": "flow_direction",
      "vpc-id": "vpc_id", "subnet-id": "subnet_id", "interface-id": "interface_id", bytes: "bytes", packets: "packets",
    };
    const stored: string[] = [];
    for (const [table, cols] of Object.entries(columns)) {
      const { rows } = await db.pool.query(
        `SELECT rollup, grain, ${cols.map((c) => `bool_or(${c} IS NOT NULL) AS "${c}"`).join(", ")} FROM ${table} GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      for (const r of rows) {
        stored.push(`${r.rollup}/${r.grain}`);
        const rollup = ROLLUPS.find((x) => x.name === r.rollup);
        assert.ok(rollup, `${table} holds rollup ${r.rollup}, which lib/reports/rollups.ts does not list`);
        const kept = [...rollup.fields, ...rollup.sums].map((f) => columnOf[f]);
        assert.deepEqual(cols.filter((c) => r[c]), cols.filter((c) => kept.includes(c)), `${r.rollup}/${r.grain} fills exactly its fields' and sums' columns`);
      }
    }
    const grains = (r: Rollup) => [...(r.fiveMinutes ? ["5min"] : []), "hour", ...(r.daily ? ["6h", "day", "week"] : [])];
    const listed = ROLLUPS.flatMap((r) => grains(r).map((g) => `${r.name}/${g}`));
    assert.deepEqual(stored.sort(), listed.sort(), "every rollup of the catalogue is built at its grains");
  });

  it("are what the panels read: a changed hour, 6-hour and day row all show", async () => {
    const total = async () => (await topEventNames({ ...SCOPE, limit: 100 }, db.pool)).reduce((sum, r) => sum + r.count, 0);
    const before = await total();
    // 2026-11-19 is the scope's whole day (day rows); 2026-11-20 00:00-18:00 its whole quarters of a day after it
    // (6-hour rows), 18:00-21:00 its whole hours after those (hour rows).
    await nudge("cloudtrail_rollup", "names", "day", "2026-11-19", 1000);
    await nudge("cloudtrail_rollup", "names", "6h", "2026-11-20 06:00", 100);
    await nudge("cloudtrail_rollup", "names", "hour", "2026-11-20 19:00", 10);
    assert.equal(await total(), before + 1110);
    await nudge("cloudtrail_rollup", "names", "day", "2026-11-19", -1000);
    await nudge("cloudtrail_rollup", "names", "6h", "2026-11-20 06:00", -100);
    await nudge("cloudtrail_rollup", "names", "hour", "2026-11-20 19:00", -10);
    assert.equal(await total(), before);
    // The partial hours at the range's edges read the narrow rollups' 5-minute rows (03:20-04:00 and 21:00-21:40).
    for (const [from, to] of [["2026-11-18 03:20", "2026-11-18 04:00"], ["2026-11-20 21:00", "2026-11-20 21:40"]]) {
      const { rows } = await db.pool.query(
        `SELECT min(bucket)::text AS bucket FROM cloudtrail_rollup WHERE rollup = 'names' AND grain = '5min' AND bucket >= $1 AND bucket < $2`,
        [from, to],
      );
      await nudge("cloudtrail_rollup", "names", "5min", rows[0].bucket, 3);
      assert.equal(await total(), before + 3, `names 5-minute rows between ${from} and ${to} are read`);
      await nudge("cloudtrail_rollup", "names", "5min", rows[0].bucket, -3);
    }

    // Top principals of one account read `principals`' day rows; over every account, top principals and source
    // addresses read their leader boards' (lib/reports/leaders.ts), which the refresh builds from those rollups.
    const principalsOfA = async () => (await topPrincipals({ ...SCOPE, account: A, limit: 100 }, db.pool)).reduce((n, r) => n + r.count, 0);
    const principalCalls = await principalsOfA();
    const nudgeOfA = (delta: number) =>
      db.pool.query(
        `UPDATE cloudtrail_rollup SET records = records + $1
          WHERE id = (SELECT min(id) FROM cloudtrail_rollup WHERE rollup = 'principals' AND grain = 'day' AND bucket = '2026-11-19' AND recipient_account_id = $2)`,
        [delta, A],
      );
    await nudgeOfA(5);
    assert.equal(await principalsOfA(), principalCalls + 5, "principals day rows are read");
    await nudgeOfA(-5);
    for (const [board, panel] of [["principals", topPrincipals], ["sources", topSourceIps]] as const) {
      const sum = async () => (await panel({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.count, 0);
      const was = await sum();
      const nudgeBoard = (delta: number) =>
        db.pool.query(
          `UPDATE cloudtrail_leaders SET records = records + $1
            WHERE id = (SELECT min(id) FROM cloudtrail_leaders WHERE board = $2 AND grain = 'day' AND bucket = '2026-11-19' AND rank = 1)`,
          [delta, board],
        );
      await nudgeBoard(5);
      assert.equal(await sum(), was + 5, `the ${board} board's day rows are read`);
      await nudgeBoard(-5);
    }

    // The busiest buckets: the `buckets` board's day rows (built from the `buckets` rollup's).
    const bucketCalls = async () => (await topBuckets({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.requests, 0);
    const calls = await bucketCalls();
    const nudgeBuckets = (delta: number) =>
      db.pool.query(
        `UPDATE cloudtrail_leaders SET records = records + $1 WHERE id = (SELECT min(id) FROM cloudtrail_leaders WHERE board = 'buckets' AND rank = 1 AND grain = 'day' AND bucket = '2026-11-19')`,
        [delta],
      );
    await nudgeBuckets(4);
    assert.equal(await bucketCalls(), calls + 4, "the buckets board's day rows are read");
    await nudgeBuckets(-4);

    // Refusals per principal, who changed IAM, sign-ins per user, address and role session, and S3's refusals per
    // bucket and caller: the boards' day rows built from the slices' rows.
    const sliceBoards = [
      ["refusals", "records", async () => (await accessDeniedByPrincipal({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.denied, 0)],
      ["iam-changes", "c1", async () => (await iamChangesByPrincipal({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.changes, 0)],
      ["logins-by-user", "records", async () => (await loginsByUser({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.logins, 0)],
      ["logins-by-source", "records", async () => (await loginsBySourceIp({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.logins, 0)],
      ["federated-logins", "records", async () => (await ssoSignIns({ ...SCOPE, limit: 100 }, db.pool)).federated.reduce((n, r) => n + r.values.logins, 0)],
      ["s3-refusals", "records", async () => (await s3AccessDenied({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.denied, 0)],
    ] as const;
    for (const [board, column, sum] of sliceBoards) {
      const was = await sum();
      const nudgeBoard = (delta: number) =>
        db.pool.query(
          `UPDATE cloudtrail_leaders SET ${column} = ${column} + $1 WHERE id = (SELECT min(id) FROM cloudtrail_leaders WHERE board = $2 AND rank = 1 AND grain = 'day' AND bucket = '2026-11-19')`,
          [delta, board],
        );
      await nudgeBoard(3);
      assert.equal(await sum(), was + 3, `the ${board} board's day rows are read`);
      await nudgeBoard(-3);
    }

    const assumed = async () => (await assumeRoleActivity({ ...SCOPE, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.calls, 0);
    const assumedCalls = await assumed();
    await nudge("cloudtrail_rollup", "sessions", "day", "2026-11-19", 6);
    assert.equal(await assumed(), assumedCalls + 6, "sessions day rows are read");
    await nudge("cloudtrail_rollup", "sessions", "day", "2026-11-19", -6);

    // Traffic per interface reads the `interfaces` rollup with an account filter (else its leader board).
    const perInterface = async () => (await trafficByInterface({ ...SCOPE, account: A, limit: 100 }, db.pool)).reduce((n, r) => n + r.values.flows, 0);
    const interfaceFlows = await perInterface();
    await nudge("flow_rollup", "interfaces", "day", "2026-11-19", 3, { action: "ACCEPT", status: "OK", account: A });
    assert.equal(await perInterface(), interfaceFlows + 3, "interfaces day rows are read");
    await nudge("flow_rollup", "interfaces", "day", "2026-11-19", -3, { action: "ACCEPT", status: "OK", account: A });

    // The network tiles read `actions` over every account and `traffic` for one.
    for (const [rollup, account] of [["actions", undefined], ["traffic", B]] as const) {
      const flows = async () => (await networkKpis({ ...SCOPE, account }, db.pool)).kpis.rejected;
      const rejected = await flows();
      await nudge("flow_rollup", rollup, "day", "2026-11-19", 7, { action: "REJECT", status: "OK", account });
      assert.equal(await flows(), rejected + 7, `${rollup} day rows are read`);
      await nudge("flow_rollup", rollup, "day", "2026-11-19", -7, { action: "REJECT", status: "OK", account });
      assert.equal(await flows(), rejected);

      // The partial hours at the range's edges read the flows' 5-minute rows (03:20-04:00 and 21:00-21:40).
      const okFlows = async () => (await networkKpis({ ...SCOPE, account }, db.pool)).kpis.flows;
      const ok = await okFlows();
      for (const [from, to] of [["2026-11-18 03:20", "2026-11-18 04:00"], ["2026-11-20 21:00", "2026-11-20 21:40"]]) {
        const { rows } = await db.pool.query(
          `SELECT bucket::text, action FROM flow_rollup
            WHERE rollup = $3 AND grain = '5min' AND bucket >= $1 AND bucket < $2 AND log_status = 'OK' AND ($4::text IS NULL OR account_id = $4)
            ORDER BY 1, 2 LIMIT 1`,
          [from, to, rollup, account ?? null],
        );
        const { bucket, action } = rows[0];
        await nudge("flow_rollup", rollup, "5min", bucket, 2, { action, status: "OK", account });
        assert.equal(await okFlows(), ok + 2, `${rollup} 5-minute rows between ${from} and ${to} are read`);
        await nudge("flow_rollup", rollup, "5min", bucket, -2, { action, status: "OK", account });
      }
    }
  });

  it("are read one partition each: a panel scans only its rollup's rows", async () => {
    const partitionsOf = async (table: string) =>
      (await db.pool.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`, [table])).rows.map((r) => r.relname as string);
    const partitions = [...(await partitionsOf("cloudtrail_rollup")), ...(await partitionsOf("flow_rollup"))];
    assert.ok(ROLLUPS.every((r) => partitions.includes(`${r.source === "cloudtrail" ? "cloudtrail" : "flow"}_rollup_${r.name}`)), "a partition per rollup");
    const plans: string[] = [];
    for (const [panel, rollup] of [
      [() => topPrincipals({ ...SCOPE, account: A, limit: 10 }, explaining(db.pool, plans)), "cloudtrail_rollup_principals"],
      [() => trafficByInterface({ ...SCOPE, account: A }, explaining(db.pool, plans)), "flow_rollup_interfaces"],
      // Every tile of the Login audit, sign-ins over time: the `logins` rollup (each tile lies within its records).
      [() => loginKpis(SCOPE, explaining(db.pool, plans)), "cloudtrail_rollup_logins"],
      [() => loginsOverTime(SCOPE, explaining(db.pool, plans)), "cloudtrail_rollup_logins"],
      // The S3 tiles, bytes out included (anonymous calls read their slice, not a rollup).
      [() => s3Kpis(SCOPE, explaining(db.pool, plans)), "cloudtrail_rollup_activity"],
      // Traffic over every account reads `actions`; of one account, `traffic`.
      [() => trafficOverTime(SCOPE, explaining(db.pool, plans)), "flow_rollup_actions"],
      [() => trafficOverTime({ ...SCOPE, account: B }, explaining(db.pool, plans)), "flow_rollup_traffic"],
    ] as const) {
      plans.length = 0;
      await panel();
      assert.deepEqual(partitions.filter((p) => plans.some((plan) => plan.includes(`"${p}"`))), [rollup]);
    }
  });

  it("stays exact when a file is re-delivered with events already stored", async () => {
    // Another object holding events already stored (ON CONFLICT DO NOTHING) plus two new ones.
    await ingestCloudTrail(db.pool, [...EVENTS.slice(100, 160), event(10_001, 600), event(10_002, 601)], cloudTrailKey(A, "us-east-1"));
    // (A flow-log object delivered twice is refused by the ledger before any row: test/integration covers it.)
    await ingestFlowLog(db.pool, flowFile([flowLine(30_001, 610), flowLine(30_002, 1500)]), flowKey(A, "us-east-1"));
    await assertAllEqualRaw("after duplicates");
  });

  it("stays exact when late data arrives for hours already rolled up, at the range's edges too", async () => {
    // 04:00–05:00 of day 0 (a rolled-up hour), 03:20 (the partial first hour), the last full hour, and before the range.
    await ingestCloudTrail(db.pool, [event(20_001, 4 * 60 + 5), event(20_002, 3 * 60 + 20), event(20_003, 2 * 1440 + 20 * 60 + 59), event(20_004, 3 * 60 + 1)], cloudTrailKey(B, "eu-west-1"));
    // Late flows inside the whole day (its day row is rebuilt), in the partial first hour (a 5-minute row at 03:20,
    // raw records at 03:18), and in the last whole hour.
    const late = [flowLine(40_001, 1440 + 600), flowLine(40_002, 3 * 60 + 20), flowLine(40_004, 3 * 60 + 18), flowLine(40_003, 2 * 1440 + 20 * 60 + 59)];
    await ingestFlowLog(db.pool, flowFile(late), flowKey(B, "eu-west-1"));
    await assertAllEqualRaw("after late data");
  });

  it("stays exact after retention deletes the oldest events", async () => {
    // Retention of 2 days as of 2026-11-20 11:30 cuts inside an hour (11:30 on day 0) of the range.
    const deleted = await enforceRetention(db.pool, { cloudtrail: 2, vpcflow: 2 }, new Date(DAY0 + 2 * 86_400_000 + 11.5 * 3_600_000));
    assert.deepEqual(deleted.map((d) => d.rowsDeleted > 0), [true, true], "retention deleted events and flow records");
    await assertAllEqualRaw("after retention");
    for (const table of ["cloudtrail_rollup", "flow_rollup"]) {
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE (grain = 'hour' AND bucket < '2026-11-18 11:00') OR (grain = '5min' AND bucket < '2026-11-18 11:30')`,
      );
      assert.equal(rows[0].n, 0, `no ${table} hour or 5-minute rows remain for the times retention emptied`);
    }
  });
});

describe("report rollups over weeks", () => {
  // Three weeks before the data above (retention has cut everything before 2026-11-18 11:30 by now): a range from
  // Friday 2026-10-30 05:41 to Tuesday 2026-11-17 19:07 holds the whole weeks of Monday 2 and Monday 9 November,
  // the whole days around them, whole hours and partial hours at both edges.
  const WIDE = { from: new Date("2026-10-30T05:41:00Z"), to: new Date("2026-11-17T19:07:00Z") };
  const start = Date.parse("2026-10-29T00:00:00Z");
  const minutesFromDay0 = (ms: number) => (ms - DAY0) / 60_000;

  before(async () => {
    const events = Array.from({ length: Math.floor((20 * 1440) / 17) }, (_, n) => event(60_000 + n, minutesFromDay0(start) + n * 17));
    for (let i = 0; i < events.length; i += 500) await ingestCloudTrail(db.pool, events.slice(i, i + 500), cloudTrailKey(A, "us-east-1"));
    const flows = Array.from({ length: Math.floor((20 * 1440) / 19) }, (_, n) => flowLine(70_000 + n, minutesFromDay0(start) + n * 19));
    await ingestFlowLog(db.pool, flowFile(flows), flowKey(A, "us-east-1"));
  });

  it("give the raw rows' numbers over a range holding whole weeks", async () => {
    const raw = async (sql: string) => {
      const { rows } = await db.pool.query(sql, [WIDE.from, WIDE.to]);
      return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
    };
    const names = await topEventNames({ ...WIDE, limit: 100 }, db.pool);
    assert.deepEqual(new Map(names.map((r) => [r.value, r.count])), await raw(`SELECT event_name AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`));
    const principals = await topPrincipals({ ...WIDE, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(principals.map((r) => [r.value, r.count])),
      await raw(`SELECT user_identity_arn AS k, count(*) AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_arn IS NOT NULL GROUP BY 1`),
    );
    const { kpis } = await overviewKpis(WIDE, db.pool);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS events, count(DISTINCT user_identity_arn)::int AS principals, count(DISTINCT source_ip_address)::int AS ips
         FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2`,
      [WIDE.from, WIDE.to],
    );
    assert.deepEqual({ events: kpis.events, principals: kpis.principals, sourceIps: kpis.sourceIps }, { events: rows[0].events, principals: rows[0].principals, sourceIps: rows[0].ips });
    const interfaces = await trafficByInterface({ ...WIDE, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(interfaces.map((r) => [r.key.eni, r.values.bytes])),
      await raw(`SELECT interface_id AS k, sum(bytes) AS n FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK' GROUP BY 1`),
    );
    // Daily buckets never read week rows.
    const days = await eventsOverTime({ ...WIDE, bucket: "day" }, db.pool);
    assert.deepEqual(
      new Map(days.filter((p) => p.read > 0).map((p) => [p.bucketStart.toISOString().slice(0, 10), p.read])),
      await raw(
        `SELECT to_char(date_trunc('day', event_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS k, count(*) AS n FROM cloudtrail_events
          WHERE event_time >= $1 AND event_time < $2 AND read_only IS TRUE GROUP BY 1`,
      ),
    );
  });

  it("read the week rows for whole weeks, and day rows beside them", async () => {
    const total = async () => (await topEventNames({ ...WIDE, limit: 100 }, db.pool)).reduce((sum, r) => sum + r.count, 0);
    const before = await total();
    await nudge("cloudtrail_rollup", "names", "week", "2026-11-02", 100);
    await nudge("cloudtrail_rollup", "names", "day", "2026-11-16", 1);
    // A day row inside a whole week is not read: the week row stands for it.
    await nudge("cloudtrail_rollup", "names", "day", "2026-11-10", 10_000);
    assert.equal(await total(), before + 101);
    await nudge("cloudtrail_rollup", "names", "week", "2026-11-02", -100);
    await nudge("cloudtrail_rollup", "names", "day", "2026-11-16", -1);
    await nudge("cloudtrail_rollup", "names", "day", "2026-11-10", -10_000);
    assert.equal(await total(), before);
  });

  it("are rebuilt when late data arrives for a day inside a week", async () => {
    await ingestCloudTrail(db.pool, [event(90_001, minutesFromDay0(Date.parse("2026-11-11T12:34:00Z")))], cloudTrailKey(B, "eu-west-1"));
    const names = await topEventNames({ ...WIDE, limit: 100 }, db.pool);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2`, [WIDE.from, WIDE.to]);
    assert.equal(names.reduce((sum, r) => sum + r.count, 0), rows[0].n);
  });
});

describe("report rollups kept fresh and upgraded", () => {
  it("are refreshed by the worker's background job, before any report read", async () => {
    await ingestCloudTrail(db.pool, [event(50_001, 1440 + 100), event(50_002, 1440 + 101)], cloudTrailKey(A, "us-east-1"));
    const dirty = async () => (await db.pool.query("SELECT count(*)::int AS n FROM rollup_dirty_hours")).rows[0].n as number;
    assert.ok((await dirty()) > 0, "the ingest marked its hour");
    const stop = new AbortController();
    const job = startRollupRefresh({ pool: db.pool, log: silentLog, signal: stop.signal, everyMs: 20 });
    for (let i = 0; i < 200 && (await dirty()) > 0; i++) await new Promise((r) => setTimeout(r, 25));
    stop.abort();
    await job.done;
    assert.equal(await dirty(), 0, "the job took the marks");
    // Read the rollup table itself (a panel would refresh on its own): the day holds the raw count.
    const { rows } = await db.pool.query(
      `SELECT (SELECT sum(records) FROM cloudtrail_rollup WHERE rollup = 'activity' AND grain = 'day' AND bucket = '2026-11-19')::int AS rolled,
              (SELECT count(*) FROM cloudtrail_events WHERE event_time >= '2026-11-19T00:00Z' AND event_time < '2026-11-20T00:00Z')::int AS raw`,
    );
    assert.equal(rows[0].rolled, rows[0].raw);
  });

  it("are refreshed in the background only once loading has paused, or the last refresh is old enough", async () => {
    const dirty = async () => (await db.pool.query("SELECT count(*)::int AS n FROM rollup_dirty_hours")).rows[0].n as number;
    const until = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await done()); i++) await new Promise((r) => setTimeout(r, 25));
    };
    for (const maxDeferMs of [60_000, 150]) {
      let loading = false;
      const stop = new AbortController();
      const job = startRollupRefresh({ pool: db.pool, log: silentLog, signal: stop.signal, everyMs: 20, busy: () => loading, maxDeferMs });
      try {
        await until(async () => (await dirty()) === 0);
        loading = true;
        await ingestCloudTrail(db.pool, [event(60_000 + maxDeferMs, 1440 + 102)], cloudTrailKey(A, "us-east-1"));
        // A dozen ticks while loading: with a minute's deferral allowed the hour waits; with 150 ms it does not.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(await dirty(), maxDeferMs === 60_000 ? 1 : 0, `deferred at most ${maxDeferMs} ms`);
        loading = false;
        await until(async () => (await dirty()) === 0);
        assert.equal(await dirty(), 0, "refreshed once loading paused");
      } finally {
        stop.abort();
        await job.done;
      }
    }
  });

  it("are built from the rows a database held before the migration that adds them", async () => {
    // The migrations before the first rollup one.
    await withDatabaseBefore("20261204120000_report_rollups", async (upgraded, upgrade) => {
      // Rows as an earlier version stored them: 3 days of events and flow records, no rollup anywhere.
      await upgraded.query(
        `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, raw, event_source, event_name, read_only)
         SELECT '111122223333', 'old-' || n, $1::timestamptz + n * interval '7 minutes', '{}'::jsonb, 'iam.amazonaws.com', CASE WHEN n % 3 = 0 THEN 'CreateUser' ELSE 'ListUsers' END, n % 3 <> 0
           FROM generate_series(0, 600) n`,
        [new Date(DAY0)],
      );
      await upgraded.query(
        `INSERT INTO ingest_objects (id, bucket, key, etag, size, kind, status, records_stored, first_seen_at, started_at, finished_at, duration_ms)
         VALUES (1, 'b', 'AWSLogs/111122223333/vpcflowlogs/us-east-1/old.log', 'e', 1, 'vpcflow', 'done', 401, now(), now(), now(), 1)`,
      );
      await upgraded.query(
        `INSERT INTO flow_records (object_id, line_number, start, bytes, packets, action, log_status)
         SELECT 1, n, $1::timestamptz + n * interval '9 minutes', n * 10, n, CASE WHEN n % 4 = 0 THEN 'REJECT' ELSE 'ACCEPT' END, 'OK'
           FROM generate_series(0, 400) n`,
        [new Date(DAY0)],
      );
      const applied = await upgrade();
      assert.deepEqual(applied.slice(0, 2), ["20261204120000_report_rollups", "20261206100000_report_rollups_actors_slices"]);
      const names = await topEventNames({ ...SCOPE, limit: 10 }, upgraded);
      const raw = await upgraded.query(`SELECT event_name AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`, [SCOPE.from, SCOPE.to]);
      assert.deepEqual(new Map(names.map((r) => [r.value, r.count])), new Map(raw.rows.map((r) => [r.k, r.n])));
      const { kpis } = await networkKpis(SCOPE, upgraded);
      const flows = await upgraded.query(`SELECT count(*) FILTER (WHERE action = 'REJECT')::int AS n FROM flow_records WHERE start >= $1 AND start < $2`, [SCOPE.from, SCOPE.to]);
      assert.equal(kpis.rejected, flows.rows[0].n);
      assert.equal(await refreshRollups(upgraded), 0, "the first read built every hour");
    });
  });

  it("gain the buckets rollup and the cross-account slice for rows already rolled up, with no refresh left to do", async () => {
    await withDatabaseBefore("20261206140000_s3_report_rollup_slice", async (upgraded, upgrade) => {
      // S3 downloads over 3 days in 4 buckets, every fifth by another account, rolled up by the refresh of that version.
      await upgraded.query(
        `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, user_identity_account_id, raw, event_source, event_name, read_only)
         SELECT '111122223333', 'get-' || n, $1::timestamptz + n * interval '7 minutes', CASE WHEN n % 5 = 0 THEN '999988887777' ELSE '111122223333' END,
                jsonb_build_object('requestParameters', jsonb_build_object('bucketName', 'b' || n % 4), 'additionalEventData', jsonb_build_object('bytesTransferredOut', n * 10)),
                's3.amazonaws.com', 'GetObject', true
           FROM generate_series(0, 600) n`,
        [new Date(DAY0)],
      );
      await upgraded.query("INSERT INTO rollup_dirty_hours (source, hour) SELECT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events");
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261206140000_s3_report_rollup_slice"]);
      // (Later migrations mark hours for boards they add; the rollups themselves have nothing left to rebuild.)
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const buckets = await topBuckets({ ...SCOPE, limit: 10 }, upgraded);
      const raw = await upgraded.query(
        `SELECT request_bucket_name AS k, count(*)::int AS n, sum(trailwatch_numeric(additional_bytes_transferred_out))::bigint AS bytes FROM cloudtrail_events
          WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`,
        [SCOPE.from, SCOPE.to],
      );
      assert.deepEqual(new Map(buckets.map((r) => [r.key.bucket, [r.values.requests, r.values.bytesOut]])), new Map(raw.rows.map((r) => [r.k, [r.n, Number(r.bytes)]])));
      // (Its 5-minute and 6-hour rows come from 20261207000000_cloudtrail_five_minute_rows and 20261207010000_rollup_six_hour_rows.)
      const grains = await upgraded.query("SELECT DISTINCT grain FROM cloudtrail_rollup WHERE rollup = 'buckets' ORDER BY 1");
      assert.deepEqual(grains.rows.map((r) => r.grain), ["5min", "6h", "day", "hour", "week"]);
      const cross = await upgraded.query(
        `SELECT count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_account_id <> recipient_account_id`,
        [SCOPE.from, SCOPE.to],
      );
      assert.ok(cross.rows[0].n > 0);
      assert.equal(await crossAccountCalls(SCOPE, upgraded), cross.rows[0].n, "cross-account calls, from the slice");
    });
  });

  it("gain the sessions rollup for role assumptions already rolled up, with no refresh left to do", async () => {
    await withDatabaseBefore("20261206190000_assume_role_sessions_rollup", async (upgraded, upgrade) => {
      // AssumeRole calls over 3 days: 4 roles, 6 session names, every ninth refused; rolled up by that version's refresh.
      await upgraded.query(
        `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, user_identity_arn, error_code, raw, event_source, event_name, read_only)
         SELECT '111122223333', 'assume-' || n, $1::timestamptz + n * interval '7 minutes', 'arn:aws:iam::111122223333:user/u' || n % 3,
                CASE WHEN n % 9 = 0 THEN 'AccessDenied' END,
                jsonb_build_object('requestParameters', jsonb_build_object('roleArn', 'arn:aws:iam::111122223333:role/r' || n % 4, 'roleSessionName', 's' || n % 6)),
                'sts.amazonaws.com', 'AssumeRole', false
           FROM generate_series(0, 600) n`,
        [new Date(DAY0)],
      );
      await upgraded.query("INSERT INTO rollup_dirty_hours (source, hour) SELECT 'cloudtrail', date_trunc('hour', event_time AT TIME ZONE 'UTC') FROM cloudtrail_events");
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261206190000_assume_role_sessions_rollup"]);
      // (Later migrations mark hours for boards they add; the rollups themselves have nothing left to rebuild.)
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const grains = await upgraded.query("SELECT DISTINCT grain FROM cloudtrail_rollup WHERE rollup = 'sessions' ORDER BY 1");
      assert.deepEqual(grains.rows.map((r) => r.grain), ["6h", "day", "hour", "week"]);
      const sessions = await assumeRoleActivity({ ...SCOPE, limit: 100 }, upgraded);
      const raw = await upgraded.query(
        `SELECT request_role_arn || ' ' || request_role_session_name || ' ' || user_identity_arn AS k, count(*)::int AS n, (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS failed
           FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`,
        [SCOPE.from, SCOPE.to],
      );
      assert.equal(raw.rows.length, 12);
      assert.deepEqual(
        new Map(sessions.map((r) => [`${r.key.role} ${r.key.session} ${r.key.caller}`, [r.values.calls, r.values.failures]])),
        new Map(raw.rows.map((r) => [r.k, [r.n, r.failed]])),
      );
    });
  });

  it("gain 5-minute flow rows and boards for hours already rolled up, at the next refresh", async () => {
    await withDatabaseBefore("20261206200000_flow_five_minute_rows", async (upgraded, upgrade) => {
      await ingestFlowLog(upgraded, flowFile(FLOWS), flowKey(A, "us-east-1"));
      // That version's refresh: hour, day and week rows and hour boards, no 5-minute rows.
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      await upgraded.query("SELECT trailwatch_refresh_flow_leaders($1::inet[], $2::int[], 200)", [PRIVATE_NETWORKS, [...REMOTE_ADMIN_PORTS]]);
      const fiveMinuteRows = async () =>
        (await upgraded.query("SELECT (SELECT count(*) FROM flow_rollup WHERE grain = '5min')::int AS rollup, (SELECT count(*) FROM flow_leaders WHERE grain = '5min')::int AS boards")).rows[0];
      assert.deepEqual(await fiveMinuteRows(), { rollup: 0, boards: 0 });
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261206200000_flow_five_minute_rows"]);
      const hours = await upgraded.query("SELECT count(DISTINCT date_trunc('hour', start AT TIME ZONE 'UTC'))::int AS n FROM flow_records");
      assert.equal(await refreshRollups(upgraded), 2 * hours.rows[0].n, "every flow hour rebuilt, for its rollups and its boards");
      const built = await fiveMinuteRows();
      assert.ok(built.rollup > 0 && built.boards > 0, `5-minute rows built: ${JSON.stringify(built)}`);
      const { kpis } = await networkKpis(SCOPE, upgraded);
      const raw = await upgraded.query(`SELECT count(*)::int AS n FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK'`, [SCOPE.from, SCOPE.to]);
      assert.equal(kpis.flows, raw.rows[0].n);
    });
  });

  it("gain the flow boards' 6-hour and week rows for the hours and days already on them, with no refresh left to do", async () => {
    await withDatabaseBefore("20261209070000_flow_board_quarters_and_weeks", async (upgraded, upgrade) => {
      await ingestFlowLog(upgraded, flowFile(FLOWS), flowKey(A, "us-east-1"));
      // That version's refresh: 5-minute, hour and day rows.
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      await upgraded.query("SELECT trailwatch_refresh_flow_leaders($1::inet[], $2::int[], $3, $4)", [PRIVATE_NETWORKS, [...REMOTE_ADMIN_PORTS], LISTED, LISTED_FIVE_MINUTES]);
      const totals = async () =>
        (await upgraded.query("SELECT board, grain, sum(records)::int AS n FROM flow_leaders WHERE grain <> '5min' GROUP BY 1, 2 ORDER BY 1, 2")).rows;
      assert.deepEqual(new Set((await totals()).map((r) => r.grain)), new Set(["day", "hour"]));
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209070000_flow_board_quarters_and_weeks"]);
      assert.equal(await refreshFlowLeaders(upgraded), 0, "no flow hour was marked dirty");
      // Every board with rows (the fixture's sources are private: no remote admin, no scans) at every grain, each
      // grain's totals those of its hours.
      const after = await totals();
      const boards = [...new Set(after.map((r) => r.board))];
      assert.equal(boards.length, 5);
      assert.deepEqual(after.map((r) => `${r.board} ${r.grain}`), boards.flatMap((b) => ["6h", "day", "hour", "week"].map((g) => `${b} ${g}`)));
      for (const r of after) assert.equal(r.n, after.find((h) => h.board === r.board && h.grain === "hour")!.n, `${r.board} ${r.grain}`);
      // A range holding the whole week: the week lists its LISTED busiest pairs of the 368, each exact (every hour,
      // quarter and day listed all of theirs).
      const week = { from: new Date(DAY0 - 3 * 86_400_000 + 17 * 60_000), to: new Date(DAY0 + 6 * 86_400_000 + 43 * 60_000) };
      const talkers = await topTalkers({ ...week, by: "bytes", limit: 500 }, upgraded);
      const raw = await upgraded.query(
        `SELECT host(srcaddr) || ' ' || host(dstaddr) AS k, sum(bytes)::bigint AS bytes FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK' GROUP BY 1`,
        [week.from, week.to],
      );
      const truth = new Map(raw.rows.map((r) => [r.k, Number(r.bytes)]));
      assert.equal(talkers.length, LISTED);
      for (const r of talkers) assert.deepEqual([r.values.bytes, r.margin?.bytes], [truth.get(`${r.key.src} ${r.key.dst}`), 0]);
    });
  });

  it("gain 5-minute CloudTrail rows for hours already rolled up, with no refresh left to do", async () => {
    await withDatabaseBefore("20261207000000_cloudtrail_five_minute_rows", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      // That version's refresh: hour, day and week rows, no 5-minute rows.
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      const fiveMinuteRollups = async () =>
        (await upgraded.query("SELECT array_agg(DISTINCT rollup ORDER BY rollup) AS r FROM cloudtrail_rollup WHERE grain = '5min'")).rows[0].r ?? [];
      assert.deepEqual(await fiveMinuteRollups(), []);
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261207000000_cloudtrail_five_minute_rows"]);
      assert.deepEqual(await fiveMinuteRollups(), ROLLUPS.filter((r) => r.source === "cloudtrail" && r.fiveMinutes).map((r) => r.name).sort());
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const names = await topEventNames({ ...SCOPE, limit: 10 }, upgraded);
      const raw = await upgraded.query(`SELECT event_name AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 GROUP BY 1`, [SCOPE.from, SCOPE.to]);
      assert.deepEqual(new Map(names.map((r) => [r.value, r.count])), new Map(raw.rows.map((r) => [r.k, r.n])));
    });
  });

  it("gain the logins rollup for sign-ins already rolled up, at every grain, with no refresh left to do", async () => {
    await withDatabaseBefore("20261207030000_logins_rollup", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261207030000_logins_rollup"]);
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const grains = await upgraded.query("SELECT DISTINCT grain FROM cloudtrail_rollup WHERE rollup = 'logins' ORDER BY 1");
      assert.deepEqual(grains.rows.map((r) => r.grain), ["6h", "day", "hour", "week"]);
      // Over whole days and weeks too: the coarse rows the migration merged are the ones read.
      for (const scope of [SCOPE, { from: new Date(DAY0 - 7 * 86_400_000), to: new Date(DAY0 + 7 * 86_400_000) }]) {
        const { kpis } = await loginKpis(scope, upgraded);
        const raw = await upgraded.query(
          `SELECT count(*)::int AS n, (count(*) FILTER (WHERE response_console_login = 'Failure'))::int AS failed FROM cloudtrail_events
            WHERE event_time >= $1 AND event_time < $2 AND event_name = 'ConsoleLogin'`,
          [scope.from, scope.to],
        );
        assert.ok(raw.rows[0].n > 0);
        assert.deepEqual([kpis.consoleLogins, kpis.failures], [raw.rows[0].n, raw.rows[0].failed]);
      }
    });
  });

  it("gain the changers rollup for IAM changes already rolled up, at every grain, with no refresh left to do", async () => {
    await withDatabaseBefore("20261209040000_iam_changers_rollup", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209040000_iam_changers_rollup"]);
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const grains = await upgraded.query("SELECT DISTINCT grain FROM cloudtrail_rollup WHERE rollup = 'changers' ORDER BY 1");
      assert.deepEqual(grains.rows.map((r) => r.grain), ["6h", "day", "hour", "week"]);
      // Over a few hours, days and weeks: each reads its own grain's rows.
      const ranges = [SCOPE, { from: new Date(DAY0 + 3_600_000), to: new Date(DAY0 + 5 * 3_600_000) }, { from: new Date(DAY0 - 7 * 86_400_000), to: new Date(DAY0 + 14 * 86_400_000) }];
      for (const scope of ranges) {
        const { kpis } = await iamKpis(scope, upgraded);
        const raw = await upgraded.query(
          `SELECT count(DISTINCT user_identity_arn)::int AS n FROM cloudtrail_events
            WHERE event_time >= $1 AND event_time < $2 AND event_source = 'iam.amazonaws.com' AND read_only IS NOT TRUE AND error_code IS NULL`,
          [scope.from, scope.to],
        );
        assert.ok(raw.rows[0].n > 0);
        assert.equal(kpis.changers, raw.rows[0].n);
      }
    });
  });

  it("gain S3's bytes out in the activity rollup at every grain, with no refresh left to do", async () => {
    await withDatabaseBefore("20261207050000_activity_bytes_out", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      const summed = async () => (await upgraded.query("SELECT count(*)::int AS n FROM cloudtrail_rollup WHERE rollup = 'activity' AND additional_bytes_transferred_out > 0")).rows[0].n as number;
      assert.equal(await summed(), 0, "that version's activity rows sum no bytes");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261207050000_activity_bytes_out"]);
      assert.ok((await summed()) > 0);
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const grains = await upgraded.query("SELECT DISTINCT grain FROM cloudtrail_rollup WHERE rollup = 'activity' ORDER BY 1");
      assert.deepEqual(grains.rows.map((r) => r.grain), ["5min", "6h", "day", "hour", "week"]);
      // Over edges of minutes, whole days and whole weeks: every grain the migration rebuilt is read.
      for (const scope of [SCOPE, { from: new Date(DAY0 - 7 * 86_400_000), to: new Date(DAY0 + 7 * 86_400_000) }]) {
        const { kpis } = await s3Kpis(scope, upgraded);
        const raw = await upgraded.query(
          `SELECT (count(*) FILTER (WHERE event_name = 'GetObject'))::int AS gets, coalesce(sum(trailwatch_numeric(additional_bytes_transferred_out)), 0)::bigint AS bytes
             FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com'`,
          [scope.from, scope.to],
        );
        assert.ok(Number(raw.rows[0].bytes) > 0);
        assert.deepEqual([kpis.gets, kpis.bytesOut], [raw.rows[0].gets, Number(raw.rows[0].bytes)]);
      }
    });
  });

  it("gain the actions rollup for flow records already rolled up, at every grain, with no refresh left to do", async () => {
    await withDatabaseBefore("20261207060000_flow_actions_rollup", async (upgraded, upgrade) => {
      await ingestFlowLog(upgraded, flowFile(FLOWS), flowKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261207060000_flow_actions_rollup"]);
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const grains = await upgraded.query("SELECT DISTINCT grain FROM flow_rollup WHERE rollup = 'actions' ORDER BY 1");
      assert.deepEqual(grains.rows.map((r) => r.grain), ["5min", "6h", "day", "hour", "week"]);
      // Over edges of minutes, whole days and whole weeks: every grain the migration built is read.
      for (const scope of [SCOPE, { from: new Date(DAY0 - 7 * 86_400_000), to: new Date(DAY0 + 7 * 86_400_000) }]) {
        const { kpis } = await networkKpis(scope, upgraded);
        const raw = await upgraded.query(
          `SELECT count(*) FILTER (WHERE log_status = 'OK')::int AS flows, coalesce(sum(bytes) FILTER (WHERE action = 'ACCEPT'), 0)::bigint AS accepted
             FROM flow_records WHERE start >= $1 AND start < $2`,
          [scope.from, scope.to],
        );
        assert.ok(raw.rows[0].flows > 0);
        assert.deepEqual([kpis.flows, kpis.bytesAccepted], [raw.rows[0].flows, Number(raw.rows[0].accepted)]);
      }
    });
  });

  it("gain 6-hour rows for the quarters already rolled up, with no refresh left to do", async () => {
    await withDatabaseBefore("20261207010000_rollup_six_hour_rows", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await ingestFlowLog(upgraded, flowFile(FLOWS), flowKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      const sixHourRollups = async () =>
        (await upgraded.query("SELECT array_agg(DISTINCT rollup ORDER BY rollup) AS r FROM (SELECT rollup FROM cloudtrail_rollup WHERE grain = '6h' UNION ALL SELECT rollup FROM flow_rollup WHERE grain = '6h') r")).rows[0].r ?? [];
      assert.deepEqual(await sixHourRollups(), []);
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261207010000_rollup_six_hour_rows"]);
      assert.deepEqual(await sixHourRollups(), ROLLUPS.filter((r) => r.daily).map((r) => r.name).sort());
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      const principals = await topPrincipals({ ...SCOPE, limit: 100 }, upgraded);
      const raw = await upgraded.query(
        `SELECT user_identity_arn AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_arn IS NOT NULL GROUP BY 1`,
        [SCOPE.from, SCOPE.to],
      );
      assert.deepEqual(new Map(principals.map((r) => [r.value, r.count])), new Map(raw.rows.map((r) => [r.k, r.n])));
      const { kpis } = await networkKpis(SCOPE, upgraded);
      const flows = await upgraded.query(`SELECT count(*)::int AS n FROM flow_records WHERE start >= $1 AND start < $2 AND log_status = 'OK'`, [SCOPE.from, SCOPE.to]);
      assert.equal(kpis.flows, flows.rows[0].n);
    });
  });

  it("gain the CloudTrail leader boards for hours already rolled up, at every grain, at the next refresh", async () => {
    await withDatabaseBefore("20261208000000_cloudtrail_leaders", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261208000000_cloudtrail_leaders"]);
      const hours = await upgraded.query("SELECT count(DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC'))::int AS n FROM cloudtrail_events");
      assert.equal((await upgraded.query("SELECT trailwatch_refresh_rollups() AS n")).rows[0].n, 0, "no rollup hour was marked dirty");
      assert.equal(await refreshCloudTrailLeaders(upgraded), hours.rows[0].n, "every CloudTrail hour built for the boards");
      const grains = await upgraded.query("SELECT board, array_agg(DISTINCT grain ORDER BY grain) AS g FROM cloudtrail_leaders GROUP BY 1 ORDER BY 1");
      const every = ["5min", "6h", "day", "hour", "week"];
      // (The other boards come with later migrations, applied by the same upgrade.)
      assert.deepEqual(grains.rows, CLOUDTRAIL_BOARDS.map((board) => ({ board, g: every })));
      const principals = await topPrincipals({ ...SCOPE, limit: 100 }, upgraded);
      const raw = await upgraded.query(
        `SELECT user_identity_arn AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_arn IS NOT NULL GROUP BY 1`,
        [SCOPE.from, SCOPE.to],
      );
      assert.deepEqual(new Map(principals.map((r) => [r.value, [r.count, r.margin]])), new Map(raw.rows.map((r) => [r.k, [r.n, 0]])));
    });
  });

  it("gain the S3 buckets board for hours already on the other boards, at every grain, at the next refresh", async () => {
    await withDatabaseBefore("20261209000000_s3_buckets_board", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await upgraded.query("SELECT trailwatch_refresh_rollups()");
      await upgraded.query("SELECT trailwatch_refresh_cloudtrail_leaders(200, 50)");
      const boards = () => upgraded.query("SELECT board, array_agg(DISTINCT grain ORDER BY grain) AS g FROM cloudtrail_leaders GROUP BY 1 ORDER BY 1");
      assert.deepEqual((await boards()).rows.map((r) => r.board), ["principals", "sources"]);
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209000000_s3_buckets_board"]);
      const hours = await upgraded.query("SELECT count(DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC'))::int AS n FROM cloudtrail_events");
      assert.equal(await refreshCloudTrailLeaders(upgraded), hours.rows[0].n, "every CloudTrail hour rebuilt");
      const every = ["5min", "6h", "day", "hour", "week"];
      // (The principal and sign-in boards come with later migrations, applied by the same upgrade.)
      assert.deepEqual((await boards()).rows, CLOUDTRAIL_BOARDS.map((board) => ({ board, g: every })));
      const buckets = await topBuckets({ ...SCOPE, limit: 100 }, upgraded);
      const raw = await upgraded.query(
        `SELECT request_bucket_name AS k, count(*)::int AS n, (count(*) FILTER (WHERE event_name = 'GetObject'))::int AS gets,
                coalesce(sum(trailwatch_numeric(additional_bytes_transferred_out)), 0)::float8 AS bytes
           FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND request_bucket_name IS NOT NULL GROUP BY 1`,
        [SCOPE.from, SCOPE.to],
      );
      assert.ok(raw.rows.length > 0);
      assert.deepEqual(
        new Map(buckets.map((r) => [r.key.bucket, [r.values.requests, r.values.gets, r.values.bytesOut, r.margin?.requests]])),
        new Map(raw.rows.map((r) => [r.k, [r.n, r.gets, r.bytes, 0]])),
      );
    });
  });

  it("gain the principal and sign-in boards for hours already on the other boards, at every grain, at the next refresh", async () => {
    await withDatabaseBefore("20261209020000_principal_and_sign_in_boards", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await refreshBeforeSightings(upgraded);
      const boards = () => upgraded.query("SELECT board, array_agg(DISTINCT grain ORDER BY grain) AS g FROM cloudtrail_leaders GROUP BY 1 ORDER BY 1");
      assert.deepEqual((await boards()).rows.map((r) => r.board), ["buckets", "principals", "sources"]);
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209020000_principal_and_sign_in_boards"]);
      const hours = await upgraded.query("SELECT count(DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC'))::int AS n FROM cloudtrail_events");
      assert.equal(await refreshCloudTrailLeaders(upgraded), hours.rows[0].n, "every CloudTrail hour rebuilt");
      const every = ["5min", "6h", "day", "hour", "week"];
      assert.deepEqual((await boards()).rows, CLOUDTRAIL_BOARDS.map((board) => ({ board, g: every })));
      const inScope = [SCOPE.from, SCOPE.to];
      const refused = await accessDeniedByPrincipal({ ...SCOPE, limit: 100 }, upgraded);
      const rawRefused = await upgraded.query(
        `SELECT coalesce(user_identity_arn, user_identity_user_name, user_identity_invoked_by) AS k, count(*)::int AS n
           FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND error_code = 'AccessDenied' GROUP BY 1`,
        inScope,
      );
      assert.ok(rawRefused.rows.length > 0);
      assert.deepEqual(new Map(refused.map((r) => [r.key.principal, [r.values.denied, r.margin?.denied]])), new Map(rawRefused.rows.map((r) => [r.k, [r.n, 0]])));
      const byIp = await loginsBySourceIp({ ...SCOPE, limit: 100 }, upgraded);
      const rawSignIns = await upgraded.query(
        `SELECT source_ip_address AS k, count(*)::int AS n FROM cloudtrail_events
          WHERE event_time >= $1 AND event_time < $2 AND event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin' GROUP BY 1`,
        inScope,
      );
      assert.ok(rawSignIns.rows.length > 0);
      assert.deepEqual(new Map(byIp.map((r) => [r.key.ip, [r.values.logins, r.margin?.logins]])), new Map(rawSignIns.rows.map((r) => [r.k, [r.n, 0]])));
    });
  });

  it("gain the federated sign-in and S3 refusal boards for hours already on the other boards, at every grain, at the next refresh", async () => {
    await withDatabaseBefore("20261209030000_s3_refusal_and_federated_sign_in_boards", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await refreshBeforeSightings(upgraded);
      const boards = () => upgraded.query("SELECT board, array_agg(DISTINCT grain ORDER BY grain) AS g FROM cloudtrail_leaders GROUP BY 1 ORDER BY 1");
      const added = ["federated-logins", "s3-refusals"];
      assert.deepEqual((await boards()).rows.map((r) => r.board), CLOUDTRAIL_BOARDS.filter((b) => !added.includes(b)));
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209030000_s3_refusal_and_federated_sign_in_boards"]);
      const hours = await upgraded.query("SELECT count(DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC'))::int AS n FROM cloudtrail_events");
      assert.equal(await refreshCloudTrailLeaders(upgraded), hours.rows[0].n, "every CloudTrail hour rebuilt");
      const every = ["5min", "6h", "day", "hour", "week"];
      assert.deepEqual((await boards()).rows, CLOUDTRAIL_BOARDS.map((board) => ({ board, g: every })));
      const inScope = [SCOPE.from, SCOPE.to];
      const { federated } = await ssoSignIns({ ...SCOPE, limit: 100 }, upgraded);
      const rawFederated = await upgraded.query(
        `SELECT user_identity_arn AS k, count(*)::int AS n FROM cloudtrail_events
          WHERE event_time >= $1 AND event_time < $2 AND event_name = 'ConsoleLogin' AND user_identity_type = 'AssumedRole' GROUP BY 1`,
        inScope,
      );
      assert.ok(rawFederated.rows.length > 0);
      assert.deepEqual(new Map(federated.map((r) => [r.key.principal, [r.values.logins, r.margin?.logins]])), new Map(rawFederated.rows.map((r) => [r.k, [r.n, 0]])));
      const refused = await s3AccessDenied({ ...SCOPE, limit: 100 }, upgraded);
      const rawRefused = await upgraded.query(
        `SELECT concat_ws(' ', request_bucket_name, user_identity_arn) AS k, count(*)::int AS n FROM cloudtrail_events
          WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND error_code = 'AccessDenied' GROUP BY 1`,
        inScope,
      );
      assert.ok(rawRefused.rows.length > 0);
      assert.deepEqual(
        new Map(refused.map((r) => [[r.key.bucket, r.key.principal].filter((v) => v !== null).join(" "), [r.values.denied, r.margin?.denied]])),
        new Map(rawRefused.rows.map((r) => [r.k, [r.n, 0]])),
      );
    });
  });

  it("gain the S3 callers' 6-hour rows for hours already on that board, at the next refresh", async () => {
    await withDatabaseBefore("20261209010000_bucket_callers_six_hours", async (upgraded, upgrade) => {
      await ingestCloudTrail(upgraded, EVENTS, cloudTrailKey(A, "us-east-1"));
      await refreshBeforeSightings(upgraded);
      const grains = async () => (await upgraded.query("SELECT array_agg(DISTINCT grain ORDER BY grain) AS g FROM s3_bucket_callers")).rows[0].g;
      assert.deepEqual(await grains(), ["day", "hour"]);
      assert.deepEqual((await upgrade()).slice(0, 1), ["20261209010000_bucket_callers_six_hours"]);
      const hours = await upgraded.query("SELECT count(DISTINCT date_trunc('hour', event_time AT TIME ZONE 'UTC'))::int AS n FROM cloudtrail_events");
      assert.equal(await refreshBucketCallers(upgraded), hours.rows[0].n, "every CloudTrail hour rebuilt");
      assert.deepEqual(await grains(), ["6h", "day", "hour"]);
      const rows = await topPrincipalsPerBucket({ ...SCOPE, perBucket: 50 }, upgraded);
      const raw = await upgraded.query(
        `SELECT request_bucket_name || ' ' || coalesce(user_identity_arn, user_identity_invoked_by, user_identity_account_id) AS k, count(*)::int AS n
           FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = 's3.amazonaws.com' AND request_bucket_name IS NOT NULL GROUP BY 1`,
        [SCOPE.from, SCOPE.to],
      );
      assert.ok(raw.rows.length > 0);
      assert.deepEqual(new Map(rows.map((r) => [`${r.key.bucket} ${r.key.principal}`, [r.values.requests, r.margin?.requests]])), new Map(raw.rows.map((r) => [r.k, [r.n, 0]])));
    });
  });
});
