import type { CloudTrailRow } from "../cloudtrail/types";
import { FLOW_FIELDS } from "../flowlogs/flow-fields";
import type { FlowRow } from "../flowlogs/types";
import type { TableSpec } from "./load-rows";

/** `eventTime` → `event_time`: Trailwatch's SQL columns are the snake_case of the row properties. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const CLOUDTRAIL_PROPS = [
  "recipientAccountId", "eventId", "eventTime", "eventVersion", "eventName", "eventSource", "awsRegion",
  "sourceIpAddress", "userAgent", "userIdentityType", "userIdentityArn", "userIdentityPrincipalId",
  "userIdentityAccountId", "userIdentityUserName", "userIdentityAccessKeyId", "userIdentityInvokedBy",
  "sessionIssuerType", "sessionIssuerArn", "sessionIssuerUserName", "errorCode", "errorMessage", "readOnly",
  "eventType", "eventCategory", "managementEvent", "requestId", "sharedEventId", "vpcEndpointId", "raw",
] as const satisfies readonly (keyof CloudTrailRow)[];

/** `cloudtrail_events`: unique on (recipient_account_id, event_id). */
export const cloudTrailTable: TableSpec<CloudTrailRow> = {
  table: "cloudtrail_events",
  columns: ["object_id", ...CLOUDTRAIL_PROPS.map(snake)],
  values: (row) => CLOUDTRAIL_PROPS.map((p) => row[p]),
};

/** `flow_records`: unique on (object_id, line_number); columns from the flow-log field catalogue. */
export const flowTable: TableSpec<FlowRow> = {
  table: "flow_records",
  columns: ["object_id", "line_number", ...FLOW_FIELDS.map((f) => f.column), "extra"],
  values: (row) => [row.lineNumber, ...FLOW_FIELDS.map((f) => row[f.property]), row.extra],
  position: (row) => row.lineNumber,
};
