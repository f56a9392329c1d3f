import nodemailer from "nodemailer";
import type { ChannelConfig, ChannelSecrets } from "./channel-schema";
import { plainText, subjectLine, type NotificationMessage } from "./notification-message";
import { NotifyError } from "./notify-error";
import type { SendContext } from "./send-context";

/**
 * Sends the message as a plain-text email over SMTP (nodemailer): subject
 * `subjectLine`, body `plainText`, to every address of the channel.
 * Throws NotifyError: permanent when the server refuses with a 5xx reply
 * (e.g. 550 no such mailbox, 535 authentication failed), else transient.
 */
export async function sendEmail(config: ChannelConfig<"email">, secrets: ChannelSecrets<"email">, message: NotificationMessage, ctx: SendContext): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.username ? { auth: { user: config.username, pass: secrets.password ?? "" } } : {}),
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
  });
  try {
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: subjectLine(message),
      text: plainText(message),
      headers: { "X-Trailwatch-Event": message.event, ...(ctx.deliveryId ? { "X-Trailwatch-Delivery": ctx.deliveryId } : {}) },
    });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    throw new NotifyError(`SMTP ${config.host}:${config.port}: ${(error as Error).message}`, { permanent: code !== undefined && code >= 500, cause: error });
  } finally {
    transport.close();
  }
}
