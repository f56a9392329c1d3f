import { z } from "zod";
import { SEVERITIES } from "../detect/rule-schema";

/**
 * The notification channel model: where a notification goes (its kind with
 * that kind's settings and secrets) and which alert events reach it (routing).
 * Secrets (signing keys, webhook URLs that embed a token, SMTP passwords) are
 * stored apart from the settings and never returned to the browser.
 */

export const CHANNEL_KINDS = ["webhook", "slack", "email", "sns"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Alert lifecycle events a channel can be told about (`renotify`: still open after the channel's interval). */
export const NOTIFY_EVENTS = ["opened", "reopened", "acknowledged", "resolved"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export type OutboxEvent = NotifyEvent | "renotify";

const httpUrl = z.string().trim().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "an http(s) URL");

/** Settings shown in the UI, and secrets (write-only) of each kind. */
export const KIND_SCHEMAS = {
  webhook: {
    config: z.object({ url: httpUrl }).strict(),
    /** `signingSecret`: when set, each request carries `X-Trailwatch-Signature` (see send-webhook.ts). */
    secrets: z.object({ signingSecret: z.string().min(16, "at least 16 characters").optional() }).strict(),
  },
  slack: {
    config: z.object({}).strict(),
    /** Slack's incoming-webhook URL is itself the credential. */
    secrets: z.object({ webhookUrl: httpUrl }).strict(),
  },
  email: {
    config: z
      .object({
        host: z.string().trim().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        username: z.string().trim().min(1).optional(),
        from: z.string().trim().email("an email address"),
        to: z.array(z.string().trim().email("an email address")).min(1, "at least one recipient"),
      })
      .strict(),
    secrets: z.object({ password: z.string().min(1).optional() }).strict(),
  },
  sns: {
    config: z.object({ topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, "an SNS topic ARN, e.g. arn:aws:sns:us-east-1:111122223333:security-alerts") }).strict(),
    /** Credentials come from the AWS SDK's default provider chain. */
    secrets: z.object({}).strict(),
  },
} as const satisfies Record<ChannelKind, { config: z.ZodType; secrets: z.ZodType }>;

export type ChannelConfig<K extends ChannelKind> = z.output<(typeof KIND_SCHEMAS)[K]["config"]>;
export type ChannelSecrets<K extends ChannelKind> = z.output<(typeof KIND_SCHEMAS)[K]["secrets"]>;

/** Which alert events reach a channel. */
export const routingSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Alerts below this severity are not sent. */
    minSeverity: z.enum(SEVERITIES).default("info"),
    /**
     * The rules whose alerts this channel takes: null, every rule; a list, only
     * those (empty: none). The one record of rule → channel routing, edited on the
     * channel and from the rule editor (`setRuleChannels`).
     */
    ruleIds: z.array(z.string().min(1)).nullable().default(null),
    events: z.array(z.enum(NOTIFY_EVENTS)).min(1, "choose at least one event").default(["opened", "reopened"]),
    /** Send again while an alert stays open this many minutes after the last notification; null: never. */
    renotifyMinutes: z.number().int().min(5).max(7 * 24 * 60).nullable().default(null),
  })
  .strict();
export type Routing = z.output<typeof routingSchema>;

const channelBase = { name: z.string().trim().min(1).max(80), routing: routingSchema.default(routingSchema.parse({})) };

/**
 * A channel as created or edited. On edit, a secret left out keeps its stored
 * value (the browser never has it); `secrets` of a new channel must be complete.
 */
export const channelInputSchema = z.discriminatedUnion("kind", [
  z.object({ ...channelBase, kind: z.literal("webhook"), config: KIND_SCHEMAS.webhook.config, secrets: KIND_SCHEMAS.webhook.secrets.partial().default({}) }).strict(),
  z.object({ ...channelBase, kind: z.literal("slack"), config: KIND_SCHEMAS.slack.config.default({}), secrets: KIND_SCHEMAS.slack.secrets.partial().default({}) }).strict(),
  z.object({ ...channelBase, kind: z.literal("email"), config: KIND_SCHEMAS.email.config, secrets: KIND_SCHEMAS.email.secrets.partial().default({}) }).strict(),
  z.object({ ...channelBase, kind: z.literal("sns"), config: KIND_SCHEMAS.sns.config, secrets: KIND_SCHEMAS.sns.secrets.partial().default({}) }).strict(),
]);
export type ChannelInput = z.input<typeof channelInputSchema>;

/** A stored channel with its secrets: only the sender ever sees this. */
export type Channel = {
  [K in ChannelKind]: { id: number; name: string; kind: K; config: ChannelConfig<K>; secrets: ChannelSecrets<K>; routing: Routing };
}[ChannelKind];

/** A channel as the UI and API show it: secrets replaced by the names of those that are set. */
export interface ChannelView {
  id: number;
  name: string;
  kind: ChannelKind;
  config: Record<string, unknown>;
  secretsSet: string[];
  routing: Routing;
  updatedAt: Date;
  updatedBy: string;
}
