import { all, call, eq, exists, not, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, at, cloudTrailEvent, failed, times } from "./examples";

/** One GetSecretValue of secret `name` at `minute` past 10:00. */
const getSecret = (minute: number, name: string) =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", minute),
    eventSource: "secretsmanager.amazonaws.com",
    eventName: "GetSecretValue",
    userIdentity: assumedRole("AWSReservedSSO_DevAdmin_635426549a280cc6", "evil.genius"),
    requestParameters: { secretId: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}` },
    responseElements: null,
    readOnly: true,
  });

export default defineRule({
  id: "secrets-bulk-retrieval",
  title: "Many secrets retrieved by one principal",
  description:
    "One principal reading 10 or more distinct Secrets Manager secrets within 10 minutes looks like credential harvesting after a compromise (DETECTIONS.md B38). Counts distinct requestParameters.secretId of successful GetSecretValue calls per principal; BatchGetSecretValue is covered because Secrets Manager logs a GetSecretValue entry for each secret it returns. Noisy: applications that load all their secrets at start-up read many at once; allow-list their roles. AWS services (userIdentity.type AWSService, or invokedBy other than Secrets Manager itself, e.g. CloudFormation resolving dynamic references) are left out by default.",
  response:
    "List the secrets read (the alert's events) and ask whether this principal needs them; if not, rotate every secret it read, revoke the principal's sessions or keys, and look for use of the harvested credentials.",
  severity: "high",
  techniques: ["T1555.006"],
  source: "cloudtrail",
  match: all(
    call("secretsmanager.amazonaws.com", ["GetSecretValue"]),
    succeeded(),
    not(eq("userIdentity.type", "AWSService")),
    not(all(exists("userIdentity.invokedBy"), not(eq("userIdentity.invokedBy", "secretsmanager.amazonaws.com")))),
  ),
  aggregation: {
    statistic: "distinctCount",
    field: "requestParameters.secretId",
    periodSeconds: 600,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 10,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    { name: "12 distinct secrets in 3 minutes", fires: true, records: times(12, (i) => getSecret(i * 0.25, `prod/db-${i}-AbCdEf`)) },
    { name: "the same secret read 12 times", fires: false, records: times(12, (i) => getSecret(i * 0.25, "prod/db-0-AbCdEf")) },
    { name: "12 distinct secrets over two hours", fires: false, records: times(12, (i) => getSecret(i * 10, `prod/db-${i}-AbCdEf`)) },
    { name: "12 distinct secrets denied (AccessDenied)", fires: false, records: times(12, (i) => failed(getSecret(i * 0.25, `prod/db-${i}-AbCdEf`))) },
    {
      name: "CloudFormation resolving 12 dynamic references",
      fires: false,
      records: times(12, (i) => ({ ...getSecret(i * 0.25, `prod/db-${i}-AbCdEf`), userIdentity: { ...assumedRole("cfn-deploy", "AWSCloudFormation"), invokedBy: "cloudformation.amazonaws.com" }, sourceIPAddress: "cloudformation.amazonaws.com", userAgent: "cloudformation.amazonaws.com" })),
    },
  ],
});
