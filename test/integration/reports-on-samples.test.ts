import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { FLOW_FIELDS } from "../../lib/flowlogs/flow-fields";
import { importFiles } from "../../lib/ingest/import-files";
import { iamAuditReport } from "../../lib/reports/iam-audit";
import { loginAuditReport } from "../../lib/reports/login-audit";
import { networkReport } from "../../lib/reports/network";
import { overviewReport } from "../../lib/reports/overview";
import type { ReportScope } from "../../lib/reports/report-filters";
import { s3Report } from "../../lib/reports/s3-data-events";
import { MAX_CUSTOM_RANGE_MS } from "../../lib/reports/time-range";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { SHARED_SAMPLES, silentLog } from "../support/samples";
import { linkedCount, type RawRecord } from "../support/search-link-oracle";

// Every report over an import of ../shared/samples (real files from AWS's libraries, Elastic, Panther, …,
// spread over 2014–2025): every report runs over every 400-day window that holds data, the windows add up
// to what was stored, and every count that has a link is checked against an independent reading of the
// link over the stored records (the raw CloudTrail records; flow records by AWS field name).

let db: TestDatabase;
let cloudTrail: RawRecord[] = [];
let flows: RawRecord[] = [];
const windows: ReportScope[] = [];

before(async () => {
  if (!existsSync(SHARED_SAMPLES)) throw new Error(`the samples folder ${SHARED_SAMPLES} is missing: this test needs ../shared/samples beside the checkout`);
  db = await createTestDatabase("reports_samples");
  await importFiles([path.join(SHARED_SAMPLES, "cloudtrail"), path.join(SHARED_SAMPLES, "vpcflow")], { pool: db.pool, log: silentLog, batchRows: 5000, maxRecordBytes: 1024 * 1024 });
  cloudTrail = (await db.pool.query<{ raw: RawRecord }>("SELECT raw FROM cloudtrail_events")).rows.map((r) => r.raw);
  const flowRows = await db.pool.query(`SELECT * FROM flow_records`);
  flows = flowRows.rows.map((row) =>
    Object.fromEntries(
      FLOW_FIELDS.map((f) => {
        const v = row[f.column];
        if (v === null || v === undefined) return [f.name, "-"];
        return [f.name, v instanceof Date ? String(v.getTime() / 1000) : String(v)];
      }),
    ),
  );
  const { rows } = await db.pool.query<{ first: Date; last: Date }>(
    `SELECT least((SELECT min(event_time) FROM cloudtrail_events), (SELECT min(start) FROM flow_records)) AS first,
            greatest((SELECT max(event_time) FROM cloudtrail_events), (SELECT max(start) FROM flow_records)) AS last`,
  );
  for (let from = rows[0]!.first.getTime(); from <= rows[0]!.last.getTime(); from += MAX_CUSTOM_RANGE_MS) {
    windows.push({ from: new Date(from), to: new Date(from + MAX_CUSTOM_RANGE_MS), bucket: "day" });
  }
});

after(async () => {
  await db?.drop();
});

/** Every `{ value, href }`-like pair and every row measure with its link, in a report object. */
function linkedNumbers(value: unknown, out: { n: number; href: string }[] = []): { n: number; href: string }[] {
  if (Array.isArray(value)) value.forEach((v) => linkedNumbers(v, out));
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.value === "number" && typeof o.href === "string" && typeof o.value === "number") out.push({ n: o.value, href: o.href });
    if (o.values && o.hrefs && typeof o.values === "object" && typeof o.hrefs === "object") {
      for (const [k, href] of Object.entries(o.hrefs as Record<string, unknown>)) {
        const n = (o.values as Record<string, unknown>)[k];
        // Sums (bytes, packets) and distinct counts link to the records they are computed over, not to as many records.
        if (typeof href === "string" && typeof n === "number" && !/bytes|packets|ports|targets|sources|principals|users|sourceIps|actions|services|Ips/i.test(k)) out.push({ n, href });
      }
    }
    if (typeof o.count === "number" && typeof o.href === "string") out.push({ n: o.count, href: o.href });
    for (const [k, v] of Object.entries(o)) if (k !== "hrefs" && k !== "values") linkedNumbers(v, out);
  }
  return out;
}

test("every report runs over the samples; the windows add up to what was stored", async () => {
  assert.ok(windows.length > 1, `${windows.length} windows`);
  let events = 0;
  let flowRecords = 0;
  for (const scope of windows) {
    const [overview, logins, iam, network, s3] = await Promise.all([
      overviewReport(scope, db.pool),
      loginAuditReport(scope, db.pool),
      iamAuditReport(scope, db.pool),
      networkReport(scope, db.pool),
      s3Report(scope, db.pool),
    ]);
    events += overview.kpis.events;
    flowRecords += network.kpis.flows;
    void logins;
    void iam;
    void s3;
  }
  const stored = await db.pool.query<{ events: number; flows: number }>(
    "SELECT (SELECT count(*)::int FROM cloudtrail_events) AS events, (SELECT count(*)::int FROM flow_records WHERE log_status = 'OK') AS flows",
  );
  assert.equal(events, stored.rows[0]!.events);
  assert.equal(flowRecords, stored.rows[0]!.flows);
});

test("the samples give every report something to show", async () => {
  const totals = { consoleLogins: 0, iamChanges: 0, assumeRole: 0, flows: 0, s3DataEvents: 0, grants: 0 };
  for (const scope of windows) {
    const [logins, iam, network, s3] = await Promise.all([loginAuditReport(scope, db.pool), iamAuditReport(scope, db.pool), networkReport(scope, db.pool), s3Report(scope, db.pool)]);
    totals.consoleLogins += logins.kpis.consoleLogins;
    totals.iamChanges += iam.kpis.changes;
    totals.assumeRole += iam.kpis.assumeRoleCalls;
    totals.grants += iam.fullAccessGrants.grants.length;
    totals.flows += network.kpis.flows;
    totals.s3DataEvents += s3.kpis.dataEvents;
  }
  for (const [name, n] of Object.entries(totals)) assert.ok(n > 0, `${name}: ${n}`);
});

test("every linked count lists exactly as many stored records", async () => {
  let checked = 0;
  for (const scope of windows) {
    const reports = await Promise.all([
      overviewReport(scope, db.pool),
      loginAuditReport(scope, db.pool),
      iamAuditReport(scope, db.pool),
      networkReport(scope, db.pool),
      s3Report(scope, db.pool),
    ]);
    for (const { n, href } of reports.flatMap((r) => linkedNumbers(r))) {
      const records = href.startsWith("/flows") ? flows : cloudTrail;
      assert.equal(linkedCount(href, records), n, href);
      checked += 1;
    }
  }
  assert.ok(checked > 100, `${checked} links checked`);
});
