import { PublishCommand } from "@aws-sdk/client-sns";
import { createSnsClient } from "../aws/clients";
import type { ChannelConfig, ChannelSecrets } from "./channel-schema";
import { subjectLine, type NotificationMessage } from "./notification-message";
import { NotifyError } from "./notify-error";
import type { SendContext } from "./send-context";

/**
 * Publishes the message to the channel's SNS topic (the topic's region, from
 * its ARN): `Message` is the `NotificationMessage` JSON, `Subject` the subject
 * line (ASCII, ≤ 100 characters, as SNS requires for email subscribers), and
 * message attributes `severity` and `event` for subscription filter policies.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * Throws NotifyError: permanent for client errors (no such topic, not authorised).
 */
export async function sendSns(config: ChannelConfig<"sns">, _secrets: ChannelSecrets<"sns">, message: NotificationMessage, ctx: SendContext): Promise<void> {
  const region = config.topicArn.split(":")[3]!;
  const sns = await createSnsClient(ctx.config, region, ctx.awsCredentials);
  try {
    await sns.send(
      new PublishCommand({
        TopicArn: config.topicArn,
        Subject: subjectLine(message, 100).replace(/[^\x20-\x7e]/g, "-"),
        Message: JSON.stringify(message),
        MessageAttributes: {
          severity: { DataType: "String", StringValue: message.alert.severity },
          event: { DataType: "String", StringValue: message.event },
        },
      }),
      { abortSignal: AbortSignal.timeout(ctx.timeoutMs) },
    );
  } catch (error) {
    const fault = (error as { $fault?: string }).$fault;
    throw new NotifyError(`SNS ${config.topicArn}: ${(error as Error).name}: ${(error as Error).message}`, { permanent: fault === "client" && (error as Error).name !== "ThrottlingException", cause: error });
  } finally {
    sns.destroy();
  }
}
