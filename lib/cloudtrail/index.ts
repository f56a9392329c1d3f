export type { CloudTrailRow } from "./types";
export { CloudTrailFormatError } from "./cloudtrail-format-error";
export { normalizeRecord } from "./normalize-record";
export {
  DEFAULT_MAX_RECORD_BYTES,
  parseCloudTrailFile,
  type ParseCloudTrailFileOptions,
} from "./parse-cloudtrail-file";
