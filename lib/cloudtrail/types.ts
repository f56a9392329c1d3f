/**
 * One CloudTrail record flattened into the hot columns of `cloudtrail_events`
 * (see prisma/schema.prisma) plus the whole record as JSON text.
 * Field meanings: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * Absent fields are null. Strings never contain U+0000 (Postgres text cannot hold it).
 */
export interface CloudTrailRow {
  /** `recipientAccountId`, falling back to `userIdentity.accountId`, else "" (part of the unique key). */
  recipientAccountId: string;
  /** `eventID` (required: records without it are rejected). */
  eventId: string;
  /** `eventTime`, UTC (required). */
  eventTime: Date;
  eventVersion: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  /** An IP address, or an AWS service name such as `s3.amazonaws.com`. */
  sourceIpAddress: string | null;
  userAgent: string | null;
  userIdentityType: string | null;
  userIdentityArn: string | null;
  userIdentityPrincipalId: string | null;
  userIdentityAccountId: string | null;
  userIdentityUserName: string | null;
  userIdentityAccessKeyId: string | null;
  userIdentityInvokedBy: string | null;
  sessionIssuerType: string | null;
  sessionIssuerArn: string | null;
  sessionIssuerUserName: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  readOnly: boolean | null;
  eventType: string | null;
  eventCategory: string | null;
  managementEvent: boolean | null;
  requestId: string | null;
  sharedEventId: string | null;
  vpcEndpointId: string | null;
  /** The record as JSON text, exactly as delivered except `\u0000` escapes replaced by `\uFFFD`. */
  raw: string;
}
