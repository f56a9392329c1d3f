import { all, any, call, eq, exists, not, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** AWS redacts the script itself: requestParameters.userData is "<sensitiveDataRemoved>". */
const setUserData = cloudTrailEvent({
  eventSource: "ec2.amazonaws.com",
  eventName: "ModifyInstanceAttribute",
  userIdentity: assumedRole("ops", "mallory"),
  requestParameters: { instanceId: "i-0123456789abcdef0", userData: "<sensitiveDataRemoved>" },
  responseElements: { requestId: "2be70b99-4937-4a76-b7d9-390b6d0eda73", _return: true },
});

export default defineRule({
  id: "ec2-user-data-changed",
  title: "EC2 instance user data changed",
  description:
    "User data scripts run as root (or SYSTEM) when an instance boots: changing them on a stopped instance and starting it again is a quiet way to run code and plant persistence (DETECTIONS.md B27). Matches ModifyInstanceAttribute that sets userData (either as its own parameter or as attribute=userData).",
  response:
    "Read the instance's current user data (DescribeInstanceAttribute userData) and compare it with the version you deploy; if it was tampered with, restore it before the next start and check whether the instance was restarted since.",
  severity: "high",
  techniques: ["T1059"],
  source: "cloudtrail",
  match: all(
    call("ec2.amazonaws.com", ["ModifyInstanceAttribute"]),
    succeeded(),
    any(exists("requestParameters.userData"), eq("requestParameters.attribute", "userData")),
    not(eq("userIdentity.type", "AWSService")),
  ),
  examples: [
    { name: "user data replaced on an instance", fires: true, records: [setUserData] },
    { name: "user data set via attribute=userData", fires: true, records: [{ ...setUserData, requestParameters: { instanceId: "i-0123456789abcdef0", attribute: "userData", value: "<sensitiveDataRemoved>" } }] },
    { name: "ModifyInstanceAttribute of userData that failed (IncorrectInstanceState)", fires: false, records: [failed(setUserData, "Client.IncorrectInstanceState", "The instance 'i-0123456789abcdef0' is not in the 'stopped' state.")] },
    { name: "instance type changed (a harmless attribute)", fires: false, records: [{ ...setUserData, requestParameters: { instanceId: "i-0123456789abcdef0", instanceType: { value: "t3.large" } } }] },
    { name: "DescribeInstanceAttribute userData (the read-only twin)", fires: false, records: [{ ...setUserData, eventName: "DescribeInstanceAttribute", readOnly: true, requestParameters: { instanceId: "i-0123456789abcdef0", attribute: "userData" } }] },
  ],
});
