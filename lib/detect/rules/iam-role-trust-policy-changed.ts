import { all, call, not, notByAwsService, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const openTrust = cloudTrailEvent({
  eventName: "UpdateAssumeRolePolicy",
  userIdentity: assumedRole("admin", "mallory"),
  requestParameters: {
    roleName: "prod-deployer",
    policyDocument: "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}",
  },
});

export default defineRule({
  id: "iam-role-trust-policy-changed",
  title: "IAM role trust policy changed",
  description:
    "A role's trust policy decides who may assume it: adding an outside account, a wildcard principal or a new identity provider turns the role into a backdoor that survives credential rotation. Role trust changes outside infrastructure-as-code are rare; changes made through an AWS service (userIdentity.invokedBy, e.g. CloudFormation) are left out by default.",
  response:
    "Read the new policyDocument: look for accounts you do not own, \"*\" principals, and federated providers; if unexpected, restore the previous trust policy and review AssumeRole calls on the role since the change.",
  severity: "medium",
  techniques: ["T1098"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", ["UpdateAssumeRolePolicy"]),
    succeeded(),
    notByAwsService(),
  ),
  examples: [
    { name: "trust policy opened to another account", fires: true, records: [openTrust] },
    { name: "UpdateAssumeRolePolicy that failed (MalformedPolicyDocument)", fires: false, records: [failed(openTrust, "MalformedPolicyDocumentException", "Invalid principal in policy")] },
    { name: "trust policy updated by a CloudFormation stack", fires: false, records: [{ ...openTrust, userIdentity: { ...assumedRole("cfn-deploy", "AWSCloudFormation"), invokedBy: "cloudformation.amazonaws.com" }, sourceIPAddress: "cloudformation.amazonaws.com", userAgent: "cloudformation.amazonaws.com" }] },
    { name: "GetRole (the read-only twin)", fires: false, records: [{ ...openTrust, eventName: "GetRole", readOnly: true, requestParameters: { roleName: "prod-deployer" } }] },
  ],
});
