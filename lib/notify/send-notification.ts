import type { Channel, ChannelConfig, ChannelKind, ChannelSecrets } from "./channel-schema";
import type { NotificationMessage } from "./notification-message";
import type { SendContext } from "./send-context";
import { sendSlack } from "./send-slack";
import { sendWebhook } from "./send-webhook";

type Sender<K extends ChannelKind> = (config: ChannelConfig<K>, secrets: ChannelSecrets<K>, message: NotificationMessage, ctx: SendContext) => Promise<void>;

/**
 * One sender per kind: a new kind does not compile until it has one. Email (nodemailer) and SNS
 * (its AWS SDK client) are imported when such a channel first sends, so a worker without them
 * does not hold their modules (issue 9, worker memory).
 */
const SENDERS: { [K in ChannelKind]: Sender<K> } = {
  webhook: sendWebhook,
  slack: sendSlack,
  email: async (config, secrets, message, ctx) => (await import("./send-email")).sendEmail(config, secrets, message, ctx),
  sns: async (config, secrets, message, ctx) => (await import("./send-sns")).sendSns(config, secrets, message, ctx),
};

/** Sends `message` through `channel`. Resolves when the receiver accepted it; throws NotifyError otherwise. */
export async function sendNotification(channel: Channel, message: NotificationMessage, ctx: SendContext): Promise<void> {
  const send = SENDERS[channel.kind] as Sender<ChannelKind>;
  await send(channel.config as never, channel.secrets as never, message, ctx);
}
