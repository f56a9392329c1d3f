/**
 * Who made a CloudTrail call, from its `userIdentity` block:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * For assumed-role sessions: the role, the session name, when the session
 * began, MFA and the STS source identity; for IAM Identity Center the person
 * behind an `AWSReservedSSO_<permission set>_<hash>` role (the session name
 * Identity Center sets is the user's name), and `onBehalfOf` when present.
 * Pure; lib/search/session-start.ts finds the call that began the session.
 */

export interface Actor {
  /** `userIdentity.type`: IAMUser, AssumedRole, Root, AWSService, AWSAccount, FederatedUser, IdentityCenterUser…; null without userIdentity. */
  type: string | null;
  /** Short name for sentences: user name, session name, `root`, the service… */
  name: string;
  /** `userIdentity.accountId` (the caller's account, which may differ from the recipient). */
  account: string | null;
  arn: string | null;
  principalId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  /** The role of an assumed-role session (`sessionContext.sessionIssuer`). */
  role: { name: string; arn: string | null } | null;
  /** The session name (last part of an assumed-role ARN). */
  sessionName: string | null;
  /** `sessionContext.attributes.creationDate` (UTC, as written). */
  sessionCreated: string | null;
  /** `sessionContext.attributes.mfaAuthenticated`; null when not stated. */
  mfa: boolean | null;
  /** `sessionContext.sourceIdentity` (or `userIdentity.sourceIdentity`). */
  sourceIdentity: string | null;
  /** IAM Identity Center: the user and the permission set of an AWSReservedSSO_* role. */
  identityCenter: { user: string; permissionSet: string; userId: string | null; identityStoreArn: string | null } | null;
  /** `userIdentity.invokedBy` (a service acting for the principal, e.g. `cloudformation.amazonaws.com`). */
  invokedBy: string | null;
  /** `webIdFederationData.federatedProvider` (OIDC / SAML provider of a web identity session). */
  federatedProvider: string | null;
  /** The call came from a console session (`sessionCredentialFromConsole`). */
  console: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** `AWSReservedSSO_DevAdmin_635426549a280cc6` → `DevAdmin`. */
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{8,}$/;

/** The actor of a raw CloudTrail record. Never throws on odd input. */
export function describeActor(raw: unknown): Actor {
  const r = obj(raw);
  const id = obj(r.userIdentity);
  const context = obj(id.sessionContext);
  const issuer = obj(context.sessionIssuer);
  const attributes = obj(context.attributes);
  const type = str(id.type);
  const arn = str(id.arn);
  const userName = str(id.userName);
  const assumed = arn !== null && /:assumed-role\//.test(arn);
  const sessionName = assumed ? (arn!.split("/").slice(2).join("/") || null) : null;
  const roleName = str(issuer.userName) ?? (assumed ? (arn!.split("/")[1] ?? null) : null);
  const role = (type === "AssumedRole" || assumed) && roleName ? { name: roleName, arn: str(issuer.arn) } : null;
  const sso = role ? SSO_ROLE.exec(role.name) : null;
  const onBehalfOf = obj(id.onBehalfOf);
  const identityCenter =
    sso || str(onBehalfOf.userId)
      ? {
          user: sessionName ?? userName ?? str(onBehalfOf.userId) ?? "?",
          permissionSet: sso?.[1] ?? "?",
          userId: str(onBehalfOf.userId),
          identityStoreArn: str(onBehalfOf.identityStoreArn),
        }
      : null;
  const mfaText = str(attributes.mfaAuthenticated);
  return {
    type,
    name: displayName(type, id, userName, sessionName, arn),
    account: str(id.accountId),
    arn,
    principalId: str(id.principalId),
    accessKeyId: str(id.accessKeyId),
    userName,
    role,
    sessionName,
    sessionCreated: str(attributes.creationDate),
    mfa: mfaText === null ? null : mfaText.toLowerCase() === "true",
    sourceIdentity: str(context.sourceIdentity) ?? str(id.sourceIdentity),
    identityCenter,
    invokedBy: str(id.invokedBy),
    federatedProvider: str(obj(context.webIdFederationData).federatedProvider),
    console: r.sessionCredentialFromConsole === true || r.sessionCredentialFromConsole === "true",
  };
}

function displayName(type: string | null, id: Json, userName: string | null, sessionName: string | null, arn: string | null): string {
  switch (type) {
    case "Root":
      return "root";
    case "AWSService":
      return str(id.invokedBy) ?? "an AWS service";
    case "AWSAccount":
      return `account ${str(id.accountId) ?? str(id.principalId) ?? "?"}`;
    case "AssumedRole":
      return sessionName ?? arn ?? "an assumed role";
    case "FederatedUser":
      return arn?.split("federated-user/")[1] ?? userName ?? "a federated user";
    default:
      if (type === null && Object.keys(id).length === 0) return "AWS";
      return userName ?? sessionName ?? arn?.split("/").at(-1) ?? str(obj(id.onBehalfOf).userId) ?? str(id.principalId) ?? "someone";
  }
}

/** `alice (IAMUser, 111122223333)`, `bob (AssumedRole Admin, 444455556666)`, `bob.ross (IAM Identity Center DevAdmin, 123456789012)`. */
export function actorLabel(actor: Actor): string {
  const what = actor.identityCenter
    ? `IAM Identity Center${actor.identityCenter.permissionSet === "?" ? "" : ` ${actor.identityCenter.permissionSet}`}`
    : actor.role
      ? `${actor.type ?? "AssumedRole"} ${actor.role.name}`
      : (actor.type ?? "no identity");
  const details = [what, actor.account].filter((x): x is string => x !== null && x !== "");
  return actor.type === null && actor.name === "AWS" ? "AWS" : `${actor.name} (${details.join(", ")})`;
}
