import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** A member account leaves its organization (no parameters; logged in the member account). */
const leave = cloudTrailEvent({
  eventSource: "organizations.amazonaws.com",
  eventName: "LeaveOrganization",
  userIdentity: assumedRole("OrganizationAccountAccessRole"),
  requestParameters: null,
  responseElements: null,
});

export default defineRule({
  id: "organizations-account-left",
  title: "Account left the AWS Organization",
  description:
    "An account that leaves (LeaveOrganization) or is removed from (RemoveAccountFromOrganization) its organization escapes the organization's SCPs, its organization trail and delegated GuardDuty and Security Hub: everything that watched and restricted it (DETECTIONS.md B9).",
  response:
    "Ask the organization's owners whether the account was meant to leave; if not, treat the account as compromised: secure its root user, invite it back, and review its activity from before the call.",
  severity: "high",
  techniques: ["T1562"],
  source: "cloudtrail",
  match: all(call("organizations.amazonaws.com", ["LeaveOrganization", "RemoveAccountFromOrganization"]), succeeded()),
  examples: [
    { name: "LeaveOrganization from a member account", fires: true, records: [leave] },
    {
      name: "management account removes a member",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "organizations.amazonaws.com",
          eventName: "RemoveAccountFromOrganization",
          requestParameters: { accountId: "444455556666" },
          responseElements: null,
        }),
      ],
    },
    { name: "LeaveOrganization that failed (AccessDenied, as in Panther's test)", fires: false, records: [failed(leave)] },
    {
      name: "DescribeOrganization (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "organizations.amazonaws.com", eventName: "DescribeOrganization", readOnly: true })],
    },
  ],
});
