import { SERVICE_LINKED_ROLES, all, call, eq, not, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent } from "./examples";

const ORGANIZATIONS_CHANGES = [
  "AcceptHandshake",
  "AttachPolicy",
  "CreateAccount",
  "CreateOrganizationalUnit",
  "CreatePolicy",
  "DeclineHandshake",
  "DeleteOrganization",
  "DeleteOrganizationalUnit",
  "DeletePolicy",
  "DetachPolicy",
  "DisablePolicyType",
  "EnablePolicyType",
  "InviteAccountToOrganization",
  "LeaveOrganization",
  "MoveAccount",
  "RemoveAccountFromOrganization",
  "UpdatePolicy",
  "UpdateOrganizationalUnit",
];

/** AWS Organizations calls as the Organizations documentation shows them (IAM user diego of the management account). */
const organizations = (eventName: string, requestParameters: Record<string, unknown> | null, fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "organizations.amazonaws.com",
    eventName,
    userIdentity: { type: "IAMUser", principalId: "AIDAMVNPBQA3EXAMPLE", arn: "arn:aws:iam::111111111111:user/diego", accountId: "111111111111", accessKeyId: "AKIAIOSFODNN7EXAMPLE", userName: "diego" },
    recipientAccountId: "111111111111",
    requestParameters,
    responseElements: null,
    ...fields,
  });

const attachPolicy = organizations("AttachPolicy", { policyId: "p-examplepolicyid111", targetId: "ou-examplerootid111-exampleouid111" });

export default defineRule({
  id: "cis-4-15-organizations-changes",
  title: "AWS Organizations changed",
  description:
    "CIS AWS Foundations 4.15: the organization's structure or policies changed: accounts created, invited, moved, removed or leaving, organizational units changed, service control and other policies created, attached, detached, updated or deleted. Detaching an SCP or leaving the organization (DETECTIONS.md B9) removes guardrails from every affected account. Calls made on a principal's behalf (e.g. Control Tower account factory) still alert; allow-list its roles if they are noisy.",
  response:
    "Check which accounts, OUs or policies changed and whether the change was planned; re-attach a detached guardrail policy at once, and for LeaveOrganization or RemoveAccountFromOrganization find out who now controls the account.",
  severity: "medium",
  techniques: ["T1484", "T1562"],
  source: "cloudtrail",
  match: all(call("organizations.amazonaws.com", ORGANIZATIONS_CHANGES), succeeded(), not(eq("userIdentity.type", "AWSService"))),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "policy attached to an OU", fires: true, records: [attachPolicy] },
    {
      name: "account created",
      fires: true,
      records: [
        organizations("CreateAccount", { email: "anaya@example.com", accountName: "****" }, {
          responseElements: { createAccountStatus: { accountName: "****", state: "IN_PROGRESS", id: "car-examplecreateaccountrequestid111", requestedTimestamp: "Nov 2, 2026, 10:00:00 AM" } },
        }),
      ],
    },
    {
      name: "member account leaves the organization",
      fires: true,
      records: [cloudTrailEvent({ eventSource: "organizations.amazonaws.com", eventName: "LeaveOrganization", userIdentity: assumedRole("SampleRole", "SampleSession") })],
    },
    {
      name: "AttachPolicy refused (PolicyTypeNotEnabledException)",
      fires: false,
      records: [{ ...attachPolicy, errorCode: "PolicyTypeNotEnabledException", errorMessage: "The given policy type ServiceControlPolicy is not enabled on the current view" }],
    },
    { name: "DescribeOrganization (read-only)", fires: false, records: [organizations("DescribeOrganization", null, { readOnly: true })] },
  ],
});
