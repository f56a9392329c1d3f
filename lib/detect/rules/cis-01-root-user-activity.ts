import { all, eq, missing, not } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { IAM_USER, ROOT_USER, cloudTrailEvent } from "./examples";

/** Root signs in to the console (AWS documentation's example, without MFA). */
const rootLogin = (fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: ROOT_USER,
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", MobileVersion: "No", MFAUsed: "No" },
    ...fields,
  });

/** An access key created with root's credentials. */
const createAccessKey = (fields: ExampleRecord = {}) =>
  cloudTrailEvent({
    eventSource: "iam.amazonaws.com",
    eventName: "CreateAccessKey",
    userIdentity: ROOT_USER,
    userAgent: "AWS Internal",
    requestParameters: null,
    responseElements: { accessKey: { accessKeyId: "AKIAI44QH8DHBEXAMPLE", status: "Active", createDate: "Nov 2, 2026, 10:00:00 AM" } },
    ...fields,
  });

export default defineRule({
  id: "cis-01-root-user-activity",
  title: "Root user activity",
  description:
    "CIS AWS Foundations / Security Hub CloudWatch.1 (also DETECTIONS.md B20): any call or sign-in by the account's root user. Root cannot be restricted by IAM policies, so everyday use of it, or an attacker holding its password or keys, is high risk. Calls AWS services make on root's behalf (invokedBy) and service events are left out, as in the CIS filter; failed root calls and sign-ins still alert.",
  response:
    "Ask the account owner whether root was used on purpose (billing, support plan, account closure); if not, reset the root password, check its MFA device, delete any root access keys, then review everything the session did.",
  severity: "high",
  techniques: ["T1078.004"],
  source: "cloudtrail",
  match: all(eq("userIdentity.type", "Root"), missing("userIdentity.invokedBy"), not(eq("eventType", "AwsServiceEvent"))),
  examples: [
    { name: "root console sign-in", fires: true, records: [rootLogin()] },
    { name: "root creates an access key", fires: true, records: [createAccessKey()] },
    { name: "failed root sign-in", fires: true, records: [rootLogin({ errorMessage: "Failed authentication", responseElements: { ConsoleLogin: "Failure" } })] },
    { name: "the same call by an IAM user", fires: false, records: [createAccessKey({ userIdentity: IAM_USER })] },
    {
      name: "root identity on a call an AWS service made (invokedBy)",
      fires: false,
      records: [
        createAccessKey({
          userIdentity: { ...ROOT_USER, invokedBy: "cloudformation.amazonaws.com" },
          sourceIPAddress: "cloudformation.amazonaws.com",
          userAgent: "cloudformation.amazonaws.com",
        }),
      ],
    },
    {
      name: "service event recorded under the root identity",
      fires: false,
      records: [
        cloudTrailEvent({
          eventSource: "kms.amazonaws.com",
          eventName: "RotateKey",
          eventType: "AwsServiceEvent",
          userIdentity: ROOT_USER,
          sourceIPAddress: "AWS Internal",
          userAgent: "AWS Internal",
          resources: [{ ARN: "arn:aws:kms:us-east-1:111122223333:key/7944f0ec-EXAMPLE", accountId: "111122223333", type: "AWS::KMS::Key" }],
          serviceEventDetails: { keyId: "7944f0ec-EXAMPLE" },
        }),
      ],
    },
  ],
});
