import { all, any, call, eq, lt, missing, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

/** A CIS-compliant policy (length ≥ 14, 24 passwords remembered). */
const CIS_POLICY = {
  minimumPasswordLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  allowUsersToChangePassword: true,
  maxPasswordAge: 90,
  passwordReusePrevention: 24,
  hardExpiry: false,
};

const update = (params: Record<string, unknown>) => cloudTrailEvent({ eventName: "UpdateAccountPasswordPolicy", requestParameters: params });

export default defineRule({
  id: "iam-password-policy-weakened",
  title: "IAM account password policy weakened or deleted",
  description:
    "A weaker password policy makes IAM user passwords easier to guess or reuse and is a quiet way to prepare password attacks. Fires on DeleteAccountPasswordPolicy and on UpdateAccountPasswordPolicy leaving the policy below the CIS AWS Foundations baseline: minimum length under 14 or password reuse prevention under 24 (an omitted parameter falls back to AWS's weaker default, so it counts as below). Character-class requirements, dropped from CIS, are not checked.",
  response:
    "Compare the new policy with your standard and ask the caller why it changed; restore the policy (UpdateAccountPasswordPolicy) and consider forcing a password reset for users who set passwords since.",
  severity: "medium",
  techniques: ["T1556"],
  source: "cloudtrail",
  match: all(
    succeeded(),
    any(
      call("iam.amazonaws.com", ["DeleteAccountPasswordPolicy"]),
      all(
        call("iam.amazonaws.com", ["UpdateAccountPasswordPolicy"]),
        any(
          missing("requestParameters.minimumPasswordLength"),
          lt("requestParameters.minimumPasswordLength", 14),
          missing("requestParameters.passwordReusePrevention"),
          lt("requestParameters.passwordReusePrevention", 24),
        ),
      ),
    ),
  ),
  examples: [
    { name: "minimum length lowered to 8", fires: true, records: [update({ ...CIS_POLICY, minimumPasswordLength: 8 })] },
    { name: "password reuse prevention left out", fires: true, records: [update({ minimumPasswordLength: 14, requireSymbols: true })] },
    { name: "password policy deleted", fires: true, records: [cloudTrailEvent({ eventName: "DeleteAccountPasswordPolicy", requestParameters: null })] },
    { name: "policy set to the CIS baseline", fires: false, records: [update(CIS_POLICY)] },
    { name: "policy tightened to length 20", fires: false, records: [update({ ...CIS_POLICY, minimumPasswordLength: 20 })] },
    { name: "weakening that failed (AccessDenied)", fires: false, records: [failed(update({ ...CIS_POLICY, minimumPasswordLength: 8 }))] },
    { name: "GetAccountPasswordPolicy (the read-only twin)", fires: false, records: [cloudTrailEvent({ eventName: "GetAccountPasswordPolicy", readOnly: true })] },
  ],
});
