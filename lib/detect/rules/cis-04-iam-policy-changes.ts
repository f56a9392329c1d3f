import { SERVICE_LINKED_ROLES, all, call, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const POLICY_CHANGES = [
  "DeleteGroupPolicy",
  "DeleteRolePolicy",
  "DeleteUserPolicy",
  "PutGroupPolicy",
  "PutRolePolicy",
  "PutUserPolicy",
  "CreatePolicy",
  "DeletePolicy",
  "CreatePolicyVersion",
  "DeletePolicyVersion",
  "SetDefaultPolicyVersion",
  "AttachRolePolicy",
  "DetachRolePolicy",
  "AttachUserPolicy",
  "DetachUserPolicy",
  "AttachGroupPolicy",
  "DetachGroupPolicy",
];

const POLICY_DOCUMENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });

const iam = (eventName: string, requestParameters: Record<string, unknown>, fields: ExampleRecord = {}) =>
  cloudTrailEvent({ eventSource: "iam.amazonaws.com", eventName, requestParameters, responseElements: null, ...fields });

const putRolePolicy = iam("PutRolePolicy", { roleName: "app-server", policyName: "inline-admin", policyDocument: POLICY_DOCUMENT });

/** An IAM Identity Center permission-set provisioning call: its service-linked role (path aws-service-role/). */
const ssoServiceRole = {
  ...assumedRole("AWSServiceRoleForSSO", "AWS-SSO"),
  sessionContext: {
    sessionIssuer: {
      type: "Role",
      principalId: "AROAEXAMPLEROLEID",
      arn: "arn:aws:iam::111122223333:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO",
      accountId: "111122223333",
      userName: "AWSServiceRoleForSSO",
    },
    attributes: { creationDate: "2026-11-02T09:59:00Z", mfaAuthenticated: "false" },
  },
};

export default defineRule({
  id: "cis-04-iam-policy-changes",
  title: "IAM policy changed",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.4: an IAM policy was created, changed, deleted, attached or detached (inline or managed; SetDefaultPolicyVersion added, since it changes permissions just as CreatePolicyVersion does). Granting a principal more permissions is the usual step after a foothold. Noisy: CI/deploy roles change policies all the time; add them to the allow-list. By default it ignores AWS services (type AWSService, invokedBy such as CloudFormation, service-linked roles such as IAM Identity Center's).",
  response:
    "Read the policy document or ARN in the event and which principal it now applies to; if the change was not a reviewed deployment, revert it and check what the affected principal did since.",
  severity: "medium",
  techniques: ["T1098", "T1098.003"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", POLICY_CHANGES),
    succeeded(),
    notByAwsService(),
  ),
  allow: { principalArns: [SERVICE_LINKED_ROLES] },
  examples: [
    { name: "inline admin policy put on a role", fires: true, records: [putRolePolicy] },
    {
      name: "managed policy attached to a user by an assumed role",
      fires: true,
      records: [iam("AttachUserPolicy", { userName: "bob", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, { userIdentity: assumedRole("admin") })],
    },
    {
      name: "new default policy version",
      fires: true,
      records: [
        iam(
          "CreatePolicyVersion",
          { policyArn: "arn:aws:iam::111122223333:policy/app-policy", policyDocument: POLICY_DOCUMENT, setAsDefault: true },
          { responseElements: { policyVersion: { versionId: "v2", isDefaultVersion: true, createDate: "Nov 2, 2026, 10:00:00 AM" } } },
        ),
      ],
    },
    { name: "PutRolePolicy that failed (AccessDenied)", fires: false, records: [failed(putRolePolicy)] },
    {
      name: "Auto Scaling DeletePolicy (another service's DeletePolicy)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "autoscaling.amazonaws.com", eventName: "DeletePolicy", requestParameters: { autoScalingGroupName: "web-asg", policyName: "scale-out" } })],
    },
    { name: "GetRolePolicy (the read-only twin)", fires: false, records: [iam("GetRolePolicy", { roleName: "app-server", policyName: "inline-admin" }, { readOnly: true })] },
    {
      name: "IAM Identity Center provisioning a permission set (service-linked role)",
      fires: false,
      records: [iam("AttachRolePolicy", { roleName: "AWSReservedSSO_DevAdmin_635426549a280cc6", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }, { userIdentity: ssoServiceRole, sourceIPAddress: "sso.amazonaws.com", userAgent: "sso.amazonaws.com" })],
    },
    {
      name: "policy attached by a CloudFormation stack (invokedBy)",
      fires: false,
      records: [
        iam(
          "AttachRolePolicy",
          { roleName: "LambdaFunctionRole-1111", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
          { userIdentity: { ...assumedRole("deploy"), invokedBy: "cloudformation.amazonaws.com" }, sourceIPAddress: "cloudformation.amazonaws.com", userAgent: "cloudformation.amazonaws.com" },
        ),
      ],
    },
  ],
});
