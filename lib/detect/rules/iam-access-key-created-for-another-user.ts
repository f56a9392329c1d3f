import { all, call, exists, not, sameAs, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** Alice creates an access key for Bob (AWS writes the target in requestParameters.userName). */
const keyForBob = cloudTrailEvent({
  eventName: "CreateAccessKey",
  requestParameters: { userName: "Bob" },
  responseElements: { accessKey: { accessKeyId: "AKIAI44QH8DHBEXAMPLE", status: "Active", userName: "Bob", createDate: "Nov 2, 2026, 10:00:00 AM" } },
});

/** Alice creates a key for herself: AWS writes no userName parameter. */
const ownKey = cloudTrailEvent({
  eventName: "CreateAccessKey",
  requestParameters: null,
  responseElements: { accessKey: { accessKeyId: "AKIAI44QH8DHBEXAMPLE", status: "Active", userName: "Alice", createDate: "Nov 2, 2026, 10:00:00 AM" } },
});

export default defineRule({
  id: "iam-access-key-created-for-another-user",
  title: "Access key created for another IAM user",
  description:
    "A principal creating long-term access keys for a different IAM user is a classic persistence move: the attacker gets a key that survives the loss of their own foothold (DETECTIONS.md B23). Fires when requestParameters.userName is present and differs from the caller's own user name, so roles and the root user creating keys for users fire too.",
  response:
    "Ask the target user's owner whether the key was requested; if not, deactivate and delete the new key (responseElements.accessKey.accessKeyId), then review what the caller did in the same session.",
  severity: "medium",
  techniques: ["T1098.001"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", ["CreateAccessKey"]),
    succeeded(),
    exists("requestParameters.userName"),
    not(sameAs("requestParameters.userName", "userIdentity.userName")),
  ),
  examples: [
    { name: "IAM user Alice creates a key for Bob", fires: true, records: [keyForBob] },
    { name: "an assumed role creates a key for Bob", fires: true, records: [{ ...keyForBob, userIdentity: assumedRole("admin", "mallory") }] },
    { name: "Alice creates her own key (no userName parameter)", fires: false, records: [ownKey] },
    { name: "Alice creates her own key naming herself", fires: false, records: [{ ...ownKey, requestParameters: { userName: "Alice" } }] },
    { name: "CreateAccessKey for Bob that failed (LimitExceeded)", fires: false, records: [failed(keyForBob, "LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2")] },
  ],
});
