import type { Config } from "../config";
import type { Queryable } from "../db/queryable";
import type { StaticCredentials } from "../aws/clients";
import { getChannelForSending } from "./channels";
import { channelSecretsKey } from "./channel-secrets";
import { alertUrl, type NotificationMessage } from "./notification-message";
import { reasonOf } from "./notify-error";
import { sendNotification } from "./send-notification";

/** A made-up alert, so a channel can be tried before any alert exists. */
export function testMessage(publicUrl: string, now: Date = new Date()): NotificationMessage {
  return {
    event: "test",
    alert: {
      id: 0, ruleId: "trailwatch-test", ruleTitle: "Trailwatch test notification", severity: "info", techniques: [],
      groupKey: "111122223333 · arn:aws:iam::111122223333:user/example", groupValues: { recipientAccountId: "111122223333", "userIdentity.arn": "arn:aws:iam::111122223333:user/example" },
      accountId: "111122223333", state: "open", firstSeen: now.toISOString(), lastSeen: now.toISOString(), matchCount: 1,
    },
    url: alertUrl(publicUrl, 0).replace(/\/0$/, ""),
    sentAt: now.toISOString(),
  };
}

/**
 * Sends a test message through channel `id` now (the channel's "Send test"
 * button); nothing is recorded. Resolves `{ ok: true }` or `{ ok: false, error }`
 * with the receiver's reason; `error` never contains secrets. Throws only when the database fails.
 */
export async function sendTestNotification(db: Queryable, id: number, cfg: Config, awsCredentials?: StaticCredentials): Promise<{ ok: true } | { ok: false; error: string }> {
  const channel = await getChannelForSending(db, id, channelSecretsKey(cfg));
  if (!channel) return { ok: false, error: `no channel ${id}` };
  try {
    await sendNotification(channel, testMessage(cfg.TRAILWATCH_PUBLIC_URL), { config: cfg, timeoutMs: cfg.TRAILWATCH_NOTIFY_TIMEOUT_SECONDS * 1000, awsCredentials });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: reasonOf(error) };
  }
}
