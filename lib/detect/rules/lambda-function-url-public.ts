import { all, eq, prefix, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:111122223333:function:billing-export";

/** Lambda writes versioned event names (CreateFunctionUrlConfig20211031); the rule matches by prefix. */
const publicUrl = cloudTrailEvent({
  eventSource: "lambda.amazonaws.com",
  eventName: "CreateFunctionUrlConfig20211031",
  requestParameters: { functionName: "billing-export", authType: "NONE" },
  responseElements: { functionUrl: "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/", functionArn: FUNCTION_ARN, authType: "NONE", creationTime: "2026-11-02T10:00:00.000+0000" },
});

export default defineRule({
  id: "lambda-function-url-public",
  title: "Lambda function URL without authentication",
  description:
    "A function URL with authType NONE lets anyone on the internet invoke the function with its role's permissions: attackers add one as a backdoor or an exfiltration endpoint (DETECTIONS.md B36). Matches CreateFunctionUrlConfig and UpdateFunctionUrlConfig (plain or with Lambda's API-version suffix).",
  response:
    "Check what the function does and which role it runs as; unless it is meant to be public, switch the URL to AWS_IAM or delete it (DeleteFunctionUrlConfig) and review its recent invocations.",
  severity: "medium",
  techniques: ["T1133"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "lambda.amazonaws.com"),
    prefix("eventName", ["CreateFunctionUrlConfig", "UpdateFunctionUrlConfig"]),
    succeeded(),
    eq("requestParameters.authType", "NONE"),
  ),
  examples: [
    { name: "function URL created with authType NONE", fires: true, records: [publicUrl] },
    { name: "function URL switched to NONE (unversioned event name)", fires: true, records: [{ ...publicUrl, eventName: "UpdateFunctionUrlConfig" }] },
    { name: "function URL with AWS_IAM auth", fires: false, records: [{ ...publicUrl, requestParameters: { functionName: "billing-export", authType: "AWS_IAM" }, responseElements: { functionUrl: "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/", functionArn: FUNCTION_ARN, authType: "AWS_IAM" } }] },
    { name: "public function URL that failed (ResourceConflictException)", fires: false, records: [failed(publicUrl, "ResourceConflictException", "Failed to create function url config for [functionArn = billing-export]. Error message:  FunctionUrlConfig exists for this Lambda function")] },
    { name: "GetFunctionUrlConfig (the read-only twin)", fires: false, records: [{ ...publicUrl, eventName: "GetFunctionUrlConfig20211031", readOnly: true, requestParameters: { functionName: "billing-export" } }] },
  ],
});
