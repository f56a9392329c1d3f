/**
 * The admin actions: operations that change what Trailwatch holds or moves messages, listed in one
 * place so the sign-in issue can require the admin role for each (the UI marks them "admin").
 * Until sign-in exists, requests are recorded under ANONYMOUS_ACTOR.
 */
export const ADMIN_ACTIONS = {
  "reprocess-object": "Read one ledger object from S3 again through the ingest pipeline",
  "replay-dlq": "Move every message in the dead-letter queue back to the ingest queue",
} as const;

export type AdminAction = keyof typeof ADMIN_ACTIONS;

/** Who asked, until sign-in exists. */
export const ANONYMOUS_ACTOR = "anonymous";

export function isAdminAction(value: unknown): value is AdminAction {
  return typeof value === "string" && Object.hasOwn(ADMIN_ACTIONS, value);
}
