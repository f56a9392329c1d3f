import { ruleSchema, type Rule, type RuleInput, type RuleSource } from "./rule-schema";

/**
 * A record as AWS writes it: a CloudTrail record (`eventVersion`, `eventTime`,
 * `userIdentity`, …) or one VPC flow-log record keyed by AWS field names
 * (`{ srcaddr: "203.0.113.9", dstport: 22, action: "ACCEPT", … }`).
 */
export type ExampleRecord = Record<string, unknown>;

/** One piece of evidence a built-in rule ships with. */
export interface RuleExample {
  /** What it shows, e.g. "StopLogging that failed (AccessDenied)". */
  name: string;
  /** True: the rule must raise an alert from these records; false: it must not (a near miss). */
  fires: boolean;
  /** Records of the rule's own source. Aggregations give several, with their times. */
  records: ExampleRecord[];
  /** Records of another source a correlation rule looks back at. */
  context?: Partial<Record<RuleSource, ExampleRecord[]>>;
  /** For rules raised by missing data (a source went quiet): when the scheduler evaluates, ISO 8601 UTC. */
  evaluateAt?: string;
}

/** A built-in rule: the validated rule and its examples. */
export interface BuiltInRule {
  rule: Rule;
  examples: RuleExample[];
}

/**
 * Declares a built-in rule (one file per rule in lib/detect/rules/, the file named after its id).
 * Throws at import when the rule breaks `ruleSchema`, naming the rule and every problem.
 */
export function defineRule(input: RuleInput & { examples: RuleExample[] }): BuiltInRule {
  const { examples, ...rest } = input;
  const parsed = ruleSchema.safeParse(rest);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(rule)"}: ${i.message}`).join("; ");
    throw new Error(`built-in rule ${String(rest.id)} is invalid: ${problems}`);
  }
  return { rule: parsed.data, examples };
}
