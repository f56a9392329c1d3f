import { all, any, call, contains, eq, not, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** A federation sign-in token minted from temporary credentials by a script (the pattern of aws_consoler and similar tools). */
const getSigninToken = cloudTrailEvent({
  eventSource: "signin.amazonaws.com",
  eventName: "GetSigninToken",
  userIdentity: assumedRole("MyRole", "session"),
  sourceIPAddress: "203.0.113.50",
  userAgent: "python-requests/2.28.0",
  requestParameters: null,
  responseElements: { GetSigninToken: "Success" },
  readOnly: true,
});

/** A console sign-in whose session is an EC2 instance profile (session name = the instance id). */
const instanceRoleLogin = cloudTrailEvent({
  eventSource: "signin.amazonaws.com",
  eventName: "ConsoleLogin",
  eventType: "AwsConsoleSignIn",
  userIdentity: assumedRole("MyAppRole", "i-0abcdef1234567890"),
  sourceIPAddress: "203.0.113.50",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
  requestParameters: null,
  responseElements: { ConsoleLogin: "Success" },
  additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" },
});

export default defineRule({
  id: "console-login-from-stolen-credentials",
  title: "Console access built from API credentials",
  description:
    "An attacker holding stolen access keys or instance-role credentials turns them into a console session through the federation endpoint (GetSigninToken) to browse the account interactively (DETECTIONS.md B29). Fires on GetSigninToken, except the IAM Identity Center portal (user agent Jersey/${project.version}), and on any successful ConsoleLogin by an EC2 instance-profile session (an assumed-role ARN whose session name is an instance id i-…), which no person should ever need. Noisy: people using console-federation helpers (aws-vault login, Granted) also call GetSigninToken; allow-list their user agents or principals.",
  response:
    "Find where the credentials behind the session came from (the access key id, the role, the instance for i-… sessions) and whether the source IP is yours; if not, revoke the role's active sessions and rotate the keys or the instance role.",
  severity: "high",
  techniques: ["T1550.001"],
  source: "cloudtrail",
  match: any(
    all(
      call("signin.amazonaws.com", ["GetSigninToken"]),
      succeeded(),
      not(contains("userAgent", "Jersey/${project.version}")),
    ),
    all(
      call("signin.amazonaws.com", ["ConsoleLogin"]),
      eq("responseElements.ConsoleLogin", "Success"),
      contains("userIdentity.arn", ":assumed-role/"),
      contains("userIdentity.arn", "/i-"),
    ),
  ),
  examples: [
    { name: "GetSigninToken from a python script", fires: true, records: [getSigninToken] },
    { name: "console sign-in by an EC2 instance-role session", fires: true, records: [instanceRoleLogin] },
    {
      name: "GetSigninToken by the IAM Identity Center portal",
      fires: false,
      records: [{ ...getSigninToken, userIdentity: assumedRole("AWSReservedSSO_Admin_0123456789abcdef", "alice@example.com"), userAgent: "Jersey/${project.version}" }],
    },
    { name: "GetSigninToken that failed (AccessDenied)", fires: false, records: [failed(getSigninToken)] },
    { name: "console sign-in by a person's role session", fires: false, records: [{ ...instanceRoleLogin, userIdentity: assumedRole("Admin", "alice") }] },
  ],
});
