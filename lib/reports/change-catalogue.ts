import type { Selection } from "./selection";

/**
 * The catalogue of security-relevant changes, by category, as CloudTrail names them (event source and
 * event names of the AWS APIs). One place for every report that shows changes: the Overview's recent
 * sensitive changes, the IAM audit, the Network report's change timeline and the S3 report.
 * Each category is a {@link Selection}, so counting it and linking to its events use the same definition.
 *
 * Sources: the API references of IAM, CloudTrail, EC2, KMS and S3, and CloudTrail's event reference
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html).
 */

export interface ChangeCategory {
  /** Stable identifier, also a valid series name (letters and digits). */
  id: string;
  label: string;
  selection: Selection;
}

const calls = (eventSource: string, eventNames: readonly string[]): Selection => ({ include: { eventSource, eventName: eventNames } });

// ---- IAM ----------------------------------------------------------------------------------------

const IAM = "iam.amazonaws.com";

/** Identity and permission changes, by what they change (IAM audit). */
export const IAM_CHANGE_CATEGORIES: readonly ChangeCategory[] = [
  {
    id: "users",
    label: "Users",
    selection: calls(IAM, ["CreateUser", "UpdateUser", "DeleteUser", "TagUser", "UntagUser", "PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary"]),
  },
  {
    id: "groups",
    label: "Groups",
    selection: calls(IAM, ["CreateGroup", "UpdateGroup", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup"]),
  },
  {
    id: "roles",
    label: "Roles",
    selection: calls(IAM, [
      "CreateRole", "UpdateRole", "UpdateRoleDescription", "DeleteRole", "TagRole", "UntagRole", "PutRolePermissionsBoundary",
      "DeleteRolePermissionsBoundary", "CreateServiceLinkedRole", "DeleteServiceLinkedRole", "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile",
    ]),
  },
  { id: "trust", label: "Trust policies", selection: calls(IAM, ["UpdateAssumeRolePolicy"]) },
  {
    id: "policies",
    label: "Policies",
    selection: calls(IAM, [
      "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion",
      "AttachUserPolicy", "DetachUserPolicy", "AttachRolePolicy", "DetachRolePolicy", "AttachGroupPolicy", "DetachGroupPolicy",
      "PutUserPolicy", "DeleteUserPolicy", "PutRolePolicy", "DeleteRolePolicy", "PutGroupPolicy", "DeleteGroupPolicy",
    ]),
  },
  { id: "accessKeys", label: "Access keys", selection: calls(IAM, ["CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"]) },
  { id: "loginProfiles", label: "Login profiles", selection: calls(IAM, ["CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "ChangePassword"]) },
  {
    id: "mfa",
    label: "MFA devices",
    selection: calls(IAM, ["CreateVirtualMFADevice", "EnableMFADevice", "DeactivateMFADevice", "DeleteVirtualMFADevice", "ResyncMFADevice"]),
  },
];

/** Every IAM call that is not read-only (CloudTrail's `readOnly` false or absent). */
export const IAM_WRITES: Selection = { include: { eventSource: IAM }, exclude: { readOnly: true } };

/** Event names of every categorised IAM change (for "other IAM changes"). */
export const IAM_CATEGORISED_NAMES: readonly string[] = IAM_CHANGE_CATEGORIES.flatMap((c) => c.selection.include?.eventName as readonly string[]);

// ---- CloudTrail, security groups, KMS ---------------------------------------------------------

export const CLOUDTRAIL_CHANGES: ChangeCategory = {
  id: "cloudtrail",
  label: "CloudTrail",
  selection: calls("cloudtrail.amazonaws.com", [
    "StopLogging", "StartLogging", "CreateTrail", "UpdateTrail", "DeleteTrail", "PutEventSelectors", "PutInsightSelectors",
    "CreateEventDataStore", "UpdateEventDataStore", "DeleteEventDataStore",
  ]),
};

const EC2 = "ec2.amazonaws.com";

export const SECURITY_GROUP_CHANGES: ChangeCategory = {
  id: "securityGroups",
  label: "Security groups",
  selection: calls(EC2, [
    "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
    "CreateSecurityGroup", "DeleteSecurityGroup", "ModifySecurityGroupRules",
    "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress",
  ]),
};

export const KMS_CHANGES: ChangeCategory = {
  id: "kms",
  label: "KMS keys",
  selection: calls("kms.amazonaws.com", [
    "DisableKey", "EnableKey", "ScheduleKeyDeletion", "CancelKeyDeletion", "PutKeyPolicy", "DisableKeyRotation", "EnableKeyRotation",
    "ImportKeyMaterial", "DeleteImportedKeyMaterial",
  ]),
};

/** The Overview's "recent sensitive changes": any IAM write, trail changes, security groups, KMS keys. */
export const SENSITIVE_CHANGE_CATEGORIES: readonly ChangeCategory[] = [
  { id: "iam", label: "IAM", selection: IAM_WRITES },
  CLOUDTRAIL_CHANGES,
  SECURITY_GROUP_CHANGES,
  KMS_CHANGES,
];

// ---- network ------------------------------------------------------------------------------------

/** The Network report's CloudTrail change timeline. */
export const NETWORK_CHANGE_CATEGORIES: readonly ChangeCategory[] = [
  SECURITY_GROUP_CHANGES,
  {
    id: "nacls",
    label: "Network ACLs",
    selection: calls(EC2, ["CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"]),
  },
  {
    id: "routes",
    label: "Route tables",
    selection: calls(EC2, ["CreateRoute", "DeleteRoute", "ReplaceRoute", "CreateRouteTable", "DeleteRouteTable", "AssociateRouteTable", "DisassociateRouteTable", "ReplaceRouteTableAssociation"]),
  },
  {
    id: "gateways",
    label: "Gateways",
    selection: calls(EC2, [
      "CreateInternetGateway", "DeleteInternetGateway", "AttachInternetGateway", "DetachInternetGateway", "CreateNatGateway", "DeleteNatGateway",
      "CreateEgressOnlyInternetGateway", "DeleteEgressOnlyInternetGateway", "CreateCustomerGateway", "DeleteCustomerGateway",
      "CreateVpnGateway", "DeleteVpnGateway", "AttachVpnGateway", "DetachVpnGateway", "CreateTransitGateway", "DeleteTransitGateway",
      "CreateTransitGatewayVpcAttachment", "DeleteTransitGatewayVpcAttachment",
    ]),
  },
  {
    id: "vpcs",
    label: "VPCs and subnets",
    selection: calls(EC2, [
      "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AssociateVpcCidrBlock", "DisassociateVpcCidrBlock", "CreateVpcPeeringConnection",
      "AcceptVpcPeeringConnection", "DeleteVpcPeeringConnection", "CreateSubnet", "DeleteSubnet", "ModifySubnetAttribute",
      "CreateVpcEndpoint", "ModifyVpcEndpoint", "DeleteVpcEndpoints",
    ]),
  },
  { id: "flowLogs", label: "Flow logs", selection: calls(EC2, ["CreateFlowLogs", "DeleteFlowLogs"]) },
];

// ---- S3 -----------------------------------------------------------------------------------------

const S3 = "s3.amazonaws.com";
/** Every S3 call (data and management events). */
export const S3_EVENTS: Selection = { include: { eventSource: S3 } };

/** Changes to who may reach a bucket: bucket policies, ACLs, Block Public Access, object ownership. */
export const S3_ACCESS_CHANGE_CATEGORIES: readonly ChangeCategory[] = [
  { id: "bucketPolicy", label: "Bucket policy", selection: calls(S3, ["PutBucketPolicy", "DeleteBucketPolicy"]) },
  { id: "acl", label: "ACLs", selection: calls(S3, ["PutBucketAcl", "PutObjectAcl"]) },
  {
    id: "publicAccessBlock",
    label: "Block Public Access",
    selection: calls(S3, ["PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutAccountPublicAccessBlock", "DeleteAccountPublicAccessBlock"]),
  },
  { id: "ownership", label: "Object ownership", selection: calls(S3, ["PutBucketOwnershipControls", "DeleteBucketOwnershipControls"]) },
];

/**
 * Object-level S3 API calls, which CloudTrail logs as data events. Chosen by name rather than by
 * `eventCategory` (Data), which events before eventVersion 1.08 lack.
 */
export const S3_DATA_EVENT_NAMES = [
  "GetObject", "PutObject", "DeleteObject", "DeleteObjects", "HeadObject", "CopyObject", "GetObjectAcl", "PutObjectAcl",
  "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging", "GetObjectAttributes", "GetObjectRetention", "PutObjectRetention",
  "GetObjectLegalHold", "PutObjectLegalHold", "RestoreObject", "SelectObjectContent", "CreateMultipartUpload", "UploadPart",
  "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts", "ListObjects", "ListObjectsV2",
  "ListObjectVersions", "ListMultipartUploads", "GetObjectTorrent",
] as const;

export const S3_DATA_EVENTS: Selection = calls(S3, [...S3_DATA_EVENT_NAMES]);
/** The bucket an S3 call names. */
export const S3_BUCKET = "requestParameters.bucketName";
/** Who called S3: the ARN, else the AWS service, else the account (`anonymous` for unauthenticated requests). */
export const S3_CALLER: readonly string[] = ["userIdentity.arn", "userIdentity.invokedBy", "userIdentity.accountId"];
/** What an S3 call sent, in bytes (newer data events). */
export const S3_BYTES_OUT = "additionalEventData.bytesTransferredOut";
/** S3 refusals: S3 says `AccessDenied`. */
export const S3_ACCESS_DENIED: Selection = { include: { errorCode: "AccessDenied" } };
/** Object reads, writes and deletes: the S3 report's columns and series (other data events count as "other"). */
export const S3_GET: Selection = { include: { eventName: "GetObject" } };
export const S3_PUT: Selection = { include: { eventName: "PutObject" } };
export const S3_DELETE: Selection = { include: { eventName: "DeleteObject" } };
/** Calls that failed: CloudTrail records an `errorCode`. */
export const FAILED: Selection = { include: { errorCode: "*" } };
/** Calls that succeeded: no `errorCode`. */
export const SUCCEEDED: Selection = { exclude: { errorCode: "*" } };
/** Who acted (a group key chain): the ARN, else the IAM user name (no ARN on some failures), else the AWS service (`invokedBy`). */
export const ACTOR = ["userIdentity.arn", "userIdentity.userName", "userIdentity.invokedBy"] as const;

// ---- role assumption, refusals and anonymous callers ---------------------------------------------

/**
 * Role assumption through STS: with credentials, a web identity (OIDC) or a SAML assertion
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 */
export const ASSUME_ROLE: Selection = calls("sts.amazonaws.com", ["AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"]);

/** Refusals: S3 and most services say `AccessDenied(Exception)`, EC2 `(Client.)UnauthorizedOperation`. */
export const DENIED: Selection = {
  include: { errorCode: ["AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "UnauthorizedOperation", "UnauthorizedAccess"] },
};

/** Unauthenticated requests (S3 records them with `userIdentity.accountId` "anonymous"). */
export const ANONYMOUS: Selection = { include: { "userIdentity.accountId": "anonymous" } };
