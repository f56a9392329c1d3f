import { all, call, eq, not, notByAwsService, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, at, cloudTrailEvent, failed, times } from "./examples";

/** One GetParameter with decryption of parameter `name` at `minute` past 10:00. */
const getParameter = (minute: number, name: string, withDecryption = true) =>
  cloudTrailEvent({
    eventTime: at("2026-11-02T10:00:00Z", minute),
    eventSource: "ssm.amazonaws.com",
    eventName: "GetParameter",
    userIdentity: assumedRole("SampleRole", "bobson.dugnutt"),
    requestParameters: { name, withDecryption },
    responseElements: null,
    readOnly: true,
    resources: [{ accountId: "111122223333", ARN: `arn:aws:ssm:us-east-1:111122223333:parameter${name}` }],
  });

export default defineRule({
  id: "ssm-bulk-parameter-decryption",
  title: "Many SSM SecureString parameters decrypted by one principal",
  description:
    "Parameter Store SecureStrings hold passwords and keys; one principal making 10 or more distinct decrypting reads within 10 minutes looks like credential harvesting (DETECTIONS.md B39). Counts distinct requests (requestParameters as a whole) of successful GetParameter, GetParameters and GetParametersByPath with withDecryption=true per principal, so an application re-reading the same parameter counts once. Limitation: the rule engine cannot count the names inside one GetParameters call, so a single call naming many parameters counts as one request. Noisy: applications loading their configuration at start-up; allow-list their roles. AWS services (AWSService, invokedBy) are left out by default.",
  response:
    "List the parameters read (the alert's events) and ask whether this principal needs them; if not, rotate the exposed values, revoke the principal's sessions or keys and look for use of the harvested credentials.",
  severity: "high",
  techniques: ["T1555"],
  source: "cloudtrail",
  match: all(
    call("ssm.amazonaws.com", ["GetParameter", "GetParameters", "GetParametersByPath"]),
    succeeded(),
    eq("requestParameters.withDecryption", true),
    notByAwsService(),
  ),
  aggregation: {
    statistic: "distinctCount",
    field: "requestParameters",
    periodSeconds: 600,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 10,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
  },
  examples: [
    { name: "15 SecureStrings decrypted in 4 minutes", fires: true, records: times(15, (i) => getParameter(i * 0.25, `/credentials/app/credentials-${i}`)) },
    {
      name: "GetParametersByPath over 10 paths",
      fires: true,
      records: times(10, (i) => ({ ...getParameter(i * 0.5, "unused"), eventName: "GetParametersByPath", requestParameters: { path: `/team-${i}/`, recursive: true, withDecryption: true }, resources: null })),
    },
    { name: "15 reads without decryption", fires: false, records: times(15, (i) => getParameter(i * 0.25, `/credentials/app/credentials-${i}`, false)) },
    { name: "one parameter decrypted 15 times", fires: false, records: times(15, (i) => getParameter(i * 0.25, "/credentials/app/credentials-0")) },
    { name: "15 decryptions denied (AccessDenied)", fires: false, records: times(15, (i) => failed(getParameter(i * 0.25, `/credentials/app/credentials-${i}`), "AccessDeniedException")) },
    { name: "15 decryptions spread over three hours", fires: false, records: times(15, (i) => getParameter(i * 12, `/credentials/app/credentials-${i}`)) },
  ],
});
