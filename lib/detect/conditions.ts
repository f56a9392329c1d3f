import type { Condition, Predicate } from "./rule-schema";

/**
 * Builders for condition trees, so built-in rules read like their intent:
 * `all(eq("eventSource", "iam.amazonaws.com"), isIn("eventName", [...]), succeeded())`.
 * They only build data; `ruleSchema` validates it and `compileRule` turns it into SQL.
 */

type Scalar = string | number | boolean;
type Words = string | string[];
type Options = { ignoreCase?: boolean };

export const eq = (field: string, value: Scalar, options: Options = {}): Predicate => ({ field, op: "equals", value, ...options });
export const isIn = (field: string, value: Scalar[], options: Options = {}): Predicate => ({ field, op: "in", value, ...options });
export const prefix = (field: string, value: Words, options: Options = {}): Predicate => ({ field, op: "prefix", value, ...options });
export const suffix = (field: string, value: Words, options: Options = {}): Predicate => ({ field, op: "suffix", value, ...options });
export const contains = (field: string, value: Words, options: Options = {}): Predicate => ({ field, op: "contains", value, ...options });
export const exists = (field: string): Predicate => ({ field, op: "exists", value: true });
export const missing = (field: string): Predicate => ({ field, op: "exists", value: false });
export const cidr = (field: string, value: Words): Predicate => ({ field, op: "cidr", value });
export const gt = (field: string, value: number): Predicate => ({ field, op: "gt", value });
export const gte = (field: string, value: number): Predicate => ({ field, op: "gte", value });
export const lt = (field: string, value: number): Predicate => ({ field, op: "lt", value });
export const lte = (field: string, value: number): Predicate => ({ field, op: "lte", value });
export const sameAs = (field: string, otherField: string): Predicate => ({ field, op: "equalsField", value: otherField });
export const all = (...conditions: Condition[]): Condition => ({ all: conditions });
export const any = (...conditions: Condition[]): Condition => ({ any: conditions });
export const not = (condition: Condition): Condition => ({ not: condition });

/** A CloudTrail call of `eventSource` (e.g. `"iam.amazonaws.com"`) named one of `eventNames`. */
export const call = (eventSource: string, eventNames: string[]): Condition =>
  all(eq("eventSource", eventSource), eventNames.length === 1 ? eq("eventName", eventNames[0]!) : isIn("eventName", eventNames));

/** The call succeeded: CloudTrail writes `errorCode` only for failed calls. */
export const succeeded = (): Predicate => missing("errorCode");

/** Made by the account's own people or workloads, not by an AWS service on their behalf (`userIdentity.type` AWSService, or `invokedBy` set, e.g. CloudFormation). */
export const notByAwsService = (): Condition => all(not(eq("userIdentity.type", "AWSService")), missing("userIdentity.invokedBy"));

/** Allow-list pattern of service-linked roles (`/aws-service-role/` path): AWS services acting through a role. */
export const SERVICE_LINKED_ROLES = "arn:aws:iam::*:role/aws-service-role/*";

/** Private, loopback, link-local and shared address space (RFC 1918, 6598, 4193): "not from the internet". */
export const PRIVATE_NETWORKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"];

/** The field holds an IP address (not a service name such as `ec2.amazonaws.com` or "AWS Internal") and it is a public (internet) one. */
export const publicAddress = (field: string): Condition => all(cidr(field, ["0.0.0.0/0", "::/0"]), not(cidr(field, PRIVATE_NETWORKS)));
