import { all, eq, isIn, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

const disableLock = cloudTrailEvent({
  eventSource: "route53domains.amazonaws.com",
  eventName: "DisableDomainTransferLock",
  requestParameters: { domainName: "example.com" },
  responseElements: { operationId: "0b3c4e0a-7e3c-4ef0-9a2f-5c0f1b2a3d4e" },
});

export default defineRule({
  id: "route53-domain-transfer",
  title: "Route 53 domain transfer lock disabled or domain transferred",
  description:
    "Removing a domain's transfer lock or handing the domain to another AWS account is the first step of hijacking it: whoever holds the domain controls its DNS, mail and certificates (DETECTIONS.md B33). Route 53 domain registration logs as route53domains.amazonaws.com; route53.amazonaws.com is accepted too, as some references write it.",
  response:
    "Confirm with the domain's owner that a transfer is planned; if not, run EnableDomainTransferLock, cancel a pending transfer (CancelDomainTransferToAnotherAwsAccount) and rotate the caller's credentials.",
  severity: "high",
  techniques: ["T1584.001"],
  source: "cloudtrail",
  match: all(
    isIn("eventSource", ["route53domains.amazonaws.com", "route53.amazonaws.com"]),
    isIn("eventName", ["DisableDomainTransferLock", "TransferDomainToAnotherAwsAccount"]),
    succeeded(),
  ),
  examples: [
    { name: "DisableDomainTransferLock", fires: true, records: [disableLock] },
    {
      name: "TransferDomainToAnotherAwsAccount",
      fires: true,
      records: [{ ...disableLock, eventName: "TransferDomainToAnotherAwsAccount", requestParameters: { domainName: "example.com", accountId: "444455556666" }, responseElements: { operationId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", password: "HIDDEN_DUE_TO_SECURITY_REASONS" } }],
    },
    { name: "DisableDomainTransferLock that failed (AccessDenied)", fires: false, records: [failed(disableLock)] },
    { name: "EnableDomainTransferLock (the opposite)", fires: false, records: [{ ...disableLock, eventName: "EnableDomainTransferLock" }] },
  ],
});
