import { all, call, succeeded } from "../conditions";
import { defineRule } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const DETECTOR = "12abc34d567e8fa901bc2d34e56789f0";

/** A trusted IP list: GuardDuty raises no findings for traffic from these addresses. */
const createIpSet = cloudTrailEvent({
  eventSource: "guardduty.amazonaws.com",
  eventName: "CreateIPSet",
  requestParameters: {
    detectorId: DETECTOR,
    name: "office-ranges",
    format: "TXT",
    location: "https://s3.amazonaws.com/example-bucket/trusted-ips.txt",
    activate: true,
  },
  responseElements: { ipSetId: "0cb0141ab9fbde177613ab9436212e90" },
});

export default defineRule({
  id: "guardduty-ip-or-threat-list-changed",
  title: "GuardDuty trusted IP list or threat list changed",
  description:
    "Creating or updating a GuardDuty trusted IP set silences every finding for traffic from those addresses, and changing a threat-intel set alters what GuardDuty flags: an attacker adds their own addresses to stay invisible (DETECTIONS.md B4). Changes are rare and should match a change request.",
  response:
    "Open the list at requestParameters.location and check every entry; if an address is not yours, delete or deactivate the IP set, then search CloudTrail and flow logs for activity from the listed addresses.",
  severity: "high",
  techniques: ["T1562.001"],
  source: "cloudtrail",
  match: all(call("guardduty.amazonaws.com", ["CreateIPSet", "UpdateIPSet", "CreateThreatIntelSet", "UpdateThreatIntelSet"]), succeeded()),
  examples: [
    { name: "CreateIPSet adding a trusted IP list", fires: true, records: [createIpSet] },
    {
      name: "UpdateThreatIntelSet pointing at a new list",
      fires: true,
      records: [
        cloudTrailEvent({
          eventSource: "guardduty.amazonaws.com",
          eventName: "UpdateThreatIntelSet",
          userIdentity: assumedRole("admin"),
          requestParameters: {
            detectorId: DETECTOR,
            threatIntelSetId: "7cb0141ab9fbde177613ab9436212e91",
            location: "https://s3.amazonaws.com/example-bucket/threats.txt",
            activate: true,
          },
        }),
      ],
    },
    { name: "CreateIPSet that failed (AccessDenied)", fires: false, records: [failed(createIpSet)] },
    {
      name: "ListIPSets (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "guardduty.amazonaws.com", eventName: "ListIPSets", readOnly: true, requestParameters: { detectorId: DETECTOR } })],
    },
  ],
});
