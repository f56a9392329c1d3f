import { z } from "zod";
import { isField, predicateProblem } from "./fields";

// The rule editor validates in the browser too, where zod's object parsers would first probe
// `new Function` to compile themselves; under the CSP (no unsafe-eval) that probe is a reported
// violation. The interpreted parsers are plenty fast for rules. Set before any schema is built.
z.config({ jitless: true });

/**
 * The one rule model. Built-in rules (lib/detect/rules/*.ts), user rules and the
 * rule editor all validate through `ruleSchema`; `compileRule` turns a valid rule
 * into parameterised SQL. Field names are AWS's own (`eventName`,
 * `userIdentity.arn`, `requestParameters.userName`, `srcaddr`, `log-status`):
 * see lib/detect/fields.ts.
 */

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SOURCES = ["cloudtrail", "vpcflow"] as const;
export type RuleSource = (typeof SOURCES)[number];

/** `T1562` or `T1562.008`: https://attack.mitre.org/techniques/enterprise/ */
export const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const field = z.string().min(1);

/**
 * One test on one field. String tests are case-sensitive unless `ignoreCase`;
 * a field that is absent (SQL NULL, JSON path not present) fails every test but
 * `exists: false`, so `not` of a test is true for records without the field.
 * On a JSON path that reaches several values (arrays are searched, AWS's
 * `items` lists included), the test passes when any value passes.
 */
export const predicateSchema = z.discriminatedUnion("op", [
  z.object({ field, op: z.literal("equals"), value: scalar, ignoreCase: z.boolean().optional() }).strict(),
  z.object({ field, op: z.literal("in"), value: z.array(scalar).min(1), ignoreCase: z.boolean().optional() }).strict(),
  z.object({ field, op: z.enum(["prefix", "suffix", "contains"]), value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]), ignoreCase: z.boolean().optional() }).strict(),
  z.object({ field, op: z.literal("exists"), value: z.boolean().default(true) }).strict(),
  z.object({ field, op: z.literal("cidr"), value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) }).strict(),
  z.object({ field, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number() }).strict(),
  /** The field's value equals another field's of the same record (e.g. `requestParameters.userName` and `userIdentity.userName`). */
  z.object({ field, op: z.literal("equalsField"), value: field }).strict(),
]);
export type Predicate = z.infer<typeof predicateSchema>;
export type PredicateOp = Predicate["op"];

/** A condition tree: a predicate, or `all` / `any` / `not` of conditions. */
export type Condition = Predicate | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    predicateSchema,
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

/** CloudWatch's `ComparisonOperator` values (threshold alarms). */
export const COMPARISONS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** CloudWatch's `TreatMissingData` values: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data */
export const MISSING_DATA = ["missing", "notBreaching", "breaching", "ignore"] as const;
export type TreatMissingData = (typeof MISSING_DATA)[number];

/**
 * A threshold alarm per group, with CloudWatch semantics: matching records are
 * bucketed into periods (aligned to the Unix epoch, UTC); each period's statistic
 * is a datapoint; a group is in ALARM when at least `datapointsToAlarm` of the
 * last `evaluationPeriods` datapoints breach `threshold`.
 */
export const aggregationSchema = z
  .object({
    statistic: z.enum(["count", "distinctCount", "sum"]),
    /** The field counted distinctly or summed (required for distinctCount and sum). */
    field: field.optional(),
    /** Period length in seconds (60 s … 1 day). */
    periodSeconds: z.number().int().min(60).max(86_400),
    evaluationPeriods: z.number().int().min(1).max(100),
    datapointsToAlarm: z.number().int().min(1).max(100),
    threshold: z.number(),
    comparison: z.enum(COMPARISONS),
    treatMissingData: z.enum(MISSING_DATA).default("missing"),
  })
  .strict()
  .refine((a) => a.datapointsToAlarm <= a.evaluationPeriods, { message: "datapointsToAlarm cannot exceed evaluationPeriods", path: ["datapointsToAlarm"] })
  .refine((a) => a.statistic === "count" || a.field !== undefined, { message: "distinctCount and sum need a field", path: ["field"] });
export type Aggregation = z.infer<typeof aggregationSchema>;

/**
 * Records matching any entry are never alerted on: the main tool against false
 * positives. Patterns use `*` as a wildcard (any run of characters).
 */
export const allowListSchema = z
  .object({
    /** `userIdentity.arn` or `sessionContext.sessionIssuer.arn` patterns, e.g. `arn:aws:iam::*:role/ci-*`. */
    principalArns: z.array(z.string().min(1)).optional(),
    /** Role names (the session issuer's `userName` of an assumed-role session), exact, e.g. `OrganizationAccountAccessRole`. */
    roleNames: z.array(z.string().min(1)).optional(),
    /** `sourceIPAddress` (CloudTrail) or `srcaddr` (flow logs) networks, e.g. `10.0.0.0/8`. */
    sourceCidrs: z.array(z.string().min(1)).optional(),
    /** `userAgent` patterns, e.g. `*terraform*`. */
    userAgents: z.array(z.string().min(1)).optional(),
    /** Account ids (`recipientAccountId`, flow `account-id`). */
    accounts: z.array(z.string().regex(/^\d{12}$/, "an account id is 12 digits")).optional(),
  })
  .strict();
export type AllowList = z.infer<typeof allowListSchema>;

/**
 * Cross-source correlation: the rule matches a record only when a record of
 * `source` matching `match` happened within `withinSeconds` before it and every
 * `join` pair is equal (`field` on this record, `otherField` on the other).
 */
export const correlationSchema = z
  .object({
    source: z.enum(SOURCES),
    match: conditionSchema,
    withinSeconds: z.number().int().min(1).max(7 * 86_400),
    join: z.array(z.object({ field, otherField: field }).strict()).default([]),
    /** Words shown with an alert: what the earlier record was. */
    description: z.string().min(1),
  })
  .strict();
export type Correlation = z.infer<typeof correlationSchema>;

const ruleObjectSchema = z
  .object({
    /** kebab-case; a built-in rule's id equals its file name. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case kebab-case"),
    title: z.string().min(3).max(120),
    /** Why it matters; noisy rules say so here. */
    description: z.string().min(20),
    /** What a responder should check or do first. */
    response: z.string().min(20),
    severity: z.enum(SEVERITIES),
    techniques: z.array(z.string().regex(TECHNIQUE_ID, "an ATT&CK id looks like T1562 or T1562.008")).default([]),
    source: z.enum(SOURCES),
    enabled: z.boolean().default(true),
    match: conditionSchema,
    /** Fields whose values name an alert's group: the dedup key, and the group-by of an aggregation. Default: account and principal (CloudTrail), account and `srcaddr` (flow logs). */
    groupBy: z.array(field).max(5).optional(),
    aggregation: aggregationSchema.optional(),
    allow: allowListSchema.default({}),
    correlation: correlationSchema.optional(),
    /** While an alert for (rule, group key) is open and its last match is at most this old, new matches attach to it. */
    dedupMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
  })
  .strict();

/** Every field a rule names must exist for its source (and JSON paths only where the source has a raw record). */
export const ruleSchema = ruleObjectSchema.superRefine((rule, ctx) => {
  for (const { path, name, source, predicate } of fieldRefs(rule)) {
    if (!isField(source, name)) ctx.addIssue({ code: "custom", path, message: `unknown ${source} field "${name}"` });
    const problem = predicate && isField(source, name) ? predicateProblem(source, predicate) : null;
    if (problem) ctx.addIssue({ code: "custom", path: path.slice(0, -1), message: problem });
  }
  if (rule.source === "vpcflow" && (rule.allow.principalArns || rule.allow.roleNames || rule.allow.userAgents)) {
    ctx.addIssue({ code: "custom", path: ["allow"], message: "flow-log rules can allow-list only sourceCidrs and accounts" });
  }
});
export type Rule = z.infer<typeof ruleSchema>;
/** A rule as written (defaults not yet applied). */
export type RuleInput = z.input<typeof ruleSchema>;

interface FieldRef {
  path: (string | number)[];
  name: string;
  source: RuleSource;
  /** The test that names the field, when it is a condition's. */
  predicate?: Predicate;
}

/** Every field name a rule mentions, with its place in the rule (for error messages) and the source it belongs to. */
function fieldRefs(rule: z.infer<typeof ruleObjectSchema>): FieldRef[] {
  const refs: FieldRef[] = [];
  const walk = (c: Condition, path: (string | number)[], source: RuleSource) => {
    if ("all" in c) c.all.forEach((x, i) => walk(x, [...path, "all", i], source));
    else if ("any" in c) c.any.forEach((x, i) => walk(x, [...path, "any", i], source));
    else if ("not" in c) walk(c.not, [...path, "not"], source);
    else {
      refs.push({ path: [...path, "field"], name: c.field, source, predicate: c });
      if (c.op === "equalsField") refs.push({ path: [...path, "value"], name: c.value, source });
    }
  };
  walk(rule.match, ["match"], rule.source);
  rule.groupBy?.forEach((name, i) => refs.push({ path: ["groupBy", i], name, source: rule.source }));
  if (rule.aggregation?.field) refs.push({ path: ["aggregation", "field"], name: rule.aggregation.field, source: rule.source });
  const correlation = rule.correlation;
  if (correlation) {
    walk(correlation.match, ["correlation", "match"], correlation.source);
    correlation.join.forEach((j, i) => {
      refs.push({ path: ["correlation", "join", i, "field"], name: j.field, source: rule.source });
      refs.push({ path: ["correlation", "join", i, "otherField"], name: j.otherField, source: correlation.source });
    });
  }
  return refs;
}
