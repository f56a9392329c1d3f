import type { Channel, ChannelConfig, ChannelKind, ChannelSecrets } from "./channel-schema";
import type { NotificationMessage } from "./notification-message";
import type { SendContext } from "./send-context";
import { sendEmail } from "./send-email";
import { sendSlack } from "./send-slack";
import { sendSns } from "./send-sns";
import { sendWebhook } from "./send-webhook";

type Sender<K extends ChannelKind> = (config: ChannelConfig<K>, secrets: ChannelSecrets<K>, message: NotificationMessage, ctx: SendContext) => Promise<void>;

/** One sender per kind: a new kind does not compile until it has one. */
const SENDERS: { [K in ChannelKind]: Sender<K> } = {
  webhook: sendWebhook,
  slack: sendSlack,
  email: sendEmail,
  sns: sendSns,
};

/** Sends `message` through `channel`. Resolves when the receiver accepted it; throws NotifyError otherwise. */
export async function sendNotification(channel: Channel, message: NotificationMessage, ctx: SendContext): Promise<void> {
  const send = SENDERS[channel.kind] as Sender<ChannelKind>;
  await send(channel.config as never, channel.secrets as never, message, ctx);
}
