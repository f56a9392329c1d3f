import { all, eq } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { IAM_USER, ROOT_USER, cloudTrailEvent } from "./examples";

/** Root signs in to the console (AWS documentation's example). */
const rootLogin = (fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: ROOT_USER,
    sourceIPAddress: "203.0.113.80",
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", MobileVersion: "No", MFAUsed: "No" },
    ...fields,
  });

export default defineRule({
  id: "root-console-login",
  title: "Root user signed in to the console",
  description:
    "A successful console sign-in as the account's root user: root cannot be restricted by IAM or SCPs in its own account, and the few tasks that need it are rare and planned, so every sign-in should be explained (DETECTIONS.md B20). Failed root sign-ins are left to the sign-in failure rules; all root API activity is cis-01-root-user-activity.",
  response:
    "Ask the account owner whether root was used on purpose and from this address; if not, reset the root password, check its MFA device (additionalEventData.MFAUsed), delete any root access keys and review everything the session did.",
  severity: "medium",
  techniques: ["T1078.004"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "signin.amazonaws.com"),
    eq("eventName", "ConsoleLogin"),
    eq("userIdentity.type", "Root"),
    eq("responseElements.ConsoleLogin", "Success"),
  ),
  examples: [
    { name: "root signs in without MFA", fires: true, records: [rootLogin()] },
    {
      name: "root signs in with MFA",
      fires: true,
      records: [
        rootLogin({
          additionalEventData: {
            LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
            MobileVersion: "No",
            MFAIdentifier: "arn:aws:iam::111122223333:mfa/root-account-mfa-device",
            MFAUsed: "YES",
          },
        }),
      ],
    },
    { name: "failed root sign-in", fires: false, records: [rootLogin({ responseElements: { ConsoleLogin: "Failure" }, errorMessage: "Failed authentication" })] },
    {
      name: "an IAM user's sign-in",
      fires: false,
      records: [rootLogin({ userIdentity: { ...IAM_USER, accessKeyId: "" } })],
    },
  ],
});
