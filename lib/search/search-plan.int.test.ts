import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SqlParams } from "../detect/compile-rule";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";
import { parseSearch } from "./parse-search";
import { SEARCH_TABLES, searchOrderSql, searchWhereSql } from "./search-sql";
import { eventSearchHref, flowSearchHref } from "./search-url";

// The physical design behind a fast first search page (prisma/migrations/20261204110000_search_keyset_indexes):
// for the common filters the page is one ordered index range — the plan has no Sort node and reads an index
// named *_keyset_idx. Speed itself is measured by bench/report-latency.bench.ts, not here; this checks the plan
// shape, which does not depend on the machine. The table holds 20,000 analysed rows, so the
// planner chooses as it would on a real one (without the index a filtered first page needs a Sort).

let db: TestDatabase;
const FROM = new Date("2026-11-01T00:00:00Z");
const TO = new Date("2026-12-01T00:00:00Z");

before(async () => {
  db = await createTestDatabase("search_plan");
  // Enough distinct values that a filter is selective, and statistics, so the plan is the one a real table gets.
  await db.pool.query(
    `INSERT INTO cloudtrail_events (recipient_account_id, event_id, event_time, event_name, user_identity_arn, source_ip_address, raw)
     SELECT '111122223333', 'e' || i, $1::timestamptz + make_interval(secs => i * 60), 'Name' || (i % 200),
            'arn:aws:iam::111122223333:user/u' || (i % 10), '198.51.7.' || (i % 10), '{}'
       FROM generate_series(1, 20000) i`,
    [FROM],
  );
  await db.pool.query(
    `INSERT INTO ingest_objects (id, bucket, key, etag, kind, status) VALUES (1, 'b', 'k', 'e', 'vpcflow', 'stored')`,
  );
  await db.pool.query(
    `INSERT INTO flow_records (object_id, line_number, start, "end", srcaddr, dstport)
     SELECT 1, i, $1::timestamptz + make_interval(secs => i * 60), $1::timestamptz + make_interval(secs => i * 60 + 60), '10.0.0.1', 443
       FROM generate_series(1, 20000) i`,
    [FROM],
  );
  await db.pool.query("ANALYZE cloudtrail_events");
  await db.pool.query("ANALYZE flow_records");
});
after(() => db.drop());

async function planOf(source: "cloudtrail" | "vpcflow", include: Record<string, string>): Promise<string> {
  const href = source === "cloudtrail" ? eventSearchHref({ from: FROM, to: TO, include, exclude: {} }) : flowSearchHref({ from: FROM, to: TO, include, exclude: {} });
  const query = parseSearch(source, new URL(href, "http://x").searchParams);
  const params = new SqlParams();
  const t = SEARCH_TABLES[source];
  const sql = `SELECT * FROM ${t.table} e WHERE ${searchWhereSql(query, "e", params)} ORDER BY ${searchOrderSql(source, "e")} LIMIT 51`;
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params.values);
    await client.query("ROLLBACK");
    if (process.env.SHOW_PLAN) console.log(sql, JSON.stringify(rows[0]["QUERY PLAN"]));
    return JSON.stringify(rows[0]["QUERY PLAN"]);
  } finally {
    client.release();
  }
}

describe("search first page plans", () => {
  for (const [name, include, index] of [
    ["time range only", {}, "cloudtrail_events_time_keyset_idx"],
    ["eventName", { eventName: "Name7" }, "cloudtrail_events_event_name_keyset_idx"],
    ["userIdentity.arn", { "userIdentity.arn": "arn:aws:iam::111122223333:user/u7" }, "cloudtrail_events_user_identity_arn_keyset_idx"],
    ["sourceIPAddress", { sourceIPAddress: "198.51.7.7" }, "cloudtrail_events_source_ip_address_keyset_idx"],
  ] as const) {
    it(`CloudTrail ${name}: one ordered index range, no sort`, async () => {
      const plan = await planOf("cloudtrail", include);
      assert.match(plan, new RegExp(`"Index Name":"${index}"`));
      assert.doesNotMatch(plan, /"Node Type":"(Sort|Incremental Sort)"/);
    });
  }

  it("flow records, time range only: one ordered index range, no sort", async () => {
    const plan = await planOf("vpcflow", {});
    assert.match(plan, /"Index Name":"flow_records_start_keyset_idx"/);
    assert.doesNotMatch(plan, /"Node Type":"(Sort|Incremental Sort)"/);
  });
});
