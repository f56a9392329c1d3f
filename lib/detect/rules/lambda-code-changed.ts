import { all, any, eq, exists, not, notByAwsService, prefix, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** Lambda writes versioned event names (UpdateFunctionCode20150331v2); the rule matches by prefix. */
const updateCode = cloudTrailEvent({
  eventSource: "lambda.amazonaws.com",
  eventName: "UpdateFunctionCode20150331v2",
  requestParameters: { functionName: "production-api", publish: false, dryRun: false },
  responseElements: { functionName: "production-api", functionArn: "arn:aws:lambda:us-east-1:111122223333:function:production-api", runtime: "python3.12", codeSha256: "f2Eh0GeXn7qVJ8S1u0nX2pbVtQnNzu1k3y9Ni1bFZbE=" },
});

const addLayer = {
  ...updateCode,
  eventName: "UpdateFunctionConfiguration20150331v2",
  requestParameters: { functionName: "production-api", layers: ["arn:aws:lambda:us-east-1:999988887777:layer:extension:1"] },
  responseElements: { functionName: "production-api", layers: [{ arn: "arn:aws:lambda:us-east-1:999988887777:layer:extension:1", codeSize: 1024 }] },
};

export default defineRule({
  id: "lambda-code-changed",
  title: "Lambda function code or layers changed",
  description:
    "Replacing a function's code or attaching a layer (or extension) runs the attacker's code with the function's role on every invocation, and can read its events and secrets. Noisy: the catalogue asks for rare principals only, which needs a per-principal baseline the rule engine does not have, so every change by a person or CI role fires; changes through AWS services (invokedBy, e.g. CloudFormation) are left out by default. Allow-list your deployment roles.",
  response:
    "Check that the change came from your deployment pipeline (principal, user agent, codeSha256 against the build); if not, roll the function back to a known version, remove unknown layers and treat its role's credentials and environment secrets as exposed.",
  severity: "low",
  techniques: ["T1648"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "lambda.amazonaws.com"),
    succeeded(),
    notByAwsService(),
    any(prefix("eventName", "UpdateFunctionCode"), all(prefix("eventName", "UpdateFunctionConfiguration"), exists("requestParameters.layers"))),
  ),
  examples: [
    { name: "function code replaced by an IAM user", fires: true, records: [updateCode] },
    { name: "layer from another account attached", fires: true, records: [{ ...addLayer, userIdentity: assumedRole("AWSReservedSSO_DevAdmin_abc123", "bob.ross") }] },
    { name: "code update that failed (AccessDenied)", fires: false, records: [failed(updateCode, "AccessDeniedException")] },
    { name: "configuration change without layers (memory size)", fires: false, records: [{ ...addLayer, requestParameters: { functionName: "production-api", memorySize: 512 } }] },
    { name: "code deployed by CloudFormation", fires: false, records: [{ ...updateCode, userIdentity: { ...assumedRole("cfn-deploy", "AWSCloudFormation"), invokedBy: "cloudformation.amazonaws.com" }, sourceIPAddress: "cloudformation.amazonaws.com", userAgent: "cloudformation.amazonaws.com" }] },
  ],
});
