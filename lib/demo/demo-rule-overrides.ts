import type { RuleOverride } from "../detect/load-rules";
import { AUTOMATION_USERS, DEMO_ACCOUNTS, DEMO_REGIONS, demoVpc, OFFICE_IPS, OPS_PORTAL } from "./demo-world";

/**
 * What the demo organisation's team configures on day one, as any team would:
 * its infrastructure-as-code user changes IAM and networks daily, its GitHub
 * deploy role ships Lambda code, its admins reach the bastion over SSH from
 * the office, its instances call AWS through their NAT gateways' addresses, and
 * its on-call broker (`ops-portal`) hands out federated console sessions. Stored as overrides of the built-in rules (allow-list
 * entries), so the week's routine raises no alerts and its incidents do.
 */
export const DEMO_RULE_OVERRIDES: readonly RuleOverride[] = [
  ...["cis-04-iam-policy-changes", "cis-10-security-group-changes", "cis-11-network-acl-changes", "cis-13-route-table-changes"].map((ruleId) => ({
    ruleId,
    enabled: null,
    allow: { principalArns: [`arn:aws:iam::*:user/${AUTOMATION_USERS.terraform.userName}`] },
  })),
  { ruleId: "lambda-code-changed", enabled: null, allow: { roleNames: ["GitHubActionsDeployRole"] } },
  { ruleId: "vpc-remote-access-exposure", enabled: null, allow: { sourceCidrs: OFFICE_IPS.map((ip) => `${ip}/32`) } },
  { ruleId: "sts-federation-token-issued", enabled: null, allow: { principalArns: [`arn:aws:iam::*:user/${OPS_PORTAL.userName}`] } },
  { ruleId: "console-login-from-stolen-credentials", enabled: null, allow: { sourceCidrs: [`${OPS_PORTAL.ip}/32`] } },
  {
    ruleId: "instance-credentials-used-outside-instance",
    enabled: null,
    allow: { sourceCidrs: DEMO_ACCOUNTS.flatMap((a) => DEMO_REGIONS.map((r) => `${demoVpc(a, r).natPublicIp}/32`)) },
  },
];
