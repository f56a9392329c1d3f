import { ANONYMOUS, DENIED, IAM_WRITES } from "./change-catalogue";
import { selectionWithin, type RecordSource, type Selection } from "./selection";

/**
 * Event slices (table `cloudtrail_event_slices`, migration 20261206100000_report_rollups_actors_slices; `cross-account`:
 * 20261206140000_s3_report_rollup_slice): copies of the CloudTrail rows of a few small, much-read subsets — console and
 * federation sign-ins, IAM changes, refused calls, anonymous requests, calls from another account — with every
 * column of `cloudtrail_events`, the raw record included. A panel whose records all lie in a slice reads the
 * slice instead of the events table, with the same SQL: at 10M events a month of sign-ins is ~0.5% of the rows,
 * so JSON paths (`responseElements.ConsoleLogin`, `additionalEventData.MFAUsed`, …), bursts and first sightings
 * over it no longer visit the other 99.5%.
 *
 * Kept exact like the rollups (lib/reports/rollups.ts): the refresh rebuilds the slice rows of every dirty hour
 * from the raw rows, and a read refreshes first. The refresh function in the migration holds the same
 * definitions in SQL; lib/reports/slices.int.test.ts checks they agree.
 */

export interface Slice {
  /** The value of the table's `slice` column. */
  name: string;
  source: RecordSource;
  /**
   * The records it holds, as plain values only: `include` lists the values a field may take, `exclude` the
   * values it may not (absent fields pass, as in a {@link Selection}).
   */
  selection: Selection;
  /** And these two fields are both present and differ (the records of a query whose rows need the same). */
  differ?: readonly [string, string];
  /**
   * Whether its partition has an index on time including every column its panels read (migrations
   * 20261206190300_slice_covering_indexes, 20261207020000_signins_covering_index): its rows are then read as narrow
   * index entries, and a second read is cheap.
   */
  coveringIndex?: boolean;
}

/** Console sign-in, IAM Identity Center and federation-broker events (the Login audit's records). */
const SIGNIN_EVENT_NAMES = ["ConsoleLogin", "UserAuthentication", "GetSigninToken", "GetFederationToken", "CheckMfa", "SwitchRole"] as const;
/** Those events: the `signins` slice's records, and the `logins` rollup's (lib/reports/rollups.ts). */
export const SIGNIN_EVENTS: Selection = { include: { eventName: [...SIGNIN_EVENT_NAMES] } };

export const SLICES: readonly Slice[] = [
  { name: "signins", source: "cloudtrail", selection: SIGNIN_EVENTS, coveringIndex: true },
  { name: "iam-writes", source: "cloudtrail", selection: IAM_WRITES, coveringIndex: true },
  { name: "denied", source: "cloudtrail", selection: DENIED, coveringIndex: true },
  { name: "anonymous", source: "cloudtrail", selection: ANONYMOUS },
  // Calls by a principal of another account than the trail's (the owner's): cross-account access.
  // Anonymous callers are in `anonymous`.
  { name: "cross-account", source: "cloudtrail", selection: { exclude: ANONYMOUS.include }, differ: ["recipientAccountId", "userIdentity.accountId"] },
];

/** Each source's slice table (only CloudTrail has slices). */
export const SLICE_TABLES: Partial<Record<RecordSource, string>> = { cloudtrail: "cloudtrail_event_slices" };

/**
 * Whether every record `selection` selects (with `differ`: whose two fields are also both present and differ) is in
 * `slice` ({@link selectionWithin}), and a slice of differing fields is only read for those fields differing.
 */
export function sliceHolds(slice: Slice, selection: Selection | undefined, differ?: readonly [string, string]): boolean {
  if (slice.differ && !(differ && samePair(differ, slice.differ))) return false;
  return selectionWithin(selection, slice.selection);
}

/** Whether two pairs of field names are the same pair, in either order. */
function samePair(a: readonly [string, string], b: readonly [string, string]): boolean {
  return (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);
}

/** The first slice of `source` holding every record of each of `selections` (all of them; with `differ`, see {@link sliceHolds}), or null. */
export function sliceFor(source: RecordSource, selections: readonly (Selection | undefined)[], differ?: readonly [string, string]): Slice | null {
  if (selections.length === 0) return null;
  return SLICES.find((s) => s.source === source && selections.every((sel) => sliceHolds(s, sel, differ))) ?? null;
}
