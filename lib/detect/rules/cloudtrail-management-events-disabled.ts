import { all, any, call, eq, exists, isIn, missing, not, succeeded } from "../conditions";
import { defineRule, type ExampleRecord } from "../define-rule";
import { assumedRole, cloudTrailEvent, failed } from "./examples";

const TRAIL = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";

/** PutEventSelectors as CloudTrail records it (basic selectors are camelCase in requestParameters). */
const putSelectors = (requestParameters: ExampleRecord) =>
  cloudTrailEvent({
    eventSource: "cloudtrail.amazonaws.com",
    eventName: "PutEventSelectors",
    requestParameters: { trailName: TRAIL, ...requestParameters },
    responseElements: { trailARN: TRAIL, ...requestParameters },
  });

/** Basic selectors that keep S3 data events but drop every management event (Panther's test event). */
const dropManagement = putSelectors({
  eventSelectors: [
    {
      readWriteType: "All",
      includeManagementEvents: false,
      dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }],
      excludeManagementEventSources: [],
    },
  ],
});

export default defineRule({
  id: "cloudtrail-management-events-disabled",
  title: "CloudTrail trail stopped logging management events",
  description:
    "PutEventSelectors that leaves a trail without management events (no basic selector with includeManagementEvents true, no advanced selector with eventCategory Management), or logging only their read-only half, blinds detection as surely as StopLogging while the trail still looks healthy (DETECTIONS.md B2). Noisy: a dedicated data-events trail legitimately excludes management events; allow-list the role that deploys it. With several basic selectors the engine cannot tie readWriteType to the selector that includes management events, so the read-only case fires only when no selector logs All or WriteOnly.",
  response:
    "Run GetEventSelectors on the trail named in requestParameters.trailName; if management events should be logged, restore the selector at once, then review what the principal did while management events were not recorded.",
  severity: "high",
  techniques: ["T1562.008"],
  source: "cloudtrail",
  match: all(
    call("cloudtrail.amazonaws.com", ["PutEventSelectors"]),
    succeeded(),
    any(
      // Basic selectors: none includes management events.
      all(exists("requestParameters.eventSelectors"), not(eq("requestParameters.eventSelectors.includeManagementEvents", true))),
      // Basic selectors: management events included, but only their read-only half.
      all(
        eq("requestParameters.eventSelectors.includeManagementEvents", true),
        not(isIn("requestParameters.eventSelectors.readWriteType", ["All", "WriteOnly"])),
      ),
      // Advanced selectors: none selects eventCategory Management.
      all(exists("requestParameters.advancedEventSelectors"), not(eq("requestParameters.advancedEventSelectors.fieldSelectors.equals", "Management"))),
      // Neither kind present: the request cannot be read, so say so rather than stay quiet.
      all(missing("requestParameters.eventSelectors"), missing("requestParameters.advancedEventSelectors")),
    ),
  ),
  examples: [
    { name: "basic selector with includeManagementEvents false", fires: true, records: [dropManagement] },
    {
      name: "advanced selectors that log only S3 data events",
      fires: true,
      records: [
        putSelectors({
          advancedEventSelectors: [
            {
              name: "S3 data events only",
              fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
              ],
            },
          ],
        }),
      ],
    },
    {
      name: "management events reduced to read-only by an assumed role",
      fires: true,
      records: [
        {
          ...putSelectors({ eventSelectors: [{ readWriteType: "ReadOnly", includeManagementEvents: true, dataResources: [], excludeManagementEventSources: [] }] }),
          userIdentity: assumedRole("admin"),
        },
      ],
    },
    { name: "the same PutEventSelectors that failed (AccessDenied)", fires: false, records: [failed(dropManagement)] },
    {
      name: "basic selector logging all management events",
      fires: false,
      records: [putSelectors({ eventSelectors: [{ readWriteType: "All", includeManagementEvents: true, dataResources: [], excludeManagementEventSources: [] }] })],
    },
    {
      name: "advanced selectors keeping management events and adding S3 data events",
      fires: false,
      records: [
        putSelectors({
          advancedEventSelectors: [
            { name: "Management events selector", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
            { name: "S3 data events", fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] },
          ],
        }),
      ],
    },
    {
      name: "GetEventSelectors (the read-only twin)",
      fires: false,
      records: [cloudTrailEvent({ eventSource: "cloudtrail.amazonaws.com", eventName: "GetEventSelectors", readOnly: true, requestParameters: { trailName: TRAIL } })],
    },
  ],
});
