import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const deactivate = cloudTrailEvent({
  eventName: "DeactivateMFADevice",
  userIdentity: assumedRole("admin", "mallory"),
  requestParameters: { userName: "Bob", serialNumber: "arn:aws:iam::111122223333:mfa/Bob" },
});

export default defineRule({
  id: "iam-mfa-device-removed",
  title: "MFA device deactivated or deleted",
  description:
    "Removing a user's MFA device leaves only the password (or lets an attacker enrol their own device): a common step in account takeover and in keeping access after a password reset. Noisy: users replacing a phone, and abandoned enrolments in the console, also delete virtual MFA devices; allow-list helpdesk roles if needed.",
  response:
    "Ask the affected user (requestParameters.userName) whether they removed the device; if not, lock the user's console access, reset the password, enrol a new MFA device in person and review recent sign-ins.",
  severity: "medium",
  techniques: ["T1556.006"],
  source: "cloudtrail",
  match: all(call("iam.amazonaws.com", ["DeactivateMFADevice", "DeleteVirtualMFADevice"]), succeeded()),
  examples: [
    { name: "DeactivateMFADevice for Bob by a role", fires: true, records: [deactivate] },
    { name: "DeleteVirtualMFADevice", fires: true, records: [cloudTrailEvent({ eventName: "DeleteVirtualMFADevice", requestParameters: { serialNumber: "arn:aws:iam::111122223333:mfa/Alice" } })] },
    { name: "DeactivateMFADevice that failed (AccessDenied)", fires: false, records: [failed(deactivate)] },
    { name: "EnableMFADevice (the opposite)", fires: false, records: [{ ...deactivate, eventName: "EnableMFADevice" }] },
    { name: "ListMFADevices (the read-only twin)", fires: false, records: [{ ...deactivate, eventName: "ListMFADevices", readOnly: true }] },
  ],
});
