import { all, any, eq } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { at, cloudTrailEvent, times } from "./examples";

/** A failed console sign-in as AWS documents it: no errorCode, errorMessage "Failed authentication". */
const failedLogin = (fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: "111122223333", accessKeyId: "", userName: "Alice" },
    sourceIPAddress: "203.0.113.50",
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36",
    errorMessage: "Failed authentication",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Failure" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", MobileVersion: "No", MFAUsed: "No" },
    ...fields,
  });

export default defineRule({
  id: "cis-06-console-auth-failures",
  title: "Repeated console authentication failures",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.6: console sign-ins fail. One failure is usually a typo, so the CloudWatch alarm here needs 3 failures for one user from one address within a clock hour (fast bursts alert at higher severity as console-login-failure-burst). Besides the CIS errorMessage \"Failed authentication\", any ConsoleLogin answered Failure counts.",
  response:
    "Check whether the same user or address later signed in successfully and whether the user recognises the attempt; repeated failures from an unknown address call for MFA on the user and blocking the address.",
  severity: "low",
  techniques: ["T1110"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "signin.amazonaws.com"),
    eq("eventName", "ConsoleLogin"),
    any(eq("errorMessage", "Failed authentication"), eq("responseElements.ConsoleLogin", "Failure")),
  ),
  groupBy: ["recipientAccountId", "userIdentity.type", "userIdentity.userName", "sourceIPAddress"],
  aggregation: {
    statistic: "count",
    periodSeconds: 3600,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 3,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    { name: "IAM user's password rejected three times in an hour", fires: true, records: times(3, (i) => failedLogin({ eventTime: at("2026-11-02T10:00:00Z", i * 15) })) },
    {
      name: "root password rejected three times",
      fires: true,
      records: times(3, (i) => failedLogin({ eventTime: at("2026-11-02T10:00:00Z", i), userIdentity: { type: "Root", principalId: "111122223333", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333", accessKeyId: "" } })),
    },
    { name: "a single typo", fires: false, records: [failedLogin()] },
    {
      name: "successful sign-in",
      fires: false,
      records: [
        failedLogin({
          userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", arn: "arn:aws:iam::111122223333:user/Alice", accountId: "111122223333", userName: "Alice" },
          errorMessage: undefined,
          responseElements: { ConsoleLogin: "Success" },
        }),
      ],
    },
    {
      name: "API call refused (not a console sign-in)",
      fires: false,
      records: [cloudTrailEvent({ eventName: "ListUsers", readOnly: true, errorCode: "AccessDenied", errorMessage: "User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: iam:ListUsers" })],
    },
  ],
});
