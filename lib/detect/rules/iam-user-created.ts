import { all, call, not, notByAwsService, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const createUser = cloudTrailEvent({
  eventName: "CreateUser",
  userIdentity: assumedRole("admin", "mallory"),
  requestParameters: { userName: "backup-svc", path: "/" },
  responseElements: { user: { path: "/", userName: "backup-svc", userId: "AIDAEXAMPLEUSERID0001", arn: "arn:aws:iam::111122223333:user/backup-svc", createDate: "Nov 2, 2026, 10:00:00 AM" } },
});

export default defineRule({
  id: "iam-user-created",
  title: "IAM user created",
  description:
    "A new IAM user with its own password or access keys is the simplest backdoor an attacker can leave behind, and in accounts that use federation or IAM Identity Center new IAM users should be rare. Users created by infrastructure-as-code through an AWS service (userIdentity.invokedBy, e.g. CloudFormation) are left out by default.",
  response:
    "Check who created the user and whether a ticket asked for it; if not, delete its access keys and login profile, detach its policies and delete it, then review the creator's other actions.",
  severity: "medium",
  techniques: ["T1136.003"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", ["CreateUser"]),
    succeeded(),
    notByAwsService(),
  ),
  examples: [
    { name: "CreateUser by an admin role", fires: true, records: [createUser] },
    { name: "CreateUser that failed (EntityAlreadyExists)", fires: false, records: [failed(createUser, "EntityAlreadyExists", "User with name backup-svc already exists.")] },
    { name: "CreateUser by a CloudFormation stack", fires: false, records: [{ ...createUser, userIdentity: { ...assumedRole("cfn-deploy", "AWSCloudFormation"), invokedBy: "cloudformation.amazonaws.com" }, sourceIPAddress: "cloudformation.amazonaws.com", userAgent: "cloudformation.amazonaws.com" }] },
    { name: "GetUser (the read-only twin)", fires: false, records: [{ ...createUser, eventName: "GetUser", readOnly: true, responseElements: null }] },
  ],
});
