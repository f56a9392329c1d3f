import { all, eq, not } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent } from "./examples";

/** A console sign-in by IAM user Alice, as AWS documents it. */
const login = (fields: ExampleRecord = {}, mfaUsed = "No") =>
  cloudTrailEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", arn: "arn:aws:iam::111122223333:user/Alice", accountId: "111122223333", userName: "Alice" },
    sourceIPAddress: "192.0.2.44",
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: mfaUsed },
    ...fields,
  });

/** IAM Identity Center sign-in to an account: an AssumedRole session of an AWSReservedSSO_ role, MFAUsed always "No". */
const ssoIdentity = {
  ...assumedRole("AWSReservedSSO_DevAdmin_635426549a280cc6", "alice@example.com"),
  sessionContext: {
    sessionIssuer: {
      type: "Role",
      principalId: "AROAEXAMPLEROLEID",
      arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_DevAdmin_635426549a280cc6",
      accountId: "111122223333",
      userName: "AWSReservedSSO_DevAdmin_635426549a280cc6",
    },
    webIdFederationData: {},
    attributes: { creationDate: "2026-11-02T10:00:00Z", mfaAuthenticated: "false" },
  },
};

export default defineRule({
  id: "cis-03-console-login-without-mfa",
  title: "Console sign-in without MFA",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.3, also DETECTIONS.md B21: an IAM user signed in to the console with a password alone. A phished or reused password is then all an attacker needs. Only IAM users are checked: IAM Identity Center and SAML/OIDC federated sign-ins arrive as AssumedRole with MFAUsed \"No\" because MFA happens at the identity provider, which caused most false positives of the literal CIS filter.",
  response:
    "Confirm the sign-in with the user (address, time, browser); require MFA for the user (or move them to IAM Identity Center), and if the sign-in was not theirs reset the password and review the session's actions.",
  severity: "medium",
  techniques: ["T1078.004"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "signin.amazonaws.com"),
    eq("eventName", "ConsoleLogin"),
    eq("userIdentity.type", "IAMUser"),
    eq("responseElements.ConsoleLogin", "Success"),
    not(eq("additionalEventData.MFAUsed", "Yes", { ignoreCase: true })),
  ),
  examples: [
    { name: "IAM user signs in with a password only", fires: true, records: [login()] },
    { name: "IAM user sign-in without MFAUsed recorded", fires: true, records: [login({ additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No" } })] },
    {
      name: "IAM user signs in with MFA",
      fires: false,
      records: [
        login(
          { additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAIdentifier: "arn:aws:iam::111122223333:u2f/user/Alice/default-AAAAAAAABBBBBBBBCCCCCCCCDD", MFAUsed: "Yes" } },
        ),
      ],
    },
    { name: "IAM Identity Center sign-in (AssumedRole, MFAUsed No)", fires: false, records: [login({ userIdentity: ssoIdentity, additionalEventData: { MobileVersion: "No", MFAUsed: "No" } })] },
    {
      name: "failed sign-in without MFA",
      fires: false,
      records: [
        login({
          userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: "111122223333", accessKeyId: "", userName: "Alice" },
          errorMessage: "Failed authentication",
          responseElements: { ConsoleLogin: "Failure" },
        }),
      ],
    },
    { name: "root sign-in without MFA (cis-01's)", fires: false, records: [login({ userIdentity: { type: "Root", principalId: "111122223333", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333", accessKeyId: "" } })] },
  ],
});
