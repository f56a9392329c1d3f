import { all, call, eq, not, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const createProvider = cloudTrailEvent({
  eventName: "CreateSAMLProvider",
  userIdentity: assumedRole("admin", "mallory"),
  requestParameters: { name: "CorpIdP", sAMLMetadataDocument: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><md:EntityDescriptor/>" },
  responseElements: { sAMLProviderArn: "arn:aws:iam::111122223333:saml-provider/CorpIdP" },
});

/** IAM Identity Center managing its own SAML provider through its service-linked role. */
const identityCenter = {
  ...assumedRole("AWSServiceRoleForSSO", "AWS-SSO"),
  invokedBy: "sso.amazonaws.com",
};

export default defineRule({
  id: "iam-saml-provider-changed",
  title: "IAM SAML identity provider created, updated or deleted",
  description:
    "A SAML provider decides who may federate into the account: an attacker who adds or re-points one can mint sessions for any role that trusts it (Golden SAML), and deleting one cuts off legitimate sign-in (DETECTIONS.md B26). IAM Identity Center's own service-linked role (AWSServiceRoleForSSO) is allow-listed by default.",
  response:
    "Check the provider's metadata (issuer, signing certificate) against your real identity provider; if it is not yours, delete it and review every AssumeRoleWithSAML that used it.",
  severity: "high",
  techniques: ["T1484.002"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", ["CreateSAMLProvider", "UpdateSAMLProvider", "DeleteSAMLProvider"]),
    succeeded(),
    not(eq("userIdentity.type", "AWSService")),
  ),
  allow: { roleNames: ["AWSServiceRoleForSSO"] },
  examples: [
    { name: "CreateSAMLProvider by an admin role", fires: true, records: [createProvider] },
    {
      name: "UpdateSAMLProvider with new metadata",
      fires: true,
      records: [cloudTrailEvent({ eventName: "UpdateSAMLProvider", requestParameters: { sAMLProviderArn: "arn:aws:iam::111122223333:saml-provider/CorpIdP", sAMLMetadataDocument: "<md:EntityDescriptor/>" }, responseElements: { sAMLProviderArn: "arn:aws:iam::111122223333:saml-provider/CorpIdP" } })],
    },
    { name: "CreateSAMLProvider that failed (AccessDenied)", fires: false, records: [failed(createProvider)] },
    {
      name: "IAM Identity Center creating its own provider (allow-listed role)",
      fires: false,
      records: [{ ...createProvider, userIdentity: identityCenter, sourceIPAddress: "sso.amazonaws.com", userAgent: "sso.amazonaws.com", requestParameters: { name: "AWSSSO_abdf34fd171b4a7e_DO_NOT_DELETE", sAMLMetadataDocument: "<md:EntityDescriptor/>" } }],
    },
    { name: "ListSAMLProviders (the read-only twin)", fires: false, records: [cloudTrailEvent({ eventName: "ListSAMLProviders", readOnly: true })] },
  ],
});
