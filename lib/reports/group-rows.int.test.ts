import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { cloudTrailEvent, iamUser, storeCloudTrail } from "../../test/support/ingest-fixture";
import { accessDeniedByPrincipal } from "./iam-audit";

// groupRows counts the distinct values that neither rank nor filter after the LIMIT, for the rows shown only
// (lib/reports/report-query.ts groupedQuery). A row is its key's value *and* the field of the key's chain that
// supplied it: two principals spelled alike, one an ARN and one a bare user name, stay two rows with their own counts.

let db: TestDatabase;
const scope = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z") };
const denied = { errorCode: "AccessDenied", errorMessage: "not authorized" };
const refusal = (minute: number, eventSource: string, eventName: string, userIdentity: Record<string, unknown>) =>
  cloudTrailEvent({ eventTime: `2026-11-20T10:${String(minute).padStart(2, "0")}:00Z`, eventSource, eventName, userIdentity, ...denied });

before(async () => {
  db = await createTestDatabase("group_rows");
  const alike = "mallory";
  await storeCloudTrail(db.pool, [
    ...["ListUsers", "GetUser", "ListRoles"].map((name, i) => refusal(i, "iam.amazonaws.com", name, iamUser("bob"))),
    refusal(10, "s3.amazonaws.com", "GetObject", { ...iamUser("bob") }),
    refusal(11, "iam.amazonaws.com", "ListUsers", { type: "IAMUser", arn: alike, accountId: "111122223333" }),
    refusal(12, "kms.amazonaws.com", "Decrypt", { type: "IAMUser", arn: alike, accountId: "111122223333" }),
    refusal(13, "ec2.amazonaws.com", "RunInstances", { type: "IAMUser", userName: alike, accountId: "111122223333" }),
  ]);
});
after(() => db.drop());

describe("groupRows' distinct counts after the limit", () => {
  it("count each row's own distinct values, a key spelled alike in two fields staying two rows", async () => {
    const rows = await accessDeniedByPrincipal(scope, db.pool);
    assert.deepEqual(
      rows.map((r) => [r.key.principal, r.keyField.principal, r.values]),
      [
        [iamUser("bob").arn, "userIdentity.arn", { denied: 4, actions: 4, services: 2 }],
        ["mallory", "userIdentity.arn", { denied: 2, actions: 2, services: 2 }],
        ["mallory", "userIdentity.userName", { denied: 1, actions: 1, services: 1 }],
      ],
    );
  });

  it("count only within the rows shown, ranked as without the limit", async () => {
    const rows = await accessDeniedByPrincipal({ ...scope, limit: 1 }, db.pool);
    assert.deepEqual(rows.map((r) => [r.key.principal, r.values]), [[iamUser("bob").arn, { denied: 4, actions: 4, services: 2 }]]);
  });
});
