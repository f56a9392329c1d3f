import { createHmac } from "node:crypto";
import type { ChannelConfig, ChannelSecrets } from "./channel-schema";
import type { NotificationMessage } from "./notification-message";
import { isPermanentStatus, NotifyError } from "./notify-error";
import type { SendContext } from "./send-context";

/** Header carrying the HMAC-SHA256 signature: `sha256=<hex>`. */
export const SIGNATURE_HEADER = "X-Trailwatch-Signature";
/** Header carrying the signing time, Unix seconds (part of the signed text, so old requests can be refused). */
export const TIMESTAMP_HEADER = "X-Trailwatch-Timestamp";

/**
 * The signature of a webhook request: hex HMAC-SHA256 with the channel's
 * signing secret over `<timestamp>.<body>` (the exact body bytes). A receiver
 * recomputes it and compares in constant time, and refuses stale timestamps.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * POSTs the message as JSON (`NotificationMessage`) to the channel's URL, with
 * `X-Trailwatch-Event`, `X-Trailwatch-Delivery` and, when the channel has a
 * signing secret, `X-Trailwatch-Timestamp` + `X-Trailwatch-Signature`.
 * Any 2xx is success. Throws NotifyError: permanent for 4xx other than 408/429.
 */
export async function sendWebhook(config: ChannelConfig<"webhook">, secrets: ChannelSecrets<"webhook">, message: NotificationMessage, ctx: SendContext): Promise<void> {
  const body = JSON.stringify(message);
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Trailwatch", "X-Trailwatch-Event": message.event };
  if (ctx.deliveryId) headers["X-Trailwatch-Delivery"] = ctx.deliveryId;
  if (secrets.signingSecret) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers[TIMESTAMP_HEADER] = timestamp;
    headers[SIGNATURE_HEADER] = `sha256=${webhookSignature(secrets.signingSecret, timestamp, body)}`;
  }
  await postJson(config.url, body, headers, ctx.timeoutMs);
}

/** POSTs `body`; resolves on 2xx, else throws NotifyError naming the status and the start of the answer. */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body, headers, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new NotifyError(`request to ${new URL(url).host} failed: ${(error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (cause ?? (error as Error).message)}`, { cause: error });
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const text = (await response.text().catch(() => "")).slice(0, 200);
  throw new NotifyError(`${new URL(url).host} answered ${response.status}${text ? `: ${text}` : ""}`, { permanent: isPermanentStatus(response.status) });
}
