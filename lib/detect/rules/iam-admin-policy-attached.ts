import { all, call, succeeded, suffix } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const attachToRole = cloudTrailEvent({
  eventName: "AttachRolePolicy",
  userIdentity: assumedRole("DevOps", "mallory"),
  requestParameters: { roleName: "new-role", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
});

export default defineRule({
  id: "iam-admin-policy-attached",
  title: "AdministratorAccess attached to a user, role or group",
  description:
    "Attaching the AWS managed AdministratorAccess policy grants full control of the account: the shortest path from a foothold to total compromise (DETECTIONS.md B25). Matches the managed policy's ARN in every partition (arn:aws, arn:aws-us-gov, arn:aws-cn).",
  response:
    "Confirm the grant with the caller's owner; if unplanned, detach the policy at once, then review what the newly privileged user, role or group has done since.",
  severity: "high",
  techniques: ["T1098.003"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", ["AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy"]),
    succeeded(),
    suffix("requestParameters.policyArn", ":iam::aws:policy/AdministratorAccess"),
  ),
  examples: [
    { name: "AdministratorAccess attached to a role", fires: true, records: [attachToRole] },
    {
      name: "AdministratorAccess attached to a user",
      fires: true,
      records: [cloudTrailEvent({ eventName: "AttachUserPolicy", requestParameters: { userName: "Bob", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } })],
    },
    {
      name: "AdministratorAccess attached to a group",
      fires: true,
      records: [cloudTrailEvent({ eventName: "AttachGroupPolicy", requestParameters: { groupName: "ops", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } })],
    },
    { name: "ReadOnlyAccess attached to a role", fires: false, records: [{ ...attachToRole, requestParameters: { roleName: "new-role", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }] },
    { name: "AttachRolePolicy of AdministratorAccess that failed (AccessDenied)", fires: false, records: [failed(attachToRole)] },
    { name: "AdministratorAccess detached (the opposite)", fires: false, records: [{ ...attachToRole, eventName: "DetachRolePolicy" }] },
  ],
});
