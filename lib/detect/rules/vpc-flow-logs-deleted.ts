import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** DeleteFlowLogs as EC2 records it (the query-API request shape, as in Elastic's sample). */
const deleteFlowLogs = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "DeleteFlowLogs",
  requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: "fl-07a9b55570fe770b6", tag: 1 } } },
  responseElements: {
    DeleteFlowLogsResponse: { requestId: "d8c28cc8-d071-480a-a095-45f38e3a16af", unsuccessful: "", xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/" },
  },
});

export default defineRule({
  id: "vpc-flow-logs-deleted",
  title: "VPC Flow Logs deleted",
  description:
    "Deleting a flow log ends the network record of a VPC, subnet or interface: attackers do it before exfiltration or lateral movement (DETECTIONS.md B6). A call that succeeded but listed the flow log under unsuccessful (already gone) still fires; the engine cannot compare the requested ids with that list.",
  response:
    "Find which VPC or interface the flow log covered (DescribeFlowLogs history, Config), recreate it at once, then check whether that source went quiet (the flow-logs-quiet rule) and what the principal did next.",
  severity: "high",
  techniques: ["T1562.008"],
  source: "cloudtrail",
  match: all(call("ec2.amazonaws.com", ["DeleteFlowLogs"]), succeeded()),
  examples: [
    { name: "DeleteFlowLogs by an IAM user", fires: true, records: [deleteFlowLogs] },
    { name: "DeleteFlowLogs by an assumed role", fires: true, records: [{ ...deleteFlowLogs, userIdentity: assumedRole("network-admin") }] },
    { name: "DeleteFlowLogs that failed (UnauthorizedOperation)", fires: false, records: [failed(deleteFlowLogs, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    {
      name: "DescribeFlowLogs (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "ec2.amazonaws.com", eventName: "DescribeFlowLogs", readOnly: true, requestParameters: { DescribeFlowLogsRequest: "" } })],
    },
  ],
});
