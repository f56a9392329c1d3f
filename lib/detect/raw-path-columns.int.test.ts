import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { importFiles } from "../ingest/import-files";
import { refreshRollups } from "../reports/rollups";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { SHARED_SAMPLES, silentLog } from "../../test/support/samples";
import { conditionSql, SqlParams } from "./compile-rule";
import { cidr, eq, exists, gt, prefix } from "./conditions";
import type { Condition } from "./rule-schema";
import { RAW_PATH_COLUMNS, resolveField } from "./fields";

// The JSON paths stored as generated columns (migration 20261206120000_raw_path_columns) hold, for every record,
// what the rule engine reads as the path's value: the first value the lax path reaches, as text. Checked over the
// real CloudTrail samples and over records shaped to catch a shortcut (arrays, numbers, objects, JSON null).

let db: TestDatabase;

/** Records of unusual shapes, by event id. */
const SHAPED: Record<string, object> = {
  "array-value": { requestParameters: { bucketName: ["first-bucket", "second-bucket"], userName: "alice" } },
  "array-parent": { requestParameters: [{ roleArn: "arn:aws:iam::999900001111:role/a" }, { roleArn: "arn:aws:iam::999900001111:role/b" }] },
  "number-value": { additionalEventData: { bytesTransferredOut: 1.5, MFAUsed: "Yes" } },
  "big-number": { additionalEventData: { bytesTransferredOut: 123456789012 } },
  "object-value": { requestParameters: { policyArn: { nested: true } } },
  "json-null": { requestParameters: { userName: null }, responseElements: { ConsoleLogin: "Failure" } },
  "scalar-parent": { requestParameters: "not an object", responseElements: null },
  "address-value": { requestParameters: { sourceIdentity: "203.0.113.9", roleSessionName: "<img src=x onerror=alert(1)>" } },
};

before(async () => {
  db = await createTestDatabase("raw_path_columns");
  await importFiles([path.join(SHARED_SAMPLES, "cloudtrail")], { pool: db.pool, log: silentLog, batchRows: 5000, maxRecordBytes: 1024 * 1024 });
  for (const [id, raw] of Object.entries(SHAPED)) {
    await db.pool.query(
      `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, event_name, raw) VALUES ('111122223333', $1, '2026-11-20T10:00:00Z', 'ConsoleLogin', $2)`,
      [id, JSON.stringify(raw)],
    );
  }
});

after(async () => {
  await db?.drop();
});

/** The first value the field's lax JSON path reaches in each record, as text (the rule engine's reading of a JSON path). */
function firstValueSql(name: string): string {
  return `(jsonb_path_query_first(raw, '${`lax $${name.split(".").map((s) => `."${s}"`).join("")}[*]`}') #>> '{}')`;
}

async function matching(condition: Condition): Promise<string[]> {
  const params = new SqlParams();
  const { rows } = await db.pool.query(`SELECT event_id FROM cloudtrail_events e WHERE ${conditionSql("e", "cloudtrail", condition, params)} ORDER BY 1`, params.values);
  return rows.map((r) => r.event_id as string);
}

describe("JSON paths stored as columns", () => {
  it("resolve to their generated columns, in the events table and the slices", async () => {
    const { rows } = await db.pool.query(
      `SELECT table_name, column_name, is_generated FROM information_schema.columns
        WHERE table_name IN ('cloudtrail_events', 'cloudtrail_event_slices') AND column_name = ANY($1)`,
      [RAW_PATH_COLUMNS.map((c) => c.column)],
    );
    for (const field of RAW_PATH_COLUMNS) {
      assert.deepEqual(resolveField("cloudtrail", field.name), field);
      assert.equal(rows.find((r) => r.table_name === "cloudtrail_events" && r.column_name === field.column)?.is_generated, "ALWAYS", field.column);
      assert.ok(rows.some((r) => r.table_name === "cloudtrail_event_slices" && r.column_name === field.column), field.column);
    }
  });

  it("hold the first value each path reaches, for every sample record and every shape", async () => {
    const total = Number((await db.pool.query("SELECT count(*) FROM cloudtrail_events")).rows[0].count);
    assert.ok(total > 100, `the samples hold many records (${total})`);
    for (const field of RAW_PATH_COLUMNS) {
      const { rows } = await db.pool.query(
        `SELECT count(*) FILTER (WHERE "${field.column}" IS DISTINCT FROM ${firstValueSql(field.name)})::int AS differ,
                count("${field.column}")::int AS present
           FROM cloudtrail_events`,
      );
      assert.equal(rows[0].differ, 0, `${field.name}: ${rows[0].differ} records differ`);
      assert.ok(rows[0].present > 0, `${field.name} occurs in the data`);
    }
    const shaped = await db.pool.query(
      `SELECT event_id, request_bucket_name, request_role_arn, additional_bytes_transferred_out, request_policy_arn, request_user_name, response_console_login
         FROM cloudtrail_events WHERE event_id = ANY($1)`,
      [Object.keys(SHAPED)],
    );
    const byId = new Map(shaped.rows.map((r) => [r.event_id, r]));
    assert.equal(byId.get("array-value").request_bucket_name, "first-bucket");
    assert.equal(byId.get("array-parent").request_role_arn, "arn:aws:iam::999900001111:role/a");
    assert.equal(byId.get("number-value").additional_bytes_transferred_out, "1.5");
    assert.equal(byId.get("big-number").additional_bytes_transferred_out, "123456789012");
    assert.equal(byId.get("object-value").request_policy_arn, '{"nested": true}');
    assert.equal(byId.get("json-null").request_user_name, null);
    assert.equal(byId.get("scalar-parent").request_user_name, null);
    assert.equal(byId.get("scalar-parent").response_console_login, null);
  });

  it("answer rule tests as the JSON path did, numeric and CIDR tests included", async () => {
    assert.deepEqual(await matching(gt("additionalEventData.bytesTransferredOut", 1)), ["big-number", "number-value", ...(await samplesWithBytesOver(1))].sort());
    assert.deepEqual(await matching(cidr("requestParameters.sourceIdentity", "203.0.113.0/24")), ["address-value"]);
    assert.deepEqual(await matching(eq("requestParameters.roleSessionName", "<img src=x onerror=alert(1)>")), ["address-value"]);
    assert.deepEqual(await matching(eq("requestParameters.bucketName", "first-bucket")), ["array-value"]);
    assert.deepEqual(await matching(prefix("requestParameters.roleArn", "arn:aws:iam::999900001111:role/")), ["array-parent"]);
    assert.ok(!(await matching(exists("requestParameters.userName"))).includes("json-null"), "a JSON null is absent");
  });

  it("are copied into the slices with the rest of the row", async () => {
    await db.pool.query(`INSERT INTO rollup_dirty_hours (source, hour) VALUES ('cloudtrail', '2026-11-20T10:00:00')`);
    await refreshRollups(db.pool);
    const { rows } = await db.pool.query(
      `SELECT s.response_console_login, s.additional_mfa_used FROM cloudtrail_event_slices s WHERE s.slice = 'signins' AND s.event_id = 'json-null'`,
    );
    assert.deepEqual(rows, [{ response_console_login: "Failure", additional_mfa_used: null }]);
    const differ = await db.pool.query(
      `SELECT count(*)::int AS n FROM cloudtrail_event_slices s JOIN cloudtrail_events e USING (recipient_account_id, event_id)
        WHERE (s.response_console_login, s.additional_mfa_used, s.request_bucket_name) IS DISTINCT FROM (e.response_console_login, e.additional_mfa_used, e.request_bucket_name)`,
    );
    assert.equal(differ.rows[0].n, 0);
  });
});

/** Sample records whose bytesTransferredOut is a number above `n`, read from the raw record (not through the column). */
async function samplesWithBytesOver(n: number): Promise<string[]> {
  const { rows } = await db.pool.query(
    `SELECT event_id FROM cloudtrail_events WHERE NOT (event_id = ANY($2)) AND trailwatch_numeric(${firstValueSql("additionalEventData.bytesTransferredOut")}) > $1`,
    [n, Object.keys(SHAPED)],
  );
  return rows.map((r) => r.event_id as string);
}
