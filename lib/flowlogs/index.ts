/**
 * VPC Flow Logs (text, as delivered to S3): the field catalogue and the streaming parser.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
export type { FlowRow } from "./types";
export {
  DEFAULT_FLOW_LOG_FIELDS,
  FLOW_FIELDS,
  FLOW_FIELDS_BY_NAME,
  TRANSIT_GATEWAY_EXTRA_FIELDS,
  type FlowField,
  type FlowFieldProperty,
  type FlowFieldType,
  type FlowLogVersion,
} from "./flow-fields";
export { FlowLogFormatError, MAX_LINE_CHARS, parseFlowLog, type ParseFlowLogOptions } from "./parse-flow-log";
