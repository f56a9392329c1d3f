import { getPool } from "../db/pool";
import { ACTOR, ASSUME_ROLE, DENIED, FAILED, IAM_CATEGORISED_NAMES, IAM_CHANGE_CATEGORIES, IAM_WRITES, SUCCEEDED } from "./change-catalogue";
import { ADMINISTRATOR_ACCESS_ARNS, fullAccessReason } from "./policy-grants";
import type { Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import { groupRows, listEvents, measureCounts, splitCounted, timeSeries, type EventRow, type GroupRow, type SeriesLegend, type SeriesPoint } from "./report-query";
import { isLiteral, mergeSelections, type Selection } from "./selection";
import type { BucketUnit } from "./time-range";

/**
 * The IAM audit report: who changed identities and permissions, which keys were created for whom,
 * who got administrator access, how roles are assumed, and who is being refused. One function per
 * panel over a scope. IAM is a global service: CloudTrail records its calls in us-east-1.
 * Event shapes: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html and
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html.
 */

const IAM = "iam.amazonaws.com";

/** Successful identity and permission changes: IAM calls that are not read-only and returned no error. */
export const IAM_CHANGES: Selection = mergeSelections(IAM_WRITES, SUCCEEDED);

/** `CreateAccessKey` calls that succeeded. */
export const ACCESS_KEYS_CREATED: Selection = { include: { eventSource: IAM, eventName: "CreateAccessKey" }, exclude: { errorCode: "*" } };

/**
 * Calls that can grant permissions by policy ARN or document (trust policies are not grants). Written as
 * IAM changes (not read-only) that succeeded, which these calls all are, so the IAM-changes event slice
 * (lib/reports/slices.ts) is seen to hold them.
 */
const POLICY_GRANTS: Selection = mergeSelections(IAM_CHANGES, {
  include: { eventName: ["AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "PutUserPolicy", "PutRolePolicy", "PutGroupPolicy", "CreatePolicyVersion", "CreatePolicy"] },
});

/** AdministratorAccess attached to a user, role or group (an exact, linkable selection). */
export const ADMIN_POLICY_ATTACHED: Selection = mergeSelections(POLICY_GRANTS, { include: { "requestParameters.policyArn": [...ADMINISTRATOR_ACCESS_ARNS] } });

/** Policy-changing calls examined for full-access grants per request (newest first). */
export const GRANT_CANDIDATES = 500;

export interface IamKpis {
  /** Successful IAM changes. */
  changes: number;
  /** IAM changes that failed (denied, invalid, …). */
  failedChanges: number;
  /** Distinct principals (ARNs) with successful changes. */
  changers: number;
  /** Successful CreateAccessKey calls. */
  accessKeysCreated: number;
  /** Successful AdministratorAccess attachments (documents allowing * on * are in the grants panel). */
  adminPolicyAttached: number;
  /** AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML calls. */
  assumeRoleCalls: number;
  /** Refused calls of any service. */
  accessDenied: number;
}

export type IamKpiHrefs = Record<keyof IamKpis, string | null>;

export interface ChangesOverTime {
  /** One series per change category (users, groups, roles, …) plus "other IAM changes". */
  series: SeriesLegend[];
  points: SeriesPoint<string>[];
}

export interface AccessKeyCreation extends EventRow<"forUser" | "accessKeyId"> {
  /** The user the key is for: `requestParameters.userName`, else the caller itself (AWS's default). */
  target: string | null;
}

export interface FullAccessGrant extends EventRow<"policyArn" | "user" | "role" | "group" | "policyName"> {
  /** "AdministratorAccess attached" or "allows * on *". */
  reason: string;
  /** The identity that received it, e.g. "user svc-reporting", or the policy for CreatePolicy(Version). */
  target: string;
}

export interface FullAccessGrants {
  grants: FullAccessGrant[];
  /** Whether more policy changes were in the scope than were examined ({@link GRANT_CANDIDATES}, newest first). */
  truncated: boolean;
}

export interface AssumeRoleRow extends GroupRow<"name" | "role" | "session" | "caller" | "sourceIdentity", "calls" | "failures"> {
  /** The session's ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), when role and session name are known. */
  sessionArn: string | null;
  /** Calls made in the scope with that session ARN, and their link. */
  sessionCalls: { value: number; href: string | null };
  /** The caller was itself a role session: role chaining. */
  chained: boolean;
}

export interface IamAuditReport {
  kpis: IamKpis;
  kpiHrefs: IamKpiHrefs;
  bucket: BucketUnit;
  changesOverTime: ChangesOverTime;
  changesByPrincipal: GroupRow<"principal", "changes" | "failed" | "actions">[];
  accessKeysCreated: AccessKeyCreation[];
  fullAccessGrants: FullAccessGrants;
  assumeRole: AssumeRoleRow[];
  accessDenied: GroupRow<"principal", "denied" | "actions" | "services">[];
}

/** KPI tiles with their links. */
export async function iamKpis(scope: ReportScope, db: Queryable = getPool()): Promise<{ kpis: IamKpis; hrefs: IamKpiHrefs }> {
  const counted = await measureCounts(db, {
    source: "cloudtrail",
    scope,
    measures: {
      changes: { kind: "count", where: IAM_CHANGES },
      failedChanges: { kind: "count", where: mergeSelections(IAM_WRITES, FAILED) },
      changers: { kind: "distinct", field: "userIdentity.arn", where: IAM_CHANGES },
      accessKeysCreated: { kind: "count", where: ACCESS_KEYS_CREATED },
      adminPolicyAttached: { kind: "count", where: ADMIN_POLICY_ATTACHED },
      assumeRoleCalls: { kind: "count", where: ASSUME_ROLE },
      accessDenied: { kind: "count", where: DENIED },
    },
  });
  const { values, hrefs } = splitCounted(counted);
  return { kpis: values, hrefs };
}

/** Successful IAM changes per UTC bucket, one series per category (lib/reports/change-catalogue.ts) plus the rest. */
export async function iamChangesOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<{ bucket: BucketUnit } & ChangesOverTime> {
  const series: SeriesLegend[] = [...IAM_CHANGE_CATEGORIES.map((c) => ({ key: c.id, label: c.label })), { key: "other", label: "Other IAM changes" }];
  const measures = Object.fromEntries([
    ...IAM_CHANGE_CATEGORIES.map((c) => [c.id, { kind: "count" as const, where: c.selection }]),
    ["other", { kind: "count" as const, where: { exclude: { eventName: [...IAM_CATEGORISED_NAMES] } } }],
  ]);
  const result = await timeSeries(db, { source: "cloudtrail", scope, base: IAM_CHANGES, series: measures });
  return { bucket: result.bucket, series, points: result.points };
}

/** Who changed IAM: successful changes, failed attempts and distinct calls per principal (default 15 rows). */
export function iamChangesByPrincipal(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<GroupRow<"principal", "changes" | "failed" | "actions">[]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: IAM_WRITES,
    keys: { principal: ACTOR },
    measures: {
      changes: { kind: "count", where: SUCCEEDED },
      failed: { kind: "count", where: FAILED },
      actions: { kind: "distinct", field: "eventName", where: SUCCEEDED },
    },
    orderBy: "changes",
    limit: scope.limit ?? 15,
  });
}

/** Access keys created: by whom (the caller) and for whom (`requestParameters.userName`, else the caller), newest first. */
export async function accessKeysCreated(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<AccessKeyCreation[]> {
  const rows = await listEvents(db, {
    scope,
    base: ACCESS_KEYS_CREATED,
    fields: { forUser: "requestParameters.userName", accessKeyId: "responseElements.accessKey.accessKeyId" },
    limit: scope.limit ?? 25,
  });
  return rows.map((r) => ({ ...r, target: r.fields.forUser ?? r.principal }));
}

/**
 * Grants of full administrative access (see lib/reports/policy-grants.ts), newest first: the newest
 * {@link GRANT_CANDIDATES} successful policy changes of the scope are examined.
 */
export async function fullAccessGrants(scope: ReportScope, db: Queryable = getPool()): Promise<FullAccessGrants> {
  const candidates = await listEvents(db, {
    scope,
    base: POLICY_GRANTS,
    fields: {
      policyArn: "requestParameters.policyArn",
      policyDocument: "requestParameters.policyDocument",
      user: "requestParameters.userName",
      role: "requestParameters.roleName",
      group: "requestParameters.groupName",
      policyName: "requestParameters.policyName",
    },
    limit: GRANT_CANDIDATES,
  });
  const grants: FullAccessGrant[] = [];
  for (const c of candidates) {
    const reason = fullAccessReason(c.fields.policyArn, c.fields.policyDocument);
    if (reason === null) continue;
    const { policyDocument: _document, ...fields } = c.fields;
    const f = c.fields;
    const target = f.user ? `user ${f.user}` : f.role ? `role ${f.role}` : f.group ? `group ${f.group}` : f.policyName ? `policy ${f.policyName}` : (f.policyArn ?? "");
    grants.push({ ...c, fields, reason, target });
  }
  return { grants, truncated: candidates.length >= GRANT_CANDIDATES };
}

/** `arn:aws:iam::1:role/path/Name` + `session` → `arn:aws:sts::1:assumed-role/Name/session` (null if not a role ARN). */
export function sessionArnOf(roleArn: string | null, session: string | null): string | null {
  if (roleArn === null || session === null) return null;
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${session}` : null;
}

/**
 * Role assumption: per call kind, role, session name, caller and source identity (`sts:SourceIdentity`),
 * with the calls the resulting sessions made in the scope (the "role → sessions → actions" chain)
 * and whether the caller was itself a role session (role chaining). Most calls first (default 25 rows).
 */
export async function assumeRoleActivity(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<AssumeRoleRow[]> {
  const rows = await groupRows(db, {
    source: "cloudtrail",
    scope,
    base: ASSUME_ROLE,
    keys: {
      name: "eventName",
      role: "requestParameters.roleArn",
      session: "requestParameters.roleSessionName",
      caller: ACTOR,
      sourceIdentity: "requestParameters.sourceIdentity",
    },
    measures: { calls: { kind: "count" }, failures: { kind: "count", where: FAILED } },
    orderBy: "calls",
    limit: scope.limit ?? 25,
  });
  const arns = [...new Set(rows.map((r) => sessionArnOf(r.key.role, r.key.session)).filter((a): a is string => a !== null && isLiteral("cloudtrail", "userIdentity.arn", a)))];
  const activity = arns.length
    ? await groupRows(db, {
        source: "cloudtrail",
        scope,
        base: { include: { "userIdentity.arn": arns } },
        keys: { arn: "userIdentity.arn" },
        measures: { calls: { kind: "count" } },
        orderBy: "calls",
        limit: arns.length,
      })
    : [];
  const byArn = new Map(activity.map((a) => [a.key.arn, a]));
  return rows.map((r) => {
    const sessionArn = sessionArnOf(r.key.role, r.key.session);
    const used = sessionArn === null ? undefined : byArn.get(sessionArn);
    return {
      ...r,
      sessionArn,
      sessionCalls: { value: used?.values.calls ?? 0, href: used?.hrefs.calls ?? null },
      chained: r.keyField.caller === "userIdentity.arn" && /:assumed-role\//.test(r.key.caller ?? ""),
    };
  });
}

/** Refused calls (AccessDenied, UnauthorizedOperation, …) of any service per principal, most first (default 15 rows). */
export function accessDeniedByPrincipal(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<GroupRow<"principal", "denied" | "actions" | "services">[]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: DENIED,
    keys: { principal: ACTOR },
    measures: {
      denied: { kind: "count" },
      actions: { kind: "distinct", field: "eventName" },
      services: { kind: "distinct", field: "eventSource" },
    },
    orderBy: "denied",
    limit: scope.limit ?? 15,
  });
}

/** Every IAM audit panel for one scope, queried in parallel. */
export async function iamAuditReport(scope: ReportScope, db: Queryable = getPool()): Promise<IamAuditReport> {
  const [kpis, changes, byPrincipal, keys, grants, assume, denied] = await Promise.all([
    iamKpis(scope, db),
    iamChangesOverTime(scope, db),
    iamChangesByPrincipal(scope, db),
    accessKeysCreated(scope, db),
    fullAccessGrants(scope, db),
    assumeRoleActivity(scope, db),
    accessDeniedByPrincipal(scope, db),
  ]);
  return {
    kpis: kpis.kpis,
    kpiHrefs: kpis.hrefs,
    bucket: changes.bucket,
    changesOverTime: { series: changes.series, points: changes.points },
    changesByPrincipal: byPrincipal,
    accessKeysCreated: keys,
    fullAccessGrants: grants,
    assumeRole: assume,
    accessDenied: denied,
  };
}
