import { all, call, exists, not, notByAwsService, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** ModifyImageAttribute as EC2 records it (Panther's test events). */
const modifyImage = (launchPermission: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "ec2.amazonaws.com",
    eventName: "ModifyImageAttribute",
    userIdentity: assumedRole("admin"),
    requestParameters: { imageId: "ami-0abcdef1234567890", attributeType: "launchPermission", launchPermission },
    responseElements: { _return: true, requestId: "0d6f2c4a-7b1e-4c55-8f3d-EXAMPLE" },
  });

const makePublic = modifyImage({ add: { items: [{ group: "all" }] } });

export default defineRule({
  id: "ami-shared",
  title: "AMI shared with another account or made public",
  description:
    "ModifyImageAttribute adding a launchPermission lets another account, organization or OU, or everyone (group all), launch the image and read its disks, including any secrets baked into it (DETECTIONS.md B15). Removing a permission and other attributes (description) do not fire; calls AWS services make (EC2 Image Builder distribution, userIdentity.invokedBy) are left out.",
  response:
    "Check the image's contents and whether the receiving account is yours; if not, remove the launch permission at once and treat credentials baked into the image as exposed.",
  severity: "high",
  techniques: ["T1537"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["ModifyImageAttribute"]),
    succeeded(),
    exists("requestParameters.launchPermission.add.items"),
    notByAwsService(),
  ),
  examples: [
    { name: "AMI made public (group all)", fires: true, records: [makePublic] },
    { name: "AMI shared with account 012345678901", fires: true, records: [modifyImage({ add: { items: [{ userId: "012345678901" }] } })] },
    { name: "AMI made public that failed (UnauthorizedOperation)", fires: false, records: [failed(makePublic, "Client.UnauthorizedOperation", "You are not authorized to perform this operation.")] },
    { name: "launch permission removed", fires: false, records: [modifyImage({ remove: { items: [{ userId: "012345678901" }] } })] },
    {
      name: "description changed (another attribute)",
      fires: false,
      records: [
        cloudTrailEvent({
          eventSource: "ec2.amazonaws.com",
          eventName: "ModifyImageAttribute",
          requestParameters: { imageId: "ami-0abcdef1234567890", attributeType: "description", description: { value: "golden image 2026-11" } },
          responseElements: { _return: true },
        }),
      ],
    },
  ],
});
