import { all, any, call, contains, exists, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent, failed } from "./examples";

/** Words of ransom-note object names (matched case-insensitively within the key). */
const RANSOM_NOTE_WORDS = ["how_to_decrypt", "how-to-decrypt", "decrypt_files", "decrypt-files", "decrypt_instructions", "how_to_recover", "how_to_restore", "recover_files", "restore_files", "ransom", "readme_to_decrypt", "your_files_are_encrypted", "files_encrypted"];

const SSE_C = "requestParameters.x-amz-server-side-encryption-customer-algorithm";

/** An in-place copy re-encrypting an object with a customer-provided key (SSE-C): the key never reaches AWS. */
const copyWithSseC = cloudTrailEvent({
  eventSource: "s3.amazonaws.com",
  eventName: "CopyObject",
  eventCategory: "Data",
  managementEvent: false,
  userAgent: "aws-sdk-go/1.15.12 (go1.12.6; linux; amd64)",
  requestParameters: {
    bucketName: "production-data",
    Host: "production-data.s3.us-east-1.amazonaws.com",
    key: "finance/ledger-2026.xlsx",
    "x-amz-copy-source": "production-data/finance/ledger-2026.xlsx",
    "x-amz-server-side-encryption-customer-algorithm": "AES256",
  },
  responseElements: { "x-amz-server-side-encryption-customer-algorithm": "AES256" },
  additionalEventData: { SignatureVersion: "SigV4", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: 0, bytesTransferredOut: 0, AuthenticationMethod: "AuthHeader" },
  readOnly: false,
  resources: [
    { type: "AWS::S3::Object", ARN: "arn:aws:s3:::production-data/finance/ledger-2026.xlsx" },
    { accountId: "111122223333", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::production-data" },
  ],
});

const putNote = (key: string) => ({
  ...copyWithSseC,
  eventName: "PutObject",
  requestParameters: { bucketName: "production-data", Host: "production-data.s3.us-east-1.amazonaws.com", key },
  responseElements: { "x-amz-server-side-encryption": "AES256" },
  additionalEventData: { SignatureVersion: "SigV4", CipherSuite: "TLS_AES_128_GCM_SHA256", bytesTransferredIn: 2048, bytesTransferredOut: 0, AuthenticationMethod: "AuthHeader" },
  resources: [
    { type: "AWS::S3::Object", ARN: `arn:aws:s3:::production-data/${key}` },
    { accountId: "111122223333", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::production-data" },
  ],
});

export default defineRule({
  id: "s3-ransomware-patterns",
  title: "S3 ransomware pattern: SSE-C re-encryption or ransom note",
  description:
    "S3 ransomware re-encrypts objects with a customer-provided key (SSE-C), which AWS never stores, so only the attacker can decrypt them, then drops a ransom note (DETECTIONS.md B40). Fires on successful CopyObject, PutObject or CreateMultipartUpload with SSE-C, and on PutObject of a key named like a ransom note. Needs S3 data events in the trail: without them the rule sees nothing. Noisy: applications that legitimately use SSE-C fire too; allow-list their roles.",
  response:
    "Identify the principal and stop it (revoke sessions, deactivate keys), check whether versioning or backups hold clean copies of the affected objects, and block SSE-C on the buckets (a bucket policy denying s3:PutObject with x-amz-server-side-encryption-customer-algorithm) until recovered.",
  severity: "high",
  techniques: ["T1486"],
  source: "cloudtrail",
  match: all(
    succeeded(),
    any(
      all(call("s3.amazonaws.com", ["CopyObject", "PutObject", "CreateMultipartUpload"]), exists(SSE_C)),
      all(call("s3.amazonaws.com", ["PutObject"]), contains("requestParameters.key", RANSOM_NOTE_WORDS, { ignoreCase: true })),
    ),
  ),
  examples: [
    { name: "in-place CopyObject re-encrypting with SSE-C", fires: true, records: [copyWithSseC] },
    { name: "ransom note HOW_TO_DECRYPT_FILES.txt uploaded", fires: true, records: [putNote("documents/financial/HOW_TO_DECRYPT_FILES.txt")] },
    { name: "CopyObject with SSE-KMS (ordinary re-encryption)", fires: false, records: [{ ...copyWithSseC, requestParameters: { bucketName: "production-data", key: "finance/ledger-2026.xlsx", "x-amz-copy-source": "production-data/finance/ledger-2026.xlsx", "x-amz-server-side-encryption": "aws:kms" }, responseElements: null }] },
    { name: "SSE-C copy that failed (AccessDenied)", fires: false, records: [failed(copyWithSseC)] },
    { name: "ordinary upload reports/quarterly-report.pdf", fires: false, records: [putNote("reports/quarterly-report.pdf")] },
    { name: "GetObject of a note-like key (read, not written)", fires: false, records: [{ ...putNote("HOW_TO_DECRYPT_FILES.txt"), eventName: "GetObject", readOnly: true }] },
  ],
});
