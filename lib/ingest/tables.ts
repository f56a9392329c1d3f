import type { CloudTrailRow } from "../cloudtrail/types";
import { FLOW_FIELDS } from "../flowlogs/flow-fields";
import type { FlowRow } from "../flowlogs/types";
import type { CopyValue } from "../db/copy";
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

/**
 * A function returning `row`'s properties `names`, in that order, as one array: the `values` of a TableSpec.
 * Called for every row loaded, so it is compiled to plain property reads (`[row.a, row.b, …]`): reading
 * the properties by a name held in a variable (`names.map((p) => row[p])`) is a lookup by key for each of
 * them, about half the time of encoding a flow record. `names` are our own constants (checked here).
 */
function valuesOf<Row>(names: readonly (keyof Row & string)[]): (row: Row) => CopyValue[] {
  for (const name of names) if (!/^[A-Za-z]\w*$/.test(name)) throw new Error(`not a property name: ${name}`);
  return new Function("row", `return [${names.map((name) => `row.${name}`).join(", ")}];`) as (row: Row) => CopyValue[];
}

/** `cloudtrail_events`: unique on (recipient_account_id, event_id). */
export const cloudTrailTable: TableSpec<CloudTrailRow> = {
  table: "cloudtrail_events",
  columns: ["object_id", ...CLOUDTRAIL_PROPS.map(snake)],
  values: valuesOf<CloudTrailRow>(CLOUDTRAIL_PROPS),
  rollup: { source: "cloudtrail", time: (row) => row.eventTime },
};

/** `flow_records`: unique on (object_id, line_number); columns from the flow-log field catalogue. */
export const flowTable: TableSpec<FlowRow> = {
  table: "flow_records",
  columns: ["object_id", "line_number", ...FLOW_FIELDS.map((f) => f.column), "extra"],
  values: valuesOf<FlowRow>(["lineNumber", ...FLOW_FIELDS.map((f) => f.property), "extra"]),
  position: (row) => row.lineNumber,
  rollup: { source: "vpcflow", time: (row) => row.start },
};
