import { all, call, not, sameAs, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

/** An admin role sets a console password for Bob (AWS never logs the password itself). */
const updateForBob = cloudTrailEvent({
  eventName: "UpdateLoginProfile",
  userIdentity: assumedRole("IAMAdmin", "mallory"),
  requestParameters: { userName: "Bob", passwordResetRequired: false },
});

const createForBob = cloudTrailEvent({
  eventName: "CreateLoginProfile",
  requestParameters: { userName: "Bob", passwordResetRequired: false },
  responseElements: { loginProfile: { userName: "Bob", createDate: "Nov 2, 2026, 10:00:00 AM", passwordResetRequired: false } },
});

export default defineRule({
  id: "iam-login-profile-changed",
  title: "Console password created or changed for an IAM user",
  description:
    "CreateLoginProfile or UpdateLoginProfile gives a user a console password chosen by the caller: an attacker uses it to take over a user (or a key-only service user) for console access (DETECTIONS.md B24). Users changing their own password call ChangePassword instead; a caller naming itself is left out.",
  response:
    "Confirm with the target user's owner that the password reset was requested; if not, delete the login profile (or reset it with passwordResetRequired), check MFA on the user and review the caller's other IAM changes.",
  severity: "medium",
  techniques: ["T1098"],
  source: "cloudtrail",
  match: all(
    call("iam.amazonaws.com", ["CreateLoginProfile", "UpdateLoginProfile"]),
    succeeded(),
    not(sameAs("requestParameters.userName", "userIdentity.userName")),
  ),
  examples: [
    { name: "an admin role sets Bob's console password", fires: true, records: [updateForBob] },
    { name: "Alice creates a login profile for key-only user Bob", fires: true, records: [createForBob] },
    { name: "UpdateLoginProfile for Bob that failed (AccessDenied)", fires: false, records: [failed(updateForBob)] },
    { name: "Alice updates her own login profile", fires: false, records: [cloudTrailEvent({ eventName: "UpdateLoginProfile", requestParameters: { userName: "Alice", passwordResetRequired: false } })] },
  ],
});
