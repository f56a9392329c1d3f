import { all, call, eq, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { at, cloudTrailEvent, failed, IAM_USER } from "./examples";

/** A console sign-in of IAM user Alice at 10:00 (`mfaUsed` "No" or "Yes"), as CloudTrail records it. */
const consoleLogin = (mfaUsed: "No" | "Yes", fields: Record<string, unknown> = {}) =>
  cloudTrailEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: { type: "IAMUser", principalId: IAM_USER.principalId, arn: IAM_USER.arn, accountId: IAM_USER.accountId, userName: IAM_USER.userName },
    sourceIPAddress: "203.0.113.50",
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: mfaUsed },
    ...fields,
  });

/** An IAM call by Alice from her console session at 10:20; by default attaching AdministratorAccess to user Bob. */
const iamCall = (fields: Record<string, unknown> = {}) =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", 20),
    eventSource: "iam.amazonaws.com",
    eventName: "AttachUserPolicy",
    sourceIPAddress: "203.0.113.50",
    userAgent: "AWS Internal",
    requestParameters: { userName: "Bob", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    responseElements: null,
    readOnly: false,
    ...fields,
  });
const attachAdmin = iamCall();

export default defineRule({
  id: "iam-change-after-mfa-less-login",
  title: "IAM change after a console sign-in without MFA",
  description:
    "An IAM user signed in to the console without MFA and, within 60 minutes, made a successful IAM change (DETECTIONS.md D): with only a password standing guard, this is what a phished or guessed password leads to (new keys, users, policies). " +
    "Noisy where users have no MFA yet: their first session's MFA enrolment (CreateVirtualMFADevice, EnableMFADevice) and ChangePassword also match. " +
    "The catalogue's \"from a new IP\" condition is not applied: the engine keeps no per-principal address history.",
  response:
    "Ask the user whether they made the change; if not, disable their password and access keys, revert the IAM change (and any keys or users it created), and enforce MFA with an IAM policy.",
  severity: "high",
  techniques: ["T1078.004", "T1098"],
  source: "cloudtrail",
  match: all(eq("eventSource", "iam.amazonaws.com"), eq("readOnly", false), succeeded()),
  groupBy: ["recipientAccountId", "userIdentity.arn"],
  correlation: {
    source: "cloudtrail",
    match: all(
      call("signin.amazonaws.com", ["ConsoleLogin"]),
      eq("responseElements.ConsoleLogin", "Success"),
      eq("additionalEventData.MFAUsed", "No"),
      eq("userIdentity.type", "IAMUser"),
    ),
    withinSeconds: 3600,
    join: [{ field: "userIdentity.arn", otherField: "userIdentity.arn" }],
    description: "a console sign-in of the same IAM user without MFA",
  },
  examples: [
    { name: "AdministratorAccess attached 20 minutes after a sign-in without MFA", fires: true, records: [attachAdmin], context: { cloudtrail: [consoleLogin("No")] } },
    {
      name: "access key created for another user after a sign-in without MFA",
      fires: true,
      records: [iamCall({ eventName: "CreateAccessKey", requestParameters: { userName: "Bob" } })],
      context: { cloudtrail: [consoleLogin("No")] },
    },
    { name: "the same change after a sign-in with MFA", fires: false, records: [attachAdmin], context: { cloudtrail: [consoleLogin("Yes")] } },
    {
      name: "an IAM read (ListUsers) after a sign-in without MFA",
      fires: false,
      records: [iamCall({ eventName: "ListUsers", requestParameters: null, readOnly: true })],
      context: { cloudtrail: [consoleLogin("No")] },
    },
    { name: "the change failed (AccessDenied)", fires: false, records: [failed(attachAdmin)], context: { cloudtrail: [consoleLogin("No")] } },
    { name: "the change two hours after the sign-in", fires: false, records: [iamCall({ eventTime: at("2026-11-02T10:00:00Z", 120) })], context: { cloudtrail: [consoleLogin("No")] } },
    {
      name: "a sign-in without MFA by another user",
      fires: false,
      records: [attachAdmin],
      context: { cloudtrail: [consoleLogin("No", { userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLEBOB", arn: "arn:aws:iam::111122223333:user/Bob", accountId: "111122223333", userName: "Bob" } })] },
    },
    { name: "the same change with no sign-in before it", fires: false, records: [attachAdmin] },
  ],
});
