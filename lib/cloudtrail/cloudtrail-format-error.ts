/**
 * Thrown when a file as a whole cannot be read as CloudTrail: it is not JSON,
 * it is a CloudTrail digest file or some other JSON document, it is still
 * gzip-compressed, or it ends before its first record is complete.
 * One bad record never throws this; it becomes a `Rejection` instead.
 * The message is a sentence for the object ledger's error text.
 */
export class CloudTrailFormatError extends Error {
  override readonly name = "CloudTrailFormatError";
}
