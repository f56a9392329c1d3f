import { all, eq } from "../conditions";
import { defineRule } from "../define-rule";
import { at, cloudTrailEvent, times } from "./examples";

/** A failed console sign-in as AWS documents it (errorMessage "Failed authentication"). */
const failedLogin = (minute: number, userName = "Alice", ip = "203.0.113.50") =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", minute),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: "111122223333", userName },
    sourceIPAddress: ip,
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Failure" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" },
    errorMessage: "Failed authentication",
  });

export default defineRule({
  id: "console-login-failure-burst",
  title: "Burst of failed console sign-ins",
  description:
    "Five or more failed console sign-ins for one user from one address within 15 minutes look like password guessing or credential stuffing (DETECTIONS.md B22). Single failures are typos; bursts are not.",
  response:
    "Check whether a sign-in from the same address later succeeded; if so, treat the user's password as compromised: reset it, enforce MFA and review the session's activity.",
  severity: "medium",
  techniques: ["T1110"],
  source: "cloudtrail",
  match: all(eq("eventName", "ConsoleLogin"), eq("errorMessage", "Failed authentication")),
  groupBy: ["recipientAccountId", "userIdentity.userName", "sourceIPAddress"],
  aggregation: {
    statistic: "count",
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 1,
    threshold: 5,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    { name: "six failures in four minutes", fires: true, records: times(6, (i) => failedLogin(i * 0.75)) },
    { name: "four failures: below the threshold", fires: false, records: times(4, (i) => failedLogin(i)) },
    { name: "five failures spread over two hours", fires: false, records: times(5, (i) => failedLogin(i * 30)) },
    { name: "five failures from five addresses", fires: false, records: times(5, (i) => failedLogin(i, "Alice", `203.0.113.${i + 1}`)) },
  ],
});
