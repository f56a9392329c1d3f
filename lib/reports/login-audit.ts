import { getPool } from "../db/pool";
import consoleLoginFailureBurst from "../detect/rules/console-login-failure-burst";
import type { Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import {
  firstSightings,
  groupBursts,
  groupRows,
  listEvents,
  measureCounts,
  timeSeries,
  type Burst,
  type EventRow,
  type FirstSighting,
  type GroupRow,
  type SeriesPoint,
  splitCounted,
} from "./report-query";
import { mergeSelections } from "./selection";
import { FIRST_SEEN_LOOKBACK_DAYS, SIGHTED, SIGHTING_KEYS } from "./sign-in-sightings";
import {
  CONSOLE_LOGIN,
  CONSOLE_LOGIN_FAILURE,
  CONSOLE_LOGIN_SUCCESS,
  DIRECT_CONSOLE_LOGIN,
  FAILURE,
  FEDERATED_CONSOLE_LOGIN,
  FEDERATION_TOKENS,
  MFA_NOT_YES,
  MFA_YES,
  SIGNIN_USER,
  SSO_AUTHENTICATION,
  SUCCESS,
} from "./sign-in-selections";
import type { BucketUnit } from "./time-range";

/**
 * The Login audit report: console sign-ins and federation, one function per panel over a scope.
 * Shapes follow AWS's sign-in event reference
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html):
 * a `ConsoleLogin` says `responseElements.ConsoleLogin` Success or Failure (a failure has an
 * `errorMessage`, no `errorCode`) and `additionalEventData.MFAUsed` Yes or No. Federated sign-ins
 * (SAML, IAM Identity Center, a custom broker) arrive as a role session or federated user and always
 * say `MFAUsed: No` (MFA happened at the identity provider), so they are counted apart from IAM users'
 * and root's, where MFAUsed means what it says. IAM Identity Center's own sign-in is `UserAuthentication`
 * (`serviceEventDetails.UserAuthentication` Success / Failure, the user in `additionalEventData.UserName`).
 */

const burstRule = consoleLoginFailureBurst.rule.aggregation;
/**
 * Bursts: failures of one user (or from one address) at most this far apart belong together — the
 * window of the detection rule `console-login-failure-burst` (period × evaluation periods, 15 minutes).
 */
export const BURST_GAP_SECONDS = burstRule ? burstRule.periodSeconds * burstRule.evaluationPeriods : 15 * 60;
/** A burst has at least this many failures: the same rule's threshold (5). */
export const BURST_MINIMUM = burstRule?.threshold ?? 5;

export interface LoginKpis {
  /** ConsoleLogin events. */
  consoleLogins: number;
  successes: number;
  failures: number;
  /** Successful sign-ins of IAM users and root without MFA (`MFAUsed` not Yes). */
  withoutMfa: number;
  /** ConsoleLogin events of the root user. */
  rootLogins: number;
  /** ConsoleLogin events of role sessions and federated users. */
  federatedLogins: number;
  /** IAM Identity Center `UserAuthentication` events. */
  ssoAuthentications: number;
  /** `GetSigninToken` and `GetFederationToken` calls. */
  federationTokens: number;
}

export type LoginKpiHrefs = Record<keyof LoginKpis, string | null>;

/** One row per user (account + user) or per source address. */
export type LoginUserRow = GroupRow<"account" | "user", "logins" | "successes" | "failures" | "withMfa" | "sourceIps">;
export type LoginIpRow = GroupRow<"ip", "logins" | "successes" | "failures" | "users">;

export interface MfaUsage {
  /** Successful IAM-user and root sign-ins with `MFAUsed: Yes`, and the others. */
  withMfa: { value: number; href: string | null };
  withoutMfa: { value: number; href: string | null };
  /** Who signed in without MFA. */
  withoutMfaByUser: GroupRow<"account" | "user", "logins">[];
}

export interface SsoSignIns {
  /** IAM Identity Center sign-ins per user name. */
  identityCenter: GroupRow<"user", "attempts" | "successes" | "failures" | "sourceIps">[];
  /** Federated ConsoleLogins per role (`sessionIssuer.userName`) and session ARN. */
  federated: GroupRow<"account" | "role" | "principal", "logins" | "failures">[];
}

export interface LoginAuditReport {
  kpis: LoginKpis;
  kpiHrefs: LoginKpiHrefs;
  bucket: BucketUnit;
  /** ConsoleLogin per bucket: `success` and `failure`. */
  loginsOverTime: SeriesPoint<"success" | "failure">[];
  byUser: LoginUserRow[];
  bySourceIp: LoginIpRow[];
  mfa: MfaUsage;
  rootLogins: EventRow<"result" | "mfaUsed">[];
  sso: SsoSignIns;
  failureBurstsByUser: Burst<"account" | "user">[];
  failureBurstsByIp: Burst<"ip">[];
  firstSeenIps: FirstSighting<"account" | "user" | "ip">[];
  federationTokens: GroupRow<"source" | "name" | "principal" | "ip", "calls">[];
}

/** KPI tiles with their links. */
export async function loginKpis(scope: ReportScope, db: Queryable = getPool()): Promise<{ kpis: LoginKpis; hrefs: LoginKpiHrefs }> {
  const counted = await measureCounts(db, {
    source: "cloudtrail",
    scope,
    measures: {
      consoleLogins: { kind: "count", where: CONSOLE_LOGIN },
      successes: { kind: "count", where: CONSOLE_LOGIN_SUCCESS },
      failures: { kind: "count", where: CONSOLE_LOGIN_FAILURE },
      withoutMfa: { kind: "count", where: mergeSelections(DIRECT_CONSOLE_LOGIN, SUCCESS, MFA_NOT_YES) },
      rootLogins: { kind: "count", where: mergeSelections(CONSOLE_LOGIN, { include: { "userIdentity.type": "Root" } }) },
      federatedLogins: { kind: "count", where: FEDERATED_CONSOLE_LOGIN },
      ssoAuthentications: { kind: "count", where: SSO_AUTHENTICATION },
      federationTokens: { kind: "count", where: FEDERATION_TOKENS },
    },
  });
  const { values, hrefs } = splitCounted(counted);
  return { kpis: values, hrefs };
}

/** ConsoleLogin successes and failures per UTC bucket, gap-filled. */
export async function loginsOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<{ bucket: BucketUnit; points: SeriesPoint<"success" | "failure">[] }> {
  return timeSeries(db, {
    source: "cloudtrail",
    scope,
    base: CONSOLE_LOGIN,
    series: { success: { kind: "count", where: SUCCESS }, failure: { kind: "count", where: FAILURE } },
  });
}

/** Sign-ins per account and user, most first (default 25 rows). */
export function loginsByUser(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<LoginUserRow[]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: CONSOLE_LOGIN,
    keys: { account: "recipientAccountId", user: SIGNIN_USER },
    measures: {
      logins: { kind: "count" },
      successes: { kind: "count", where: SUCCESS },
      failures: { kind: "count", where: FAILURE },
      withMfa: { kind: "count", where: mergeSelections(SUCCESS, MFA_YES) },
      sourceIps: { kind: "distinct", field: "sourceIPAddress" },
    },
    orderBy: "logins",
    limit: scope.limit ?? 25,
  });
}

/** Sign-ins per source address, most first (default 25 rows). */
export function loginsBySourceIp(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<LoginIpRow[]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: CONSOLE_LOGIN,
    keys: { ip: "sourceIPAddress" },
    measures: {
      logins: { kind: "count" },
      successes: { kind: "count", where: SUCCESS },
      failures: { kind: "count", where: FAILURE },
      users: { kind: "distinct", field: SIGNIN_USER },
    },
    orderBy: "logins",
    limit: scope.limit ?? 25,
  });
}

/** MFA on successful IAM-user and root sign-ins (federated ones are in {@link ssoSignIns}), and who went without. */
export async function mfaUsage(scope: ReportScope, db: Queryable = getPool()): Promise<MfaUsage> {
  const base = mergeSelections(DIRECT_CONSOLE_LOGIN, SUCCESS);
  const [counts, byUser] = await Promise.all([
    measureCounts(db, { source: "cloudtrail", scope, base, measures: { withMfa: { kind: "count", where: MFA_YES }, withoutMfa: { kind: "count", where: MFA_NOT_YES } } }),
    groupRows(db, {
      source: "cloudtrail",
      scope,
      base: mergeSelections(base, MFA_NOT_YES),
      keys: { account: "recipientAccountId", user: SIGNIN_USER },
      measures: { logins: { kind: "count" } },
      orderBy: "logins",
      limit: 25,
    }),
  ]);
  return { withMfa: counts.withMfa, withoutMfa: counts.withoutMfa, withoutMfaByUser: byUser };
}

/** Root sign-ins (successful or not), newest first, with their result and MFA. */
export function rootLogins(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<EventRow<"result" | "mfaUsed">[]> {
  return listEvents(db, {
    scope,
    base: mergeSelections(CONSOLE_LOGIN, { include: { "userIdentity.type": "Root" } }),
    fields: { result: "responseElements.ConsoleLogin", mfaUsed: "additionalEventData.MFAUsed" },
    limit: scope.limit ?? 20,
  });
}

/** IAM Identity Center sign-ins per user, and federated console sign-ins per role session (default 25 rows each). */
export async function ssoSignIns(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<SsoSignIns> {
  const [identityCenter, federated] = await Promise.all([
    groupRows(db, {
      source: "cloudtrail",
      scope,
      base: SSO_AUTHENTICATION,
      keys: { user: "additionalEventData.UserName" },
      measures: {
        attempts: { kind: "count" },
        successes: { kind: "count", where: { include: { "serviceEventDetails.UserAuthentication": "Success" } } },
        failures: { kind: "count", where: { include: { "serviceEventDetails.UserAuthentication": "Failure" } } },
        sourceIps: { kind: "distinct", field: "sourceIPAddress" },
      },
      orderBy: "attempts",
      limit: scope.limit ?? 25,
    }),
    groupRows(db, {
      source: "cloudtrail",
      scope,
      base: FEDERATED_CONSOLE_LOGIN,
      keys: { account: "recipientAccountId", role: "userIdentity.sessionContext.sessionIssuer.userName", principal: "userIdentity.arn" },
      measures: { logins: { kind: "count" }, failures: { kind: "count", where: FAILURE } },
      orderBy: "logins",
      limit: scope.limit ?? 25,
    }),
  ]);
  return { identityCenter, federated };
}

/** Bursts of failed sign-ins per account and user ({@link BURST_MINIMUM} or more, at most {@link BURST_GAP_SECONDS} apart). */
export function failureBurstsByUser(scope: ReportScope, db: Queryable = getPool()): Promise<Burst<"account" | "user">[]> {
  return groupBursts(db, {
    source: "cloudtrail",
    scope,
    base: CONSOLE_LOGIN_FAILURE,
    keys: { account: "recipientAccountId", user: SIGNIN_USER },
    gapSeconds: BURST_GAP_SECONDS,
    minimum: BURST_MINIMUM,
    distinct: { sourceIps: "sourceIPAddress" },
  });
}

/** Bursts of failed sign-ins per source address, whichever users they tried. */
export function failureBurstsByIp(scope: ReportScope, db: Queryable = getPool()): Promise<Burst<"ip">[]> {
  return groupBursts(db, {
    source: "cloudtrail",
    scope,
    base: CONSOLE_LOGIN_FAILURE,
    keys: { ip: "sourceIPAddress" },
    gapSeconds: BURST_GAP_SECONDS,
    minimum: BURST_MINIMUM,
    distinct: { users: "userIdentity.userName" },
  });
}

/**
 * Source addresses a user signed in from successfully with no successful sign-in from that address in the
 * {@link FIRST_SEEN_LOOKBACK_DAYS} before, inside the scope; newest first. A user's very first sign-in counts too:
 * a new user is worth a look. Read from the sign-in sightings (lib/reports/sign-in-sightings.ts).
 */
export function firstSeenIps(scope: ReportScope, db: Queryable = getPool()): Promise<FirstSighting<"account" | "user" | "ip">[]> {
  return firstSightings(db, {
    source: "cloudtrail",
    scope,
    base: SIGHTED,
    keys: SIGHTING_KEYS,
    lookbackDays: FIRST_SEEN_LOOKBACK_DAYS,
    limit: 25,
  });
}

/** `GetSigninToken` / `GetFederationToken` calls per caller and address. */
export function federationTokens(scope: ReportScope, db: Queryable = getPool()): Promise<GroupRow<"source" | "name" | "principal" | "ip", "calls">[]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: FEDERATION_TOKENS,
    keys: { source: "eventSource", name: "eventName", principal: ["userIdentity.arn", "userIdentity.userName"], ip: "sourceIPAddress" },
    measures: { calls: { kind: "count" } },
    orderBy: "calls",
    limit: 25,
  });
}

/** Every Login audit panel for one scope, queried in parallel. */
export async function loginAuditReport(scope: ReportScope, db: Queryable = getPool()): Promise<LoginAuditReport> {
  const [kpis, series, byUser, byIp, mfa, root, sso, burstsUser, burstsIp, firstSeen, tokens] = await Promise.all([
    loginKpis(scope, db),
    loginsOverTime(scope, db),
    loginsByUser(scope, db),
    loginsBySourceIp(scope, db),
    mfaUsage(scope, db),
    rootLogins(scope, db),
    ssoSignIns(scope, db),
    failureBurstsByUser(scope, db),
    failureBurstsByIp(scope, db),
    firstSeenIps(scope, db),
    federationTokens(scope, db),
  ]);
  return {
    kpis: kpis.kpis,
    kpiHrefs: kpis.hrefs,
    bucket: series.bucket,
    loginsOverTime: series.points,
    byUser,
    bySourceIp: byIp,
    mfa,
    rootLogins: root,
    sso,
    failureBurstsByUser: burstsUser,
    failureBurstsByIp: burstsIp,
    firstSeenIps: firstSeen,
    federationTokens: tokens,
  };
}
