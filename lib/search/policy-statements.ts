/**
 * IAM policy documents as CloudTrail records them, decoded and put into words.
 * CloudTrail writes IAM's `policyDocument` (PutUserPolicy, CreatePolicyVersion,
 * UpdateAssumeRolePolicy, …) as the URL-encoded JSON text the API received
 * (`%7B%22Version%22…`), some exporters decode it to plain JSON text, and S3's
 * `bucketPolicy` arrives as a JSON object: all three are read here.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** One statement, as written (keys as in the document). */
export type PolicyStatement = Record<string, unknown>;

export interface PolicyDocument {
  statements: PolicyStatement[];
}

/**
 * A policy document from a request parameter: an object, JSON text, or URL-encoded JSON text.
 * Returns null when the value is none of these (absent, truncated, not a policy).
 */
export function parsePolicyDocument(value: unknown): PolicyDocument | null {
  let doc: unknown = value;
  if (typeof value === "string") {
    doc = parseJson(value.trim());
    if (doc === undefined && /%[0-9A-Fa-f]{2}/.test(value)) {
      try {
        doc = parseJson(decodeURIComponent(value.trim()));
      } catch {
        doc = undefined; // malformed escape
      }
    }
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return null;
  const raw = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  return { statements: list.filter((s): s is PolicyStatement => typeof s === "object" && s !== null && !Array.isArray(s)) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface StatementDiff {
  added: PolicyStatement[];
  removed: PolicyStatement[];
  unchanged: PolicyStatement[];
}

/**
 * Statements of `after` not in `before` (added), of `before` not in `after` (removed), and in both.
 * Two statements are the same when they say the same thing: key order, `Sid`, and a lone value
 * versus a one-element list do not matter, nor does the order of values in a list.
 */
export function diffStatements(before: readonly PolicyStatement[], after: readonly PolicyStatement[]): StatementDiff {
  const key = (s: PolicyStatement) => canonical(withoutSid(s));
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return {
    added: after.filter((s) => !beforeKeys.has(key(s))),
    removed: before.filter((s) => !afterKeys.has(key(s))),
    unchanged: after.filter((s) => beforeKeys.has(key(s))),
  };
}

function withoutSid(s: PolicyStatement): PolicyStatement {
  const { Sid: _sid, ...rest } = s;
  return rest;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map(canonical).sort();
    return items.length === 1 ? items[0]! : `[${items.join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * One statement in words, e.g. `Allow s3:GetObject, s3:PutObject on arn:aws:s3:::b/* (sid ReadWrite)`,
 * `Allow anyone (*) sts:AssumeRole`, `Deny every action except iam:ChangePassword on *`,
 * with conditions appended as `when StringEquals aws:SourceVpc = vpc-1`. Plain text: render it as text.
 */
export function statementWords(s: PolicyStatement): string {
  const effect = typeof s.Effect === "string" ? s.Effect : "Allow";
  const parts: string[] = [effect];
  const principal = s.Principal ?? s.NotPrincipal;
  if (principal !== undefined) parts.push(`${s.NotPrincipal !== undefined ? "everyone except " : ""}${principalWords(principal)}`);
  if (s.Action !== undefined) parts.push(listWords(s.Action, "every action (*)"));
  else if (s.NotAction !== undefined) parts.push(`every action except ${listWords(s.NotAction, "*")}`);
  if (s.Resource !== undefined) parts.push(`on ${listWords(s.Resource, "every resource (*)")}`);
  else if (s.NotResource !== undefined) parts.push(`on every resource except ${listWords(s.NotResource, "*")}`);
  const condition = conditionWords(s.Condition);
  if (condition) parts.push(`when ${condition}`);
  if (typeof s.Sid === "string" && s.Sid !== "") parts.push(`(sid ${s.Sid})`);
  return parts.join(" ");
}

/** Statements that grant broad power, named so a reader cannot miss them. */
export function statementWarnings(s: PolicyStatement): string[] {
  if (s.Effect !== "Allow") return [];
  const warnings: string[] = [];
  const values = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  const actions = values(s.Action);
  const resources = values(s.Resource);
  if (actions.includes("*") && resources.includes("*")) warnings.push("full administrator access (* on *)");
  else if (actions.some((a) => /^[a-z0-9-]+:\*$/i.test(a) || a === "*")) warnings.push("every action of a service");
  if (s.NotAction !== undefined) warnings.push("Allow with NotAction grants everything not listed");
  const principals = s.Principal === "*" ? ["*"] : typeof s.Principal === "object" && s.Principal !== null ? Object.values(s.Principal).flatMap(values) : [];
  if (principals.includes("*") && s.Condition === undefined) warnings.push("anyone (public), with no condition");
  return warnings;
}

function principalWords(p: unknown): string {
  if (p === "*") return "anyone (*)";
  if (typeof p === "string") return p;
  if (typeof p === "object" && p !== null) {
    return Object.entries(p as Record<string, unknown>)
      .map(([kind, v]) => `${kind} ${listWords(v, "anyone (*)")}`)
      .join(" and ");
  }
  return String(p);
}

function listWords(v: unknown, star: string): string {
  const items = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
  if (items.length === 1 && items[0] === "*") return star;
  return items.join(", ");
}

function conditionWords(c: unknown): string {
  if (typeof c !== "object" || c === null) return "";
  const out: string[] = [];
  for (const [operator, tests] of Object.entries(c as Record<string, unknown>)) {
    if (typeof tests !== "object" || tests === null) continue;
    for (const [key, value] of Object.entries(tests as Record<string, unknown>)) out.push(`${operator} ${key} = ${listWords(value, "*")}`);
  }
  return out.join(" and ");
}
