import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

const createAnchor = cloudTrailEvent({
  eventSource: "rolesanywhere.amazonaws.com",
  eventName: "CreateTrustAnchor",
  requestParameters: { name: "partner-ca", enabled: true, source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----" } } },
  responseElements: { trustAnchor: { trustAnchorId: "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", trustAnchorArn: "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", name: "partner-ca", enabled: true } },
});

export default defineRule({
  id: "rolesanywhere-trust-anchor-created",
  title: "IAM Roles Anywhere trust anchor created or changed",
  description:
    "A Roles Anywhere trust anchor makes the account trust a certificate authority: anyone holding a certificate from that CA can obtain role credentials from outside AWS, a persistence path that survives key and password resets. Fires on CreateTrustAnchor and UpdateTrustAnchor.",
  response:
    "Check that the anchor's CA is one of yours (its certificate or ACM PCA ARN) and which profiles and roles it can reach; if unknown, disable and delete the anchor and review CreateSession activity for it.",
  severity: "high",
  techniques: ["T1484.002"],
  source: "cloudtrail",
  match: all(call("rolesanywhere.amazonaws.com", ["CreateTrustAnchor", "UpdateTrustAnchor"]), succeeded()),
  examples: [
    { name: "trust anchor created from a certificate bundle", fires: true, records: [createAnchor] },
    { name: "CreateTrustAnchor that failed (AccessDenied)", fires: false, records: [failed(createAnchor, "AccessDeniedException")] },
    { name: "ListTrustAnchors (the read-only twin)", fires: false, records: [{ ...createAnchor, eventName: "ListTrustAnchors", readOnly: true, requestParameters: null, responseElements: null }] },
  ],
});
