import { all, call, not, notByAwsService, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, awsService, cloudTrailEvent, failed } from "./examples";

const sendCommand = cloudTrailEvent({
  eventSource: "ssm.amazonaws.com",
  eventName: "SendCommand",
  userIdentity: assumedRole("ops", "mallory"),
  requestParameters: { documentName: "AWS-RunShellScript", instanceIds: ["i-0123456789abcdef0"], interactive: false, parameters: "HIDDEN_DUE_TO_SECURITY_REASONS" },
  responseElements: { command: { commandId: "f49a1fe5-d12b-4ac0-98bc-0e4bd83d70c0", documentName: "AWS-RunShellScript", instanceIds: ["i-0123456789abcdef0"], status: "Pending" } },
});

const startSession = cloudTrailEvent({
  eventSource: "ssm.amazonaws.com",
  eventName: "StartSession",
  requestParameters: { target: "i-0123456789abcdef0" },
  responseElements: {
    sessionId: "Alice-0a1b2c3d4e5f60001",
    tokenValue: "Value hidden due to security reasons.",
    streamUrl: "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/Alice-0a1b2c3d4e5f60001?role=publish_subscribe",
  },
});

export default defineRule({
  id: "ssm-command-or-session",
  title: "SSM command run or shell session started on an instance",
  description:
    "SendCommand and StartSession run code or open a shell on instances with their instance-role credentials, without SSH or a network path: an attacker with ssm permissions gets execution on every managed instance (DETECTIONS.md B28). Noisy: the catalogue asks for rare principals only, which needs a per-principal baseline the rule engine does not have, so every successful call by a person or role fires; AWS services (userIdentity.type AWSService or invokedBy, e.g. State Manager) are left out by default. Allow-list your operators' and automation roles.",
  response:
    "Check who ran what on which instances (requestParameters.documentName and instanceIds, or the session target) and whether that principal normally administers them; for unexpected use, read the command output or session log and consider the instance's role credentials exposed.",
  severity: "low",
  techniques: ["T1651"],
  source: "cloudtrail",
  match: all(
    call("ssm.amazonaws.com", ["SendCommand", "StartSession"]),
    succeeded(),
    notByAwsService(),
  ),
  examples: [
    { name: "SendCommand AWS-RunShellScript by a role", fires: true, records: [sendCommand] },
    { name: "StartSession to an instance by Alice", fires: true, records: [startSession] },
    { name: "SendCommand that failed (AccessDenied)", fires: false, records: [failed(sendCommand)] },
    { name: "SendCommand by State Manager (AWS service)", fires: false, records: [{ ...sendCommand, userIdentity: awsService("ssm.amazonaws.com"), sourceIPAddress: "ssm.amazonaws.com", userAgent: "ssm.amazonaws.com" }] },
    { name: "ListCommands (the read-only twin)", fires: false, records: [{ ...sendCommand, eventName: "ListCommands", readOnly: true, responseElements: null }] },
  ],
});
