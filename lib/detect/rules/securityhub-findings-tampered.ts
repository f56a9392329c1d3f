import { all, any, eq, isIn, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const FINDING = {
  Id: "arn:aws:securityhub:us-east-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
  ProductArn: "arn:aws:securityhub:us-east-1::product/aws/securityhub",
};

/** BatchUpdateFindings as Security Hub records it (request members in PascalCase). */
const batchUpdate = (fields: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "securityhub.amazonaws.com",
    eventName: "BatchUpdateFindings",
    userIdentity: assumedRole("admin"),
    requestParameters: { FindingIdentifiers: [FINDING], ...fields },
    responseElements: { ProcessedFindings: [FINDING], UnprocessedFindings: [] },
  });

const suppress = batchUpdate({ Workflow: { Status: "SUPPRESSED" }, Note: { Text: "known", UpdatedBy: "admin" } });

/** Panther's DeleteInsight test event. */
const deleteInsight = cloudTrailEvent({
  eventSource: "securityhub.amazonaws.com",
  eventName: "DeleteInsight",
  requestParameters: { InsightArn: "arn:aws:securityhub:us-east-1:111122223333:insight/111122223333/custom/f4c4890b-ac6b-4c26-95f9-e62cc46f3055" },
  responseElements: { InsightArn: "arn:aws:securityhub:us-east-1:111122223333:insight/111122223333/custom/f4c4890b-ac6b-4c26-95f9-e62cc46f3055" },
});

export default defineRule({
  id: "securityhub-findings-tampered",
  title: "Security Hub findings suppressed or insights changed",
  description:
    "Suppressing findings (BatchUpdateFindings Workflow.Status SUPPRESSED or Severity INFORMATIONAL), archiving them in bulk (UpdateFindings) or deleting or editing insights hides what Security Hub found from the people watching it (DETECTIONS.md B7). Noisy: triage tools and analysts also suppress findings; allow-list their roles. Other BatchUpdateFindings (notes, NOTIFIED, RESOLVED) are everyday triage and left out, as are calls AWS services make (userIdentity.invokedBy).",
  response:
    "List the findings or insight the call touched (requestParameters) and check whether the suppressed findings were real; set them back to NEW if not justified and review the principal's other activity.",
  severity: "high",
  techniques: ["T1562"],
  source: "cloudtrail",
  match: all(
    eq("eventSource", "securityhub.amazonaws.com"),
    succeeded(),
    notByAwsService(),
    any(
      isIn("eventName", ["UpdateFindings", "DeleteInsight", "UpdateInsight"]),
      all(
        eq("eventName", "BatchUpdateFindings"),
        any(eq("requestParameters.Workflow.Status", "SUPPRESSED"), eq("requestParameters.Severity.Label", "INFORMATIONAL")),
      ),
    ),
  ),
  examples: [
    { name: "BatchUpdateFindings suppressing a finding", fires: true, records: [suppress] },
    { name: "DeleteInsight by an IAM user", fires: true, records: [deleteInsight] },
    {
      name: "UpdateFindings archiving findings by filter",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "securityhub.amazonaws.com",
          eventName: "UpdateFindings",
          requestParameters: { Filters: { ResourceId: [{ Value: "arn:aws:s3:::example-bucket", Comparison: "EQUALS" }] }, RecordState: "ARCHIVED" },
          responseElements: null,
        }),
      ],
    },
    { name: "BatchUpdateFindings suppression that failed (AccessDenied)", fires: false, records: [failed(suppress)] },
    { name: "BatchUpdateFindings marking a finding NOTIFIED (triage)", fires: false, records: [batchUpdate({ Workflow: { Status: "NOTIFIED" } })] },
    {
      name: "GetInsights (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "securityhub.amazonaws.com", eventName: "GetInsights", readOnly: true, requestParameters: { MaxResults: 100 } })],
    },
  ],
});
