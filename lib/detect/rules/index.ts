import type { BuiltInRule } from "../define-rule";
import cloudtrailLoggingStopped from "./cloudtrail-logging-stopped";
import consoleLoginFailureBurst from "./console-login-failure-burst";
import vpcPortScan from "./vpc-port-scan";
import vpcRemoteAccessExposure from "./vpc-remote-access-exposure";
import vpcRejectedBurst from "./vpc-rejected-burst";
import vpcEgressVolumeSpike from "./vpc-egress-volume-spike";
import vpcThreatIntelTraffic from "./vpc-threat-intel-traffic";
import vpcUnusualOutboundPort from "./vpc-unusual-outbound-port";
import vpcFlowLogsQuiet from "./vpc-flow-logs-quiet";
import vpcSkipdata from "./vpc-skipdata";
import sgOpenedThenInboundTraffic from "./sg-opened-then-inbound-traffic";
import iamChangeAfterMfaLessLogin from "./iam-change-after-mfa-less-login";
import cis01RootUserActivity from "./cis-01-root-user-activity";
import cis02UnauthorizedApiCalls from "./cis-02-unauthorized-api-calls";
import cis03ConsoleLoginWithoutMfa from "./cis-03-console-login-without-mfa";
import cis04IamPolicyChanges from "./cis-04-iam-policy-changes";
import cis05CloudtrailConfigChanges from "./cis-05-cloudtrail-config-changes";
import cis06ConsoleAuthFailures from "./cis-06-console-auth-failures";
import cis07KmsKeyDisabledOrDeleted from "./cis-07-kms-key-disabled-or-deleted";
import cis08S3BucketPolicyChanges from "./cis-08-s3-bucket-policy-changes";
import cis09ConfigChanges from "./cis-09-config-changes";
import cis10SecurityGroupChanges from "./cis-10-security-group-changes";
import cis11NetworkAclChanges from "./cis-11-network-acl-changes";
import cis12NetworkGatewayChanges from "./cis-12-network-gateway-changes";
import cis13RouteTableChanges from "./cis-13-route-table-changes";
import cis14VpcChanges from "./cis-14-vpc-changes";
import cis415OrganizationsChanges from "./cis-4-15-organizations-changes";
import iamAccessKeyCreatedForAnotherUser from "./iam-access-key-created-for-another-user";
import iamLoginProfileChanged from "./iam-login-profile-changed";
import iamAdminPolicyAttached from "./iam-admin-policy-attached";
import iamSamlProviderChanged from "./iam-saml-provider-changed";
import ec2UserDataChanged from "./ec2-user-data-changed";
import ssmCommandOrSession from "./ssm-command-or-session";
import consoleLoginFromStolenCredentials from "./console-login-from-stolen-credentials";
import stsCredentialRecon from "./sts-credential-recon";
import instanceCredentialsUsedOutsideInstance from "./instance-credentials-used-outside-instance";
import kmsKeyLoss from "./kms-key-loss";
import route53DomainTransfer from "./route53-domain-transfer";
import networkAclAllowsAll from "./network-acl-allows-all";
import securityGroupOpenToWorld from "./security-group-open-to-world";
import lambdaFunctionUrlPublic from "./lambda-function-url-public";
import bedrockGuardrailWeakened from "./bedrock-guardrail-weakened";
import secretsBulkRetrieval from "./secrets-bulk-retrieval";
import ssmBulkParameterDecryption from "./ssm-bulk-parameter-decryption";
import s3RansomwarePatterns from "./s3-ransomware-patterns";
import iamUserCreated from "./iam-user-created";
import iamRoleTrustPolicyChanged from "./iam-role-trust-policy-changed";
import iamMfaDeviceRemoved from "./iam-mfa-device-removed";
import iamPasswordPolicyWeakened from "./iam-password-policy-weakened";
import stsFederationTokenIssued from "./sts-federation-token-issued";
import rolesanywhereTrustAnchorCreated from "./rolesanywhere-trust-anchor-created";
import ec2InstanceConnectKeyPushed from "./ec2-instance-connect-key-pushed";
import ec2PasswordDataRetrieved from "./ec2-password-data-retrieved";
import lambdaCodeChanged from "./lambda-code-changed";
import cloudtrailManagementEventsDisabled from "./cloudtrail-management-events-disabled";
import guarddutyDetectorDisabled from "./guardduty-detector-disabled";
import guarddutyIpOrThreatListChanged from "./guardduty-ip-or-threat-list-changed";
import configRecordingStopped from "./config-recording-stopped";
import vpcFlowLogsDeleted from "./vpc-flow-logs-deleted";
import securityhubFindingsTampered from "./securityhub-findings-tampered";
import route53ResolverQueryLoggingDeleted from "./route53-resolver-query-logging-deleted";
import organizationsAccountLeft from "./organizations-account-left";
import s3VersioningSuspended from "./s3-versioning-suspended";
import s3AccessLoggingDisabled from "./s3-access-logging-disabled";
import s3BucketMadePublic from "./s3-bucket-made-public";
import ebsDefaultEncryptionDisabled from "./ebs-default-encryption-disabled";
import ebsSnapshotShared from "./ebs-snapshot-shared";
import amiShared from "./ami-shared";
import rdsSnapshotShared from "./rds-snapshot-shared";
import rdsRestoredPublicly from "./rds-restored-publicly";
import rdsInstanceMadePublic from "./rds-instance-made-public";
import rdsMasterPasswordChanged from "./rds-master-password-changed";
import rootConsoleLogin from "./root-console-login";

/** Every built-in rule, one file each in this folder (the meta-test checks the list is complete). */
export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  cloudtrailLoggingStopped,
  consoleLoginFailureBurst,
  vpcPortScan,
  vpcRemoteAccessExposure,
  vpcRejectedBurst,
  vpcEgressVolumeSpike,
  vpcThreatIntelTraffic,
  vpcUnusualOutboundPort,
  vpcFlowLogsQuiet,
  vpcSkipdata,
  sgOpenedThenInboundTraffic,
  iamChangeAfterMfaLessLogin,
  cis01RootUserActivity,
  cis02UnauthorizedApiCalls,
  cis03ConsoleLoginWithoutMfa,
  cis04IamPolicyChanges,
  cis05CloudtrailConfigChanges,
  cis06ConsoleAuthFailures,
  cis07KmsKeyDisabledOrDeleted,
  cis08S3BucketPolicyChanges,
  cis09ConfigChanges,
  cis10SecurityGroupChanges,
  cis11NetworkAclChanges,
  cis12NetworkGatewayChanges,
  cis13RouteTableChanges,
  cis14VpcChanges,
  cis415OrganizationsChanges,
  iamAccessKeyCreatedForAnotherUser,
  iamLoginProfileChanged,
  iamAdminPolicyAttached,
  iamSamlProviderChanged,
  ec2UserDataChanged,
  ssmCommandOrSession,
  consoleLoginFromStolenCredentials,
  stsCredentialRecon,
  instanceCredentialsUsedOutsideInstance,
  kmsKeyLoss,
  route53DomainTransfer,
  networkAclAllowsAll,
  securityGroupOpenToWorld,
  lambdaFunctionUrlPublic,
  bedrockGuardrailWeakened,
  secretsBulkRetrieval,
  ssmBulkParameterDecryption,
  s3RansomwarePatterns,
  iamUserCreated,
  iamRoleTrustPolicyChanged,
  iamMfaDeviceRemoved,
  iamPasswordPolicyWeakened,
  stsFederationTokenIssued,
  rolesanywhereTrustAnchorCreated,
  ec2InstanceConnectKeyPushed,
  ec2PasswordDataRetrieved,
  lambdaCodeChanged,
  cloudtrailManagementEventsDisabled,
  guarddutyDetectorDisabled,
  guarddutyIpOrThreatListChanged,
  configRecordingStopped,
  vpcFlowLogsDeleted,
  securityhubFindingsTampered,
  route53ResolverQueryLoggingDeleted,
  organizationsAccountLeft,
  s3VersioningSuspended,
  s3AccessLoggingDisabled,
  s3BucketMadePublic,
  ebsDefaultEncryptionDisabled,
  ebsSnapshotShared,
  amiShared,
  rdsSnapshotShared,
  rdsRestoredPublicly,
  rdsInstanceMadePublic,
  rdsMasterPasswordChanged,
  rootConsoleLogin,
];
