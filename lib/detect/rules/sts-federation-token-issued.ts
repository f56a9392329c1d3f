import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

const federationToken = cloudTrailEvent({
  eventSource: "sts.amazonaws.com",
  eventName: "GetFederationToken",
  requestParameters: { name: "backup", durationSeconds: 129600, policyArns: [{ arn: "arn:aws:iam::aws:policy/AdministratorAccess" }] },
  responseElements: {
    credentials: { accessKeyId: "ASIAIOSFODNN7EXAMPLE", sessionToken: "<session token>", expiration: "Nov 4, 2026, 10:00:00 AM" },
    federatedUser: { federatedUserId: "111122223333:backup", arn: "arn:aws:sts::111122223333:federated-user/backup" },
    packedPolicySize: 6,
  },
});

export default defineRule({
  id: "sts-federation-token-issued",
  title: "STS federation token issued",
  description:
    "GetFederationToken turns an IAM user's access key into temporary credentials valid for up to 36 hours that keep working after the key is deactivated or deleted, and can open a console session: attackers use it to keep access through a key rotation. Few environments use it today (custom identity brokers). Noisy: an identity broker issuing federation tokens fires on every token; allow-list its user.",
  response:
    "Check whether the calling user runs an identity broker; if not, deny the user everything with an inline policy (which also cuts its federated sessions), then deactivate its keys and review what the federated user did.",
  severity: "medium",
  techniques: ["T1550.001"],
  source: "cloudtrail",
  match: all(call("sts.amazonaws.com", ["GetFederationToken"]), succeeded()),
  examples: [
    { name: "GetFederationToken for 36 hours", fires: true, records: [federationToken] },
    { name: "GetFederationToken that failed (AccessDenied)", fires: false, records: [failed(federationToken)] },
    { name: "GetSessionToken (the MFA session call)", fires: false, records: [{ ...federationToken, eventName: "GetSessionToken", requestParameters: { durationSeconds: 3600 } }] },
  ],
});
