import { getPool } from "../db/pool";
import {
  ANONYMOUS,
  FAILED,
  S3_ACCESS_CHANGE_CATEGORIES,
  S3_ACCESS_DENIED,
  S3_BUCKET,
  S3_BYTES_OUT,
  S3_CALLER,
  S3_DATA_EVENTS,
  S3_DELETE,
  S3_EVENTS,
  S3_GET,
  S3_PUT,
} from "./change-catalogue";
import { changeCategories, type SensitiveChanges } from "./overview";
import type { Queryable } from "../db/queryable";
import type { ReportScope } from "./report-filters";
import { groupRows, listEvents, measureCounts, splitCounted, timeSeries, type EventRow, type GroupRow, type SeriesPoint } from "./report-query";
import { isLiteral, mergeSelections, type Selection } from "./selection";
import type { BucketUnit } from "./time-range";

/**
 * The S3 data events report: object-level activity (GetObject, PutObject, DeleteObject, …) per bucket
 * and principal, anonymous and cross-account access, refusals, changes to who may reach a bucket, and
 * the largest transfers. One function per panel over a scope. S3 data events are only logged when a
 * trail selects them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html);
 * byte counts come from `additionalEventData.bytesTransferredIn/Out` (bytes), present on newer events.
 * Anonymous requests arrive with `userIdentity.accountId` "anonymous"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html).
 */

export interface S3Kpis {
  /** Object-level calls (data events). */
  dataEvents: number;
  gets: number;
  puts: number;
  deletes: number;
  /** Sum of `bytesTransferredOut` over data events, in bytes. */
  bytesOut: number;
  /** S3 calls (data or management) by anonymous callers. */
  anonymous: number;
  /** S3 calls refused with AccessDenied. */
  accessDenied: number;
  /** Bucket policy, ACL, Block Public Access and ownership changes. */
  accessChanges: number;
}

export type S3KpiHrefs = Record<keyof S3Kpis, string | null>;
export type BucketRow = GroupRow<"bucket", "requests" | "gets" | "puts" | "deletes" | "bytesOut" | "errors">;

export interface LargestTransfer extends EventRow<"bucket" | "key" | "bytesOut"> {
  /** `bytesTransferredOut`, in bytes. */
  bytes: number;
}

export interface S3Report {
  kpis: S3Kpis;
  kpiHrefs: S3KpiHrefs;
  /** Cross-account S3 calls (caller account ≠ the account the event was delivered to, anonymous excluded); no single link lists them, the table rows do. */
  crossAccountCalls: number;
  bucket: BucketUnit;
  /** GetObject, PutObject, DeleteObject and other data events per bucket. */
  objectCallsOverTime: SeriesPoint<"get" | "put" | "delete" | "other">[];
  topBuckets: BucketRow[];
  topPrincipalsPerBucket: GroupRow<"bucket" | "principal", "requests" | "bytesOut" | "denied">[];
  anonymousAccess: GroupRow<"bucket" | "name" | "ip", "requests" | "bytesOut">[];
  crossAccount: GroupRow<"owner" | "caller" | "bucket" | "principal", "requests" | "denied">[];
  accessDenied: GroupRow<"bucket" | "principal", "denied" | "actions">[];
  accessChanges: SensitiveChanges;
  largestTransfers: LargestTransfer[];
}

/** KPI tiles with their links. */
export async function s3Kpis(scope: ReportScope, db: Queryable = getPool()): Promise<{ kpis: S3Kpis; hrefs: S3KpiHrefs }> {
  const accessChanges = mergeSelections(S3_EVENTS, {
    include: { eventName: S3_ACCESS_CHANGE_CATEGORIES.flatMap((c) => c.selection.include?.eventName as string[]) },
  });
  const counted = await measureCounts(db, {
    source: "cloudtrail",
    scope,
    measures: {
      dataEvents: { kind: "count", where: S3_DATA_EVENTS },
      gets: { kind: "count", where: mergeSelections(S3_EVENTS, S3_GET) },
      puts: { kind: "count", where: mergeSelections(S3_EVENTS, S3_PUT) },
      deletes: { kind: "count", where: mergeSelections(S3_EVENTS, S3_DELETE) },
      bytesOut: { kind: "sum", field: S3_BYTES_OUT, where: S3_DATA_EVENTS },
      anonymous: { kind: "count", where: mergeSelections(S3_EVENTS, ANONYMOUS) },
      accessDenied: { kind: "count", where: mergeSelections(S3_EVENTS, S3_ACCESS_DENIED) },
      accessChanges: { kind: "count", where: accessChanges },
    },
  });
  const { values, hrefs } = splitCounted(counted);
  return { kpis: values, hrefs };
}

/** GetObject / PutObject / DeleteObject / other object-level calls per UTC bucket, gap-filled. */
export async function objectCallsOverTime(scope: ReportScope, db: Queryable = getPool()): Promise<{ bucket: BucketUnit; points: SeriesPoint<"get" | "put" | "delete" | "other">[] }> {
  return timeSeries(db, {
    source: "cloudtrail",
    scope,
    base: S3_DATA_EVENTS,
    series: {
      get: { kind: "count", where: S3_GET },
      put: { kind: "count", where: S3_PUT },
      delete: { kind: "count", where: S3_DELETE },
      other: { kind: "count", where: { exclude: { eventName: ["GetObject", "PutObject", "DeleteObject"] } } },
    },
  });
}

/**
 * The busiest buckets by object-level calls, with reads, writes, deletes, bytes out and errors (default 15). Read
 * from the `buckets` leader board (lib/reports/leaders.ts: lower bounds with margins where a bucket of time dropped
 * the bucket), with an account or region filter from the raw events; who called is {@link topPrincipalsPerBucket}'s.
 */
export function topBuckets(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<BucketRow[]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: mergeSelections(S3_DATA_EVENTS, { include: { [S3_BUCKET]: "*" } }),
    keys: { bucket: S3_BUCKET },
    measures: {
      requests: { kind: "count" },
      gets: { kind: "count", where: S3_GET },
      puts: { kind: "count", where: S3_PUT },
      deletes: { kind: "count", where: S3_DELETE },
      bytesOut: { kind: "sum", field: S3_BYTES_OUT },
      errors: { kind: "count", where: FAILED },
    },
    orderBy: "requests",
    limit: scope.limit ?? 15,
  });
}

/**
 * For the busiest `buckets` buckets (default 5), their top `perBucket` callers (default 5), most calls first
 * within each bucket. `busiest` may pass the buckets already ranked by {@link topBuckets} (saves a query).
 */
export async function topPrincipalsPerBucket(
  scope: ReportScope & { buckets?: number; perBucket?: number; busiest?: readonly BucketRow[] },
  db: Queryable = getPool(),
): Promise<S3Report["topPrincipalsPerBucket"]> {
  const count = scope.buckets ?? 5;
  const top = scope.busiest ? scope.busiest.slice(0, count) : await topBuckets({ ...scope, limit: count }, db);
  // Names from the data become filter values: one the link syntax would read as a pattern is left out.
  const names = top.map((b) => b.key.bucket).filter((b): b is string => b !== null && isLiteral("cloudtrail", S3_BUCKET, b));
  if (names.length === 0) return [];
  const perBucket = scope.perBucket ?? 5;
  const rows = await groupRows(db, {
    source: "cloudtrail",
    scope,
    base: mergeSelections(S3_DATA_EVENTS, { include: { [S3_BUCKET]: names } }),
    keys: { bucket: S3_BUCKET, principal: S3_CALLER },
    measures: { requests: { kind: "count" }, bytesOut: { kind: "sum", field: S3_BYTES_OUT }, denied: { kind: "count", where: S3_ACCESS_DENIED } },
    orderBy: "requests",
    perKey: { key: "bucket", limit: perBucket },
    limit: names.length * perBucket,
  });
  // Buckets in the order of their activity, callers by calls within each.
  return rows.sort((a, b) => names.indexOf(a.key.bucket ?? "") - names.indexOf(b.key.bucket ?? "") || b.values.requests - a.values.requests);
}

/** Anonymous S3 calls per bucket, call and source address (default 20 rows). */
export function anonymousAccess(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<S3Report["anonymousAccess"]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: mergeSelections(S3_EVENTS, ANONYMOUS),
    keys: { bucket: S3_BUCKET, name: "eventName", ip: "sourceIPAddress" },
    measures: { requests: { kind: "count" }, bytesOut: { kind: "sum", field: S3_BYTES_OUT } },
    orderBy: "requests",
    limit: scope.limit ?? 20,
  });
}

/**
 * S3 calls from another account than the one the event was delivered to (the bucket owner's trail),
 * per owner, caller account, bucket and caller; anonymous calls are in {@link anonymousAccess}.
 * Most calls first (default 20 rows).
 */
export function crossAccountAccess(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<S3Report["crossAccount"]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: mergeSelections(S3_EVENTS, { exclude: { "userIdentity.accountId": "anonymous" } }),
    keys: { owner: "recipientAccountId", caller: "userIdentity.accountId", bucket: S3_BUCKET, principal: S3_CALLER },
    measures: { requests: { kind: "count" }, denied: { kind: "count", where: S3_ACCESS_DENIED } },
    keysDiffer: ["owner", "caller"],
    orderBy: "requests",
    limit: scope.limit ?? 20,
  });
}

/** Total cross-account S3 calls (the sum over every row {@link crossAccountAccess} would list). */
export async function crossAccountCalls(scope: ReportScope, db: Queryable = getPool()): Promise<number> {
  const rows = await groupRows(db, {
    source: "cloudtrail",
    scope,
    base: mergeSelections(S3_EVENTS, { exclude: { "userIdentity.accountId": "anonymous" } }),
    keys: { owner: "recipientAccountId", caller: "userIdentity.accountId" },
    measures: { requests: { kind: "count" } },
    keysDiffer: ["owner", "caller"],
    orderBy: "requests",
    limit: 500,
  });
  return rows.reduce((n, r) => n + r.values.requests, 0);
}

/** S3 calls refused with AccessDenied, per bucket and caller (default 20 rows). */
export function s3AccessDenied(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<S3Report["accessDenied"]> {
  return groupRows(db, {
    source: "cloudtrail",
    scope,
    base: mergeSelections(S3_EVENTS, S3_ACCESS_DENIED),
    keys: { bucket: S3_BUCKET, principal: S3_CALLER },
    measures: { denied: { kind: "count" }, actions: { kind: "distinct", field: "eventName" } },
    orderBy: "denied",
    limit: scope.limit ?? 20,
  });
}

/** Bucket policy, ACL, Block Public Access and object-ownership changes: counts and the newest events. */
export function s3AccessChanges(scope: ReportScope, db: Queryable = getPool()): Promise<SensitiveChanges> {
  return changeCategories(S3_ACCESS_CHANGE_CATEGORIES, { ...scope, limit: 25 }, db);
}

/** The largest object downloads by `bytesTransferredOut` (events without it are left out), largest first (default 15). */
export async function largestTransfers(scope: ReportScope & { limit?: number }, db: Queryable = getPool()): Promise<LargestTransfer[]> {
  const rows = await listEvents(db, {
    scope,
    base: mergeSelections(S3_DATA_EVENTS, { include: { [S3_BYTES_OUT]: "*" } }),
    fields: { bucket: S3_BUCKET, key: "requestParameters.key", bytesOut: S3_BYTES_OUT },
    orderBy: { largest: S3_BYTES_OUT },
    limit: scope.limit ?? 15,
  });
  return rows.map((r) => ({ ...r, bytes: Number(r.fields.bytesOut) || 0 })).filter((r) => r.bytes > 0);
}

/** Every S3 panel for one scope, queried in parallel. */
export async function s3Report(scope: ReportScope, db: Queryable = getPool()): Promise<S3Report> {
  const bucketsThenPrincipals = topBuckets(scope, db).then(async (buckets) => [buckets, await topPrincipalsPerBucket({ ...scope, busiest: buckets }, db)] as const);
  const [kpis, cross, series, [buckets, principals], anonymous, crossRows, denied, changes, largest] = await Promise.all([
    s3Kpis(scope, db),
    crossAccountCalls(scope, db),
    objectCallsOverTime(scope, db),
    bucketsThenPrincipals,
    anonymousAccess(scope, db),
    crossAccountAccess(scope, db),
    s3AccessDenied(scope, db),
    s3AccessChanges(scope, db),
    largestTransfers(scope, db),
  ]);
  return {
    kpis: kpis.kpis,
    kpiHrefs: kpis.hrefs,
    crossAccountCalls: cross,
    bucket: series.bucket,
    objectCallsOverTime: series.points,
    topBuckets: buckets,
    topPrincipalsPerBucket: principals,
    anonymousAccess: anonymous,
    crossAccount: crossRows,
    accessDenied: denied,
    accessChanges: changes,
    largestTransfers: largest,
  };
}
