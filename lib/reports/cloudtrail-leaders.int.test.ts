import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { explaining } from "../../test/support/explain";
import { cloudTrailEvent, iamUser, roleSession, storeCloudTrail } from "../../test/support/ingest-fixture";
import { linkedCount } from "../../test/support/search-link-oracle";
import { DENIED, S3_DATA_EVENT_NAMES } from "./change-catalogue";
import { accessDeniedByPrincipal, iamChangesByPrincipal } from "./iam-audit";
import { loginsBySourceIp, loginsByUser, ssoSignIns } from "./login-audit";
import { LISTED, refreshCloudTrailLeaders } from "./leaders";
import { topPrincipals, topSourceIps, type TopRow } from "./overview";
import { refreshRollups } from "./rollups";
import { s3AccessDenied, topBuckets, type BucketRow } from "./s3-data-events";
import type { GroupRow } from "./report-query";

// The CloudTrail leader boards (lib/reports/leaders.ts: `principals`, `sources`, `buckets`, `refusals`, `iam-changes`, the sign-in
// boards, `federated-logins`, `s3-refusals`) against the raw events,
// counted here with plain SQL. Every hour has three heavy principals (addresses, S3 buckets), busiest in every bucket,
// which must come back exact; a few busy hours, one in each grain of the scope, hold more one-off keys than a bucket
// lists (LISTED), so buckets drop keys and merged counts carry real bounds. The scope starts on a Sunday and ends on the second
// Tuesday after it, off any 5 minutes at both ends: raw edges, 5-minute, hour, 6-hour, day and week rows all count.

let db: TestDatabase;
const HOUR = 3_600_000;
const SUNDAY = Date.UTC(2026, 10, 15); // 2026-11-15, the day before a UTC week (Monday 16 to Monday 23)
const DAYS = 10;
const SCOPE = { from: new Date(SUNDAY + 3 * HOUR + 17 * 60_000), to: new Date(SUNDAY + 9 * 24 * HOUR + 21 * HOUR + 43 * 60_000) };
const HEAVY = ["heavy-a", "heavy-b", "heavy-c"];
// Hours (from SUNDAY) holding LISTED + 60 one-off keys: the scope's first raw edge and 5 minutes (03), an hour (05),
// a 6-hour row (13), the week (Wednesday 10:00), the whole day after it (Monday 23, 08:00), an hour (Tuesday 24,
// 19:00) and the last 5 minutes and raw edge (Tuesday 24, 21:00), each shifting which keys it holds.
const BUSY = [3, 5, 13, 3 * 24 + 10, 8 * 24 + 8, 9 * 24 + 19, 9 * 24 + 21];
// Friday 2026-11-20, 00:30 to 00:30: no busy hour, so every bucket lists every key.
const QUIET = { from: new Date(SUNDAY + 5 * 24 * HOUR + 30 * 60_000), to: new Date(SUNDAY + 6 * 24 * HOUR + 30 * 60_000) };
const TAIL = LISTED + 60;
const S3 = "s3.amazonaws.com";
const HEAVY_BUCKETS = HEAVY.map((name) => `${name}-bucket`);
// The heavy buckets' calls: reads, writes, deletes and a call the board counts in none of those.
const OBJECT_CALLS = ["GetObject", "PutObject", "DeleteObject", "HeadObject"];
// Refused calls (event source, name, error code) and IAM writes of the principal boards.
const REFUSED_CALLS = [
  ["s3.amazonaws.com", "GetObject", "AccessDenied"],
  ["ec2.amazonaws.com", "RunInstances", "Client.UnauthorizedOperation"],
  ["secretsmanager.amazonaws.com", "GetSecretValue", "AccessDeniedException"],
  ["kms.amazonaws.com", "Decrypt", "AccessDeniedException"],
] as const;
/** The `i`th refused call, an S3 one naming `bucketName`. */
function refusedCall(i: number, bucketName: string): Record<string, unknown> {
  const [eventSource, eventName, errorCode] = REFUSED_CALLS[i % REFUSED_CALLS.length]!;
  return { eventSource, eventName, errorCode, ...(eventSource === S3 ? { requestParameters: { bucketName, key: "object" } } : {}) };
}
const IAM = "iam.amazonaws.com";
const IAM_CALLS = ["CreateUser", "AttachUserPolicy", "CreateAccessKey", "PutRolePolicy", "DeleteUser"];
/** Identities without an ARN: the actor chain's user name and `invokedBy` (lib/reports/change-catalogue.ts ACTOR). */
const ARNLESS = { type: "IAMUser", userName: "arnless-user", accountId: "111122223333" };
const SERVICE = { type: "AWSService", invokedBy: "config.amazonaws.com" };
/** An unauthenticated S3 request (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html). */
const ANONYMOUS = { type: "AWSAccount", principalId: "", accountId: "anonymous" };
const ACCOUNT = "111122223333";
/** A console sign-in (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html). */
const signIn = (eventTime: string, userIdentity: Record<string, unknown>, sourceIPAddress: string, result: "Success" | "Failure", mfa: "Yes" | "No") =>
  cloudTrailEvent({
    eventTime,
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    userIdentity,
    sourceIPAddress,
    responseElements: { ConsoleLogin: result },
    additionalEventData: { MFAUsed: mfa },
  });
/** A federated sign-in: a role session, which has no user name (the sign-in user chain's ARN). */
const FEDERATED = roleSession("AWSReservedSSO_ReadOnly_0123456789abcdef", "jane@example.com");
/** Role sessions signing in to the console every hour, fewer times than the heavy users. */
const HEAVY_SESSIONS = HEAVY.map((name) => roleSession("Admin", name));
/** One-off role sessions signing in per hour at weekends (days from SUNDAY: Sunday 15, Saturday 21, Sunday 22). */
const VISITS = 12;
const WEEKEND = [0, 6, 7];
/** A refused S3 call naming a bucket. */
const s3Refusal = (eventTime: string, eventName: string, bucketName: string, userIdentity: Record<string, unknown>, sourceIPAddress: string) =>
  cloudTrailEvent({ eventTime, eventSource: S3, eventName, errorCode: "AccessDenied", userIdentity, sourceIPAddress, requestParameters: { bucketName, key: "object" } });

function hourEvents(h: number): Record<string, unknown>[] {
  const at = (i: number) => new Date(SUNDAY + h * HOUR + ((i * 7) % 3_600) * 1000).toISOString();
  const events: Record<string, unknown>[] = [];
  HEAVY.forEach((name, k) => {
    for (let i = 0; i < 6 - k; i++) events.push(cloudTrailEvent({ eventTime: at(i * 11 + k), eventName: "DescribeInstances", userIdentity: iamUser(name), sourceIPAddress: `192.0.2.${k + 1}` }));
    for (let i = 0; i < 5 - k; i++) {
      events.push(
        cloudTrailEvent({
          eventTime: at(400 + i * 13 + k),
          eventSource: S3,
          eventName: OBJECT_CALLS[(h + i) % OBJECT_CALLS.length],
          userIdentity: iamUser(name),
          sourceIPAddress: `192.0.2.${k + 1}`,
          requestParameters: { bucketName: HEAVY_BUCKETS[k], key: `object-${i}` },
          additionalEventData: { bytesTransferredOut: 100 * (i + 1) + h },
          ...(i === 1 && h % 5 === k ? { errorCode: "AccessDenied" } : {}),
        }),
      );
    }
  });
  // Light keys: a few a day, 40 of them taking turns.
  for (let i = 0; i < 2; i++) {
    const light = (h * 2 + i) % 40;
    events.push(cloudTrailEvent({ eventTime: at(100 + i), eventName: "GetObject", userIdentity: iamUser(`light-${light}`), sourceIPAddress: `198.51.100.${light}` }));
  }
  // Refused calls and IAM writes: the heavy principals in every hour, each call in turn (some writes refused), and
  // identities without an ARN now and then. S3 refuses the heavy principals on their buckets every hour.
  HEAVY.forEach((name, k) => {
    for (let i = 0; i < 4 - k; i++) events.push(s3Refusal(at(650 + i * 7 + k), i % 2 ? "PutObject" : "GetObject", HEAVY_BUCKETS[k]!, iamUser(name), `192.0.2.${k + 1}`));
    for (let i = 0; i < 4 - k; i++) {
      events.push(cloudTrailEvent({ eventTime: at(600 + i * 7 + k), ...refusedCall(h + i, HEAVY_BUCKETS[k]!), userIdentity: iamUser(name), sourceIPAddress: `192.0.2.${k + 1}` }));
    }
    for (let i = 0; i < 5 - k; i++) {
      const refused = i === 0 && h % 4 === k ? { errorCode: "AccessDenied" } : {};
      const call = { eventSource: IAM, eventName: IAM_CALLS[(h + i) % IAM_CALLS.length], readOnly: false };
      events.push(cloudTrailEvent({ eventTime: at(700 + i * 7 + k), ...call, userIdentity: iamUser(name), sourceIPAddress: `192.0.2.${k + 1}`, ...refused }));
    }
  });
  // Console sign-ins: the heavy users every hour (a failure now and then, MFA on every other success), from their
  // address, and fewer of their role sessions; a federated one every fourth hour.
  HEAVY.forEach((name, k) => {
    for (let i = 0; i < 6 - k; i++) {
      const failed = i === 0 && h % 3 === k;
      events.push(signIn(at(900 + i * 7 + k), iamUser(name), `192.0.2.${k + 1}`, failed ? "Failure" : "Success", i % 2 === 0 && !failed ? "Yes" : "No"));
    }
    for (let i = 0; i < 3 - k; i++) {
      const failed = i === 0 && h % 4 === k;
      events.push(signIn(at(960 + i * 7 + k), HEAVY_SESSIONS[k]!, `192.0.2.${k + 1}`, failed ? "Failure" : "Success", "No"));
    }
  });
  if (h % 4 === 0) events.push(signIn(at(950), FEDERATED, "198.51.100.201", "Success", "No"));
  // One-off role sessions signing in at weekends, a few an hour: a day holds more than a bucket lists (the federated
  // sign-ins' bounds), an hour or 6 hours fewer, and 5 minutes one or two.
  if (WEEKEND.includes(Math.floor(h / 24))) for (let j = 0; j < VISITS; j++) events.push(signIn(at(1000 + j * 43), roleSession("Visitor", `visit-${h}-${j}`), `198.51.100.${160 + j}`, j % 4 ? "Success" : "Failure", "No"));
  if (h % 3 === 0) {
    const call = { eventSource: IAM, eventName: "CreateLoginProfile", readOnly: false, errorCode: "AccessDenied" };
    events.push(cloudTrailEvent({ eventTime: at(800), ...call, userIdentity: ARNLESS, sourceIPAddress: "198.51.100.200" }));
  }
  if (h % 5 === 0) {
    const call = { eventSource: "kms.amazonaws.com", eventName: "Decrypt", errorCode: "AccessDeniedException" };
    events.push(cloudTrailEvent({ eventTime: at(801), ...call, userIdentity: SERVICE, sourceIPAddress: SERVICE.invokedBy }));
    events.push(s3Refusal(at(802), "PutObject", "config-bucket", SERVICE, SERVICE.invokedBy));
  }
  if (h % 6 === 0) events.push(s3Refusal(at(803), "GetObject", "public-bucket", ANONYMOUS, "198.51.100.150"));
  // A refused S3 call naming no bucket.
  if (h % 8 === 0) events.push(cloudTrailEvent({ eventTime: at(804), eventSource: S3, eventName: "ListBuckets", errorCode: "AccessDenied", userIdentity: iamUser(HEAVY[0]!), sourceIPAddress: "192.0.2.1" }));
  // An AWS service calling: no ARN, a service name for its address.
  events.push(cloudTrailEvent({ eventTime: at(200), eventName: "Decrypt", userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" }, sourceIPAddress: "cloudtrail.amazonaws.com" }));
  if (BUSY.includes(h)) {
    for (let i = 0; i < TAIL; i++) {
      const tail = (i + h * 37) % 400;
      events.push(
        cloudTrailEvent({
          eventTime: at(300 + i),
          eventSource: S3,
          eventName: "GetObject",
          userIdentity: iamUser(`tail-${tail}`),
          sourceIPAddress: `203.0.113.${tail % 250}`,
          requestParameters: { bucketName: `tail-${tail}`, key: "object" },
        }),
      );
      // The same one-off principal refused, and changing IAM (some refused), at the same time: a 5-minute bucket
      // holds no more keys than before, which all fit its list.
      const caller = { eventTime: at(300 + i), userIdentity: iamUser(`tail-${tail}`), sourceIPAddress: `203.0.113.${tail % 250}` };
      events.push(cloudTrailEvent({ ...caller, ...refusedCall(i, `tail-${tail}`) }));
      const refused = i % 7 === 0 ? { errorCode: "AccessDenied" } : {};
      events.push(cloudTrailEvent({ ...caller, eventSource: IAM, eventName: IAM_CALLS[i % IAM_CALLS.length], readOnly: false, ...refused }));
      events.push(signIn(caller.eventTime, caller.userIdentity, caller.sourceIPAddress, i % 5 === 0 ? "Failure" : "Success", i % 2 === 0 ? "Yes" : "No"));
      events.push(s3Refusal(caller.eventTime, "GetObject", `tail-${tail}`, caller.userIdentity, caller.sourceIPAddress));
    }
  }
  return events;
}

/** The raw truth: count per key of the events in the scope having it. */
async function truth(column: string): Promise<Map<string, number>> {
  const { rows } = await db.pool.query(
    `SELECT ${column} AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND ${column} IS NOT NULL GROUP BY 1`,
    [SCOPE.from, SCOPE.to],
  );
  return new Map(rows.map((r: { k: string; n: number }) => [r.k, r.n]));
}

/** The raw truth per S3 bucket over `range`: object calls, reads, writes, deletes, failed calls and bytes out. */
async function bucketTruth(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT request_bucket_name AS k, count(*)::int AS requests, (count(*) FILTER (WHERE event_name = 'GetObject'))::int AS gets,
            (count(*) FILTER (WHERE event_name = 'PutObject'))::int AS puts, (count(*) FILTER (WHERE event_name = 'DeleteObject'))::int AS deletes,
            (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS errors, coalesce(sum(additional_bytes_transferred_out::numeric), 0)::float8 AS bytes
       FROM cloudtrail_events
      WHERE event_time >= $1 AND event_time < $2 AND event_source = $3 AND event_name = ANY($4) AND request_bucket_name IS NOT NULL
      GROUP BY 1`,
    [range.from, range.to, S3, [...S3_DATA_EVENT_NAMES]],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.requests!, r.gets!, r.puts!, r.deletes!, r.errors!, r.bytes!]]));
}

// No actor (an anonymous request) is the key ''.
const ACTOR_SQL = "coalesce(user_identity_arn, user_identity_user_name, user_identity_invoked_by, '')";

/** The raw truth per principal (the actor chain) over `range`: refused calls, their distinct event names and sources. */
async function refusalTruth(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT ${ACTOR_SQL} AS k, count(*)::int AS n, count(DISTINCT event_name)::int AS names, count(DISTINCT event_source)::int AS sources
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND error_code = ANY($3) GROUP BY 1`,
    [range.from, range.to, DENIED.include!.errorCode],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.n!, r.names!, r.sources!]]));
}

/** The raw truth per principal over `range`: successful IAM writes, failed ones, distinct names of the successful. */
async function iamTruth(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT ${ACTOR_SQL} AS k, (count(*) FILTER (WHERE error_code IS NULL))::int AS changes, (count(*) FILTER (WHERE error_code IS NOT NULL))::int AS failed,
            (count(DISTINCT event_name) FILTER (WHERE error_code IS NULL))::int AS names
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = $3 AND read_only IS DISTINCT FROM true GROUP BY 1`,
    [range.from, range.to, IAM],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.changes!, r.failed!, r.names!]]));
}

/**
 * Rows of a board read through groupRows against the raw truth per key (`keyOf`): counts (`counted`, the first
 * ranking) within [value, value + margin] of the counts' margin, distinct counts (`distinct`, unions of sets) exact
 * where the counts are and lower bounds of unknown margin elsewhere, ranked, the `heavy` keys first and exact.
 */
function assertBoardRows<K extends string, M extends string>(
  label: string,
  rows: GroupRow<K, M>[],
  raw: Map<string, number[]>,
  keyOf: (r: GroupRow<K, M>) => string,
  measures: { counted: readonly M[]; distinct: readonly M[] },
  heavy: readonly string[],
): void {
  const { counted, distinct } = measures;
  assert.equal(rows.length, 100, `${label}: as many rows as asked`);
  for (const r of rows) {
    const truth = raw.get(keyOf(r));
    assert.ok(truth, `${label}: ${keyOf(r)} is a key of the raw events`);
    const margin = r.margin?.[counted[0]!];
    assert.ok(typeof margin === "number", `${label}: read from the board, counts with a margin`);
    counted.forEach((m, i) => {
      assert.equal(r.margin?.[m], margin, `${label} ${m}: the records' margin`);
      assert.ok(r.values[m] <= truth[i]! && truth[i]! <= r.values[m] + margin, `${label} ${keyOf(r)} ${m} ${truth[i]} in [${r.values[m]}, +${margin}]`);
    });
    distinct.forEach((m, i) => {
      const t = truth[counted.length + i]!;
      assert.equal(r.margin?.[m], margin === 0 ? 0 : null, `${label} ${m}: exact where the counts are, else of unknown margin`);
      if (margin === 0) assert.equal(r.values[m], t, `${label} ${keyOf(r)} ${m}: exact`);
      else assert.ok(r.values[m] >= 1 && r.values[m] <= t, `${label} ${keyOf(r)} ${m}: ${r.values[m]} ≤ ${t}`);
    });
  }
  const first = counted[0]!;
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.values[first] >= rows[i]!.values[first], `${label}: ranked by ${first}`);
  assert.deepEqual(
    rows.slice(0, heavy.length).map((r) => [keyOf(r), ...[...counted, ...distinct].map((m) => r.values[m]), r.margin?.[first]]),
    heavy.map((k) => [k, ...raw.get(k)!, 0]),
    `${label}: the heavy keys lead, exact`,
  );
  assert.ok(rows.some((r) => r.margin![first]! > 0), `${label}: some counts are bounds (the busy hours drop keys)`);
}

const SIGNIN_USER_SQL = "coalesce(user_identity_user_name, user_identity_arn)";
const CONSOLE_LOGINS = "event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin'";
const SIGNIN_COUNTS = `count(*)::int AS n, (count(*) FILTER (WHERE response_console_login = 'Success'))::int AS ok,
                       (count(*) FILTER (WHERE response_console_login = 'Failure'))::int AS failed`;

/** The raw truth per account and user (the user name, else the ARN) over `range`: sign-ins, successes, failures, successes with MFA, distinct addresses. */
async function signInsPerUser(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT recipient_account_id || ' ' || ${SIGNIN_USER_SQL} AS k, ${SIGNIN_COUNTS},
            (count(*) FILTER (WHERE response_console_login = 'Success' AND additional_mfa_used = 'Yes'))::int AS mfa,
            count(DISTINCT source_ip_address)::int AS addresses
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND ${CONSOLE_LOGINS} GROUP BY 1`,
    [range.from, range.to],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.n!, r.ok!, r.failed!, r.mfa!, r.addresses!]]));
}

/** The raw truth per source address over `range`: sign-ins, successes, failures, distinct users. */
async function signInsPerAddress(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT source_ip_address AS k, ${SIGNIN_COUNTS}, count(DISTINCT ${SIGNIN_USER_SQL})::int AS users
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND ${CONSOLE_LOGINS} GROUP BY 1`,
    [range.from, range.to],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.n!, r.ok!, r.failed!, r.users!]]));
}

/** The raw truth per account, role and session over `range`: federated console sign-ins and their failures. */
async function federatedSignIns(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT concat_ws(' ', recipient_account_id, session_issuer_user_name, user_identity_arn) AS k, count(*)::int AS n,
            (count(*) FILTER (WHERE response_console_login = 'Failure'))::int AS failed
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND ${CONSOLE_LOGINS} AND user_identity_type IN ('AssumedRole', 'FederatedUser')
      GROUP BY 1`,
    [range.from, range.to],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.n!, r.failed!]]));
}

/** The raw truth per bucket and caller (the ARN, else the AWS service, else the account) over `range`: S3's AccessDenied and the distinct calls refused. */
async function s3RefusalTruth(range: { from: Date; to: Date }): Promise<Map<string, number[]>> {
  const { rows } = await db.pool.query(
    `SELECT coalesce(request_bucket_name, '') || ' ' || coalesce(user_identity_arn, user_identity_invoked_by, user_identity_account_id, '') AS k,
            count(*)::int AS n, count(DISTINCT event_name)::int AS names
       FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND event_source = $3 AND error_code = 'AccessDenied' GROUP BY 1`,
    [range.from, range.to, S3],
  );
  return new Map(rows.map((r: Record<string, number>) => [String(r.k), [r.n!, r.names!]]));
}

const HEAVY_ARNS = HEAVY.map((n) => String(iamUser(n).arn));
const sessionOf = (r: GroupRow<"account" | "role" | "principal", string>) => [r.key.account, r.key.role, r.key.principal].filter((v) => v !== null).join(" ");
const bucketCallerOf = (r: GroupRow<"bucket" | "principal", string>) => `${r.key.bucket ?? ""} ${r.key.principal ?? ""}`;
const principalOf = (r: GroupRow<"principal", string>) => r.key.principal ?? "";

const BUCKET_MEASURES = ["requests", "gets", "puts", "deletes", "errors", "bytesOut"] as const;
const bucketValues = (r: BucketRow) => BUCKET_MEASURES.map((m) => r.values[m]);

/** Every row within its bound of the truth ([count, count + margin]), ranked by count, the heavy keys first and exact. */
function assertBounded(label: string, rows: TopRow[], raw: Map<string, number>, heavy: readonly string[]): void {
  assert.equal(rows.length, 100, `${label}: as many rows as asked`);
  for (const r of rows) {
    const t = raw.get(r.value);
    assert.ok(t !== undefined, `${label}: ${r.value} is a key of the raw events`);
    assert.ok(r.margin !== undefined, `${label}: read from the board`);
    assert.ok(r.count <= t && t <= r.count + r.margin, `${label}: ${r.value} ${t} in [${r.count}, ${r.count} + ${r.margin}]`);
  }
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.count >= rows[i]!.count, `${label}: ranked by count`);
  assert.deepEqual(rows.slice(0, 3).map((r) => [r.value, r.count, r.margin]), heavy.map((k) => [k, raw.get(k), 0]), `${label}: the heavy keys lead, exact`);
  assert.ok(rows.some((r) => r.margin! > 0), `${label}: some counts are bounds (the busy hours drop keys)`);
}

before(async () => {
  db = await createTestDatabase("cloudtrail_leaders");
  for (let day = 0; day < DAYS; day++) await storeCloudTrail(db.pool, Array.from({ length: 24 }, (_, h) => hourEvents(day * 24 + h)).flat());
});
after(() => db.drop());

describe("CloudTrail leader boards", () => {
  it("rank principals within their bounds, the principals busiest in every bucket exactly", async () => {
    const raw = await truth("user_identity_arn");
    const plans: string[] = [];
    const rows = await topPrincipals({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"cloudtrail_rollup')), "not from the rollup");
    assertBounded("principals", rows, raw, HEAVY.map((n) => String(iamUser(n).arn)));
    // The events of a key whose count is exact, and its link lists them.
    const { rows: events } = await db.pool.query("SELECT raw FROM cloudtrail_events");
    for (const r of rows.slice(0, 3)) assert.equal(linkedCount(r.href, events.map((e: { raw: Record<string, unknown> }) => e.raw)), r.count);
  });

  it("rank source addresses, AWS service names included, within their bounds", async () => {
    const raw = await truth("source_ip_address");
    const rows = await topSourceIps({ ...SCOPE, limit: 100 }, db.pool);
    assertBounded("sources", rows, raw, ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    assert.ok(rows.some((r) => r.value === "cloudtrail.amazonaws.com"), "a service name");
  });

  it("are exact where no bucket drops a key, and read the rollups with an account filter", async () => {
    const rows = await topPrincipals({ ...QUIET, limit: 100 }, db.pool);
    const { rows: expected } = await db.pool.query(
      `SELECT user_identity_arn AS k, count(*)::int AS n FROM cloudtrail_events WHERE event_time >= $1 AND event_time < $2 AND user_identity_arn IS NOT NULL
        GROUP BY 1 ORDER BY 2 DESC, user_identity_arn COLLATE "C"`,
      [QUIET.from, QUIET.to],
    );
    assert.deepEqual(rows.map((r) => [r.value, r.count, r.margin]), expected.map((e: { k: string; n: number }) => [e.k, e.n, 0]));
    const plans: string[] = [];
    const filtered = await topPrincipals({ ...SCOPE, account: "111122223333", limit: 5 }, explaining(db.pool, plans));
    assert.ok(!plans.some((p) => p.includes("cloudtrail_leaders")), "an account filter reads the rollup");
    assert.ok(filtered.every((r) => r.margin === undefined), "and its counts are exact");
    assert.deepEqual(filtered.slice(0, 3).map((r) => r.value), HEAVY.map((n) => String(iamUser(n).arn)));
  });

  it("rank S3 buckets with their calls, failures and bytes within their bounds, the busiest buckets exactly", async () => {
    const raw = await bucketTruth(SCOPE);
    const plans: string[] = [];
    const rows = await topBuckets({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"cloudtrail_rollup')), "not from the rollup");
    assert.equal(rows.length, 100);
    for (const r of rows) {
      const truth = raw.get(r.key.bucket ?? "");
      assert.ok(truth, `${r.key.bucket} is a bucket of the raw events`);
      const margin = r.margin?.requests;
      assert.ok(typeof margin === "number", "calls carry a margin");
      // Reads, writes, deletes and failures are some of the calls: they lack at most what the calls lack.
      BUCKET_MEASURES.slice(0, 5).forEach((m, i) => {
        assert.equal(r.margin?.[m], margin, `${r.key.bucket} ${m}: the calls' margin`);
        assert.ok(r.values[m] <= truth[i]! && truth[i]! <= r.values[m] + margin, `${r.key.bucket} ${m} ${truth[i]} in [${r.values[m]}, +${margin}]`);
      });
      // Bytes are exact where the calls are, and a lower bound of unknown error elsewhere.
      assert.equal(r.margin?.bytesOut, margin === 0 ? 0 : null);
      if (margin === 0) assert.deepEqual(bucketValues(r), truth, `${r.key.bucket}: exact`);
      else assert.ok(r.values.bytesOut <= truth[5]!);
    }
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.values.requests >= rows[i]!.values.requests, "ranked by calls");
    assert.deepEqual(
      rows.slice(0, 3).map((r) => [r.key.bucket, ...bucketValues(r)]),
      HEAVY_BUCKETS.map((b) => [b, ...raw.get(b)!]),
      "the heavy buckets lead, exact",
    );
    assert.ok(raw.get(HEAVY_BUCKETS[0]!)!.every((n) => n > 0), "every measure of a heavy bucket is counted");
    assert.ok(rows.some((r) => r.margin!.requests! > 0), "some counts are bounds (the busy hours drop buckets)");
  });

  it("give the raw numbers per S3 bucket where no bucket of time drops one, and with an account filter", async () => {
    const rows = await topBuckets({ ...QUIET, limit: 100 }, db.pool);
    const raw = await bucketTruth(QUIET);
    assert.ok(raw.size >= 3);
    assert.deepEqual(new Map(rows.map((r) => [r.key.bucket, [...bucketValues(r), r.margin?.requests]])), new Map([...raw].map(([k, v]) => [k, [...v, 0]])));
    const plans: string[] = [];
    const filtered = await topBuckets({ ...SCOPE, account: "111122223333", limit: 3 }, explaining(db.pool, plans));
    assert.ok(!plans.some((p) => p.includes("cloudtrail_leaders")), "an account filter reads the raw events");
    const all = await bucketTruth(SCOPE);
    assert.deepEqual(filtered.map((r) => [r.key.bucket, ...bucketValues(r), r.margin]), HEAVY_BUCKETS.map((b) => [b, ...all.get(b)!, undefined]));
  });

  it("rank refused principals, by ARN, user name or service, within their bounds", async () => {
    const raw = await refusalTruth(SCOPE);
    const plans: string[] = [];
    const rows = await accessDeniedByPrincipal({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"cloudtrail_event_slices')), "not from the slice");
    assertBoardRows("refusals", rows, raw, principalOf, { counted: ["denied"], distinct: ["actions", "services"] }, HEAVY_ARNS);
    assert.ok(rows.slice(0, 3).every((r) => r.keyField.principal === "userIdentity.arn"));
    const fields = new Map(rows.map((r) => [r.key.principal, r.keyField.principal]));
    assert.equal(fields.get(ARNLESS.userName), "userIdentity.userName", "a user without an ARN, by name");
    assert.equal(fields.get(SERVICE.invokedBy), "userIdentity.invokedBy", "a service, by invokedBy");
    // A row's link lists all its refusals: the chain's field, the earlier fields absent.
    const { rows: events } = await db.pool.query("SELECT raw FROM cloudtrail_events");
    for (const name of [ARNLESS.userName, SERVICE.invokedBy]) {
      const row = rows.find((r) => r.key.principal === name)!;
      assert.equal(linkedCount(row.href, events.map((e: { raw: Record<string, unknown> }) => e.raw)), raw.get(name)![0], `${name}: its link`);
    }
  });

  it("rank principals changing IAM by successful changes, with failed ones, within their bounds", async () => {
    const raw = await iamTruth(SCOPE);
    const plans: string[] = [];
    const rows = await iamChangesByPrincipal({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assertBoardRows("iam-changes", rows, raw, principalOf, { counted: ["changes", "failed"], distinct: ["actions"] }, HEAVY_ARNS);
    assert.ok(rows.slice(0, 3).every((r) => r.values.failed > 0), "the heavy principals' failed changes are counted");
  });

  it("give the raw numbers per principal where no bucket of time drops one, and with an account filter", async () => {
    const refusals = await refusalTruth(QUIET);
    const denied = await accessDeniedByPrincipal({ ...QUIET, limit: 100 }, db.pool);
    assert.equal(denied.length, refusals.size);
    assert.deepEqual(
      new Map(denied.map((r) => [principalOf(r), [r.values.denied, r.values.actions, r.values.services, r.margin?.denied, r.margin?.actions]])),
      new Map([...refusals].map(([k, v]) => [k, [...v, 0, 0]])),
    );
    const changes = await iamTruth(QUIET);
    const changed = await iamChangesByPrincipal({ ...QUIET, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(changed.map((r) => [principalOf(r), [r.values.changes, r.values.failed, r.values.actions, r.margin?.changes]])),
      new Map([...changes].map(([k, v]) => [k, [...v, 0]])),
    );
    // An account filter reads the slice, exactly.
    const plans: string[] = [];
    const filtered = await accessDeniedByPrincipal({ ...SCOPE, account: "111122223333", limit: 3 }, explaining(db.pool, plans));
    assert.ok(!plans.some((p) => p.includes("cloudtrail_leaders")), "an account filter reads the slice");
    const all = await refusalTruth(SCOPE);
    assert.deepEqual(filtered.map((r) => [r.key.principal, r.values.denied, r.values.actions, r.values.services, r.margin]), HEAVY_ARNS.map((arn) => [arn, ...all.get(arn)!, undefined]));
  });

  it("rank sign-ins per account and user, and per source address, within their bounds", async () => {
    const plans: string[] = [];
    const byUser = await loginsByUser({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    const userOf = (r: (typeof byUser)[number]) => `${r.key.account} ${r.key.user}`;
    const measures = { counted: ["logins", "successes", "failures", "withMfa"], distinct: ["sourceIps"] } as const;
    assertBoardRows("logins-by-user", byUser, await signInsPerUser(SCOPE), userOf, measures, HEAVY.map((n) => `${ACCOUNT} ${n}`));
    assert.ok(byUser.slice(0, 3).every((r) => r.keyField.user === "userIdentity.userName" && r.values.failures > 0 && r.values.withMfa > 0));
    const federated = byUser.find((r) => r.key.user === FEDERATED.arn);
    assert.equal(federated?.keyField.user, "userIdentity.arn", "a role session, by its ARN");

    const byAddress = await loginsBySourceIp({ ...SCOPE, limit: 100 }, db.pool);
    const addresses = { counted: ["logins", "successes", "failures"], distinct: ["users"] } as const;
    assertBoardRows("logins-by-source", byAddress, await signInsPerAddress(SCOPE), (r) => r.key.ip ?? "", addresses, ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
  });

  it("give the raw sign-ins per user and address where no bucket of time drops one", async () => {
    const byUser = await loginsByUser({ ...QUIET, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(byUser.map((r) => [`${r.key.account} ${r.key.user}`, [r.values.logins, r.values.successes, r.values.failures, r.values.withMfa, r.values.sourceIps, r.margin?.logins]])),
      new Map([...(await signInsPerUser(QUIET))].map(([k, v]) => [k, [...v, 0]])),
    );
    const byAddress = await loginsBySourceIp({ ...QUIET, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(byAddress.map((r) => [r.key.ip, [r.values.logins, r.values.successes, r.values.failures, r.values.users, r.margin?.users]])),
      new Map([...(await signInsPerAddress(QUIET))].map(([k, v]) => [k, [...v, 0]])),
    );
  });

  it("rank federated sign-ins per account, role and session within their bounds, exact where no bucket drops one", async () => {
    const plans: string[] = [];
    const { federated } = await ssoSignIns({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    const heavy = HEAVY_SESSIONS.map((s) => `${ACCOUNT} Admin ${s.arn}`);
    assertBoardRows("federated-logins", federated, await federatedSignIns(SCOPE), sessionOf, { counted: ["logins", "failures"], distinct: [] }, heavy);
    assert.ok(federated.slice(0, 3).every((r) => r.values.failures > 0), "the heavy sessions' failures are counted");
    const quiet = await ssoSignIns({ ...QUIET, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(quiet.federated.map((r) => [sessionOf(r), [r.values.logins, r.values.failures, r.margin?.logins]])),
      new Map([...(await federatedSignIns(QUIET))].map(([k, v]) => [k, [...v, 0]])),
    );
  });

  it("rank S3's refusals per bucket and caller, by ARN, service or account, within their bounds", async () => {
    const raw = await s3RefusalTruth(SCOPE);
    const plans: string[] = [];
    const rows = await s3AccessDenied({ ...SCOPE, limit: 100 }, explaining(db.pool, plans));
    assert.ok(plans.some((p) => p.includes('"Relation Name":"cloudtrail_leaders"')), "read from the board");
    assert.ok(!plans.some((p) => p.includes('"Relation Name":"cloudtrail_event_slices')), "not from the slice");
    const heavy = HEAVY_BUCKETS.map((b, k) => `${b} ${HEAVY_ARNS[k]}`);
    assertBoardRows("s3-refusals", rows, raw, bucketCallerOf, { counted: ["denied"], distinct: ["actions"] }, heavy);
    const fields = new Map(rows.map((r) => [r.key.bucket, r.keyField.principal]));
    assert.equal(fields.get("config-bucket"), "userIdentity.invokedBy", "a service, by invokedBy");
    assert.equal(fields.get("public-bucket"), "userIdentity.accountId", "an anonymous request, by its account");
    assert.ok(rows.some((r) => r.key.bucket === null), "refusals naming no bucket");
    // A row's link lists all its refusals: the chain's field, the earlier fields absent.
    const { rows: events } = await db.pool.query("SELECT raw FROM cloudtrail_events");
    for (const bucket of ["config-bucket", "public-bucket"]) {
      const row = rows.find((r) => r.key.bucket === bucket)!;
      assert.equal(linkedCount(row.href, events.map((e: { raw: Record<string, unknown> }) => e.raw)), raw.get(bucketCallerOf(row))![0], `${bucket}: its link`);
    }
    const quiet = await s3AccessDenied({ ...QUIET, limit: 100 }, db.pool);
    assert.deepEqual(
      new Map(quiet.map((r) => [bucketCallerOf(r), [r.values.denied, r.values.actions, r.margin?.denied, r.margin?.actions]])),
      new Map([...(await s3RefusalTruth(QUIET))].map(([k, v]) => [k, [...v, 0, 0]])),
    );
  });

  it("build an hour only once the rollups have refreshed it, and follow late events", async () => {
    const late = new Date(SUNDAY + 4 * 24 * HOUR + 10 * HOUR); // Thursday 10:00, inside the week
    await storeCloudTrail(db.pool, Array.from({ length: 40 }, (_, i) => cloudTrailEvent({ eventTime: new Date(late.getTime() + i * 1000).toISOString(), userIdentity: iamUser("late-comer") })));
    // The ingest marked the hour for the rollups and the boards; the boards alone leave it for later.
    assert.equal(await refreshCloudTrailLeaders(db.pool), 0, "no hour the rollups have not refreshed");
    const { rows: [marked] } = await db.pool.query("SELECT count(*)::int AS n FROM cloudtrail_leader_dirty_hours");
    assert.ok(marked.n > 0, "its mark stays");
    await refreshRollups(db.pool);
    const { rows: [left] } = await db.pool.query("SELECT count(*)::int AS n FROM cloudtrail_leader_dirty_hours");
    assert.equal(left.n, 0, "one refresh builds both");
    const rows = await topPrincipals({ ...SCOPE, limit: 100 }, db.pool);
    const row = rows.find((r) => r.value === String(iamUser("late-comer").arn));
    assert.equal(row?.count, 40, "the late events counted, in the week row");
    // A retention delete marks its hours too: the key leaves every bucket.
    await db.pool.query("DELETE FROM cloudtrail_events WHERE user_identity_arn = $1", [String(iamUser("late-comer").arn)]);
    const after = await topPrincipals({ ...SCOPE, limit: 100 }, db.pool);
    assert.ok(!after.some((r) => r.value === String(iamUser("late-comer").arn)), "deleted events leave the board");
  });
});
