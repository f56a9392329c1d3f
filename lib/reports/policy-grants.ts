/**
 * Whether an IAM call grants full administrative access: attaching AWS's `AdministratorAccess`
 * managed policy, or a policy document with a statement that allows every action (`*` or `*:*`)
 * on every resource (`*`). Pure; read by the IAM audit.
 *
 * Policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html.
 * CloudTrail records `policyDocument` as the string the caller sent, which the console and some SDKs
 * URL-encode (`%7B%22Version%22…`), so both forms are read.
 */

/** `arn:aws:iam::aws:policy/AdministratorAccess` in every partition (aws, aws-cn, aws-us-gov, …). */
export const ADMINISTRATOR_ACCESS = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

/** The ARNs of `AdministratorAccess` in the partitions AWS runs, for an exact search link. */
export const ADMINISTRATOR_ACCESS_ARNS = ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "arn:aws-cn:iam::aws:policy/AdministratorAccess"] as const;

/** Parses a policy document as CloudTrail recorded it (JSON, or URL-encoded JSON); null when it is neither. */
export function parsePolicyDocument(text: string): unknown {
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === null) continue;
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next form
    }
  }
  return null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** True when a parsed policy document has an Allow statement with every action on every resource. */
export function allowsEverything(document: unknown): boolean {
  if (document === null || typeof document !== "object") return false;
  const statements = list((document as Record<string, unknown>).Statement);
  return statements.some((s) => {
    if (s === null || typeof s !== "object") return false;
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" || st.NotResource !== undefined || st.Condition !== undefined) return false;
    const actions = list(st.Action).map(String);
    const resources = list(st.Resource).map(String);
    return actions.some((a) => a === "*" || a === "*:*") && resources.includes("*");
  });
}

/**
 * Why the call grants full access (`"AdministratorAccess attached"`, `"allows * on *"`), or null.
 * `policyArn` and `policyDocument` are the call's `requestParameters` values (null when absent).
 */
export function fullAccessReason(policyArn: string | null, policyDocument: string | null): string | null {
  if (policyArn !== null && ADMINISTRATOR_ACCESS.test(policyArn)) return "AdministratorAccess attached";
  if (policyDocument !== null && allowsEverything(parsePolicyDocument(policyDocument))) return "allows * on *";
  return null;
}
