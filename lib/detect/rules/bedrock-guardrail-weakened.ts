import { all, call, eq, not, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const deleteGuardrail = cloudTrailEvent({
  eventSource: "bedrock.amazonaws.com",
  eventName: "DeleteGuardrail",
  userIdentity: assumedRole("DevAdmin", "dr.evil"),
  requestParameters: { guardrailIdentifier: "cmy5azq5koeo" },
  responseElements: null,
});

export default defineRule({
  id: "bedrock-guardrail-weakened",
  title: "Bedrock guardrail deleted or updated",
  description:
    "Bedrock guardrails filter what models accept and return (harmful content, prompt attacks, sensitive data); deleting or loosening one lets an attacker abuse the account's models or leak data through them (DETECTIONS.md B37). AWS hides an update's content in CloudTrail, so every successful UpdateGuardrail fires, not only weakening ones.",
  response:
    "Compare the guardrail's current configuration (and its versions) with the approved one and ask the caller's owner about the change; restore the guardrail and check model invocations since for abuse.",
  severity: "medium",
  techniques: ["T1562.001"],
  source: "cloudtrail",
  match: all(
    call("bedrock.amazonaws.com", ["DeleteGuardrail", "UpdateGuardrail"]),
    succeeded(),
    not(eq("userIdentity.type", "AWSService")),
  ),
  examples: [
    { name: "DeleteGuardrail", fires: true, records: [deleteGuardrail] },
    {
      name: "UpdateGuardrail",
      fires: true,
      records: [{ ...deleteGuardrail, eventName: "UpdateGuardrail", requestParameters: { guardrailIdentifier: "cmy5azq5koeo", name: "HIDDEN_DUE_TO_SECURITY_REASONS" }, responseElements: { guardrailArn: "arn:aws:bedrock:us-east-1:111122223333:guardrail/cmy5azq5koeo", guardrailId: "cmy5azq5koeo", version: "DRAFT", updatedAt: "2026-11-02T10:00:00Z" } }],
    },
    { name: "DeleteGuardrail that failed (AccessDenied)", fires: false, records: [failed(deleteGuardrail, "AccessDeniedException")] },
    { name: "ListGuardrails (the read-only twin)", fires: false, records: [{ ...deleteGuardrail, eventName: "ListGuardrails", readOnly: true, requestParameters: null }] },
  ],
});
