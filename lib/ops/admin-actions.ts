/**
 * The admin actions: operations that change what Trailwatch holds or moves messages, listed in one
 * place; their server actions need the admin role (lib/auth/access-policy.ts) and record who asked.
 */
export const ADMIN_ACTIONS = {
  "reprocess-object": "Read one ledger object from S3 again through the ingest pipeline",
  "replay-dlq": "Move every message in the dead-letter queue back to the ingest queue",
} as const;

export type AdminAction = keyof typeof ADMIN_ACTIONS;

export function isAdminAction(value: unknown): value is AdminAction {
  return typeof value === "string" && Object.hasOwn(ADMIN_ACTIONS, value);
}
