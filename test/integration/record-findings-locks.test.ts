import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Finding } from "../../lib/detect/find-findings";
import { recordFindings } from "../../lib/detect/record-findings";
import rootLogin from "../../lib/detect/rules/cis-01-root-user-activity";
import { createTestDatabase, type TestDatabase } from "../support/database";

// Recording a rule's findings must not take a lock per group: thousands of findings on one object took as many
// advisory locks, filled PostgreSQL's shared lock table ("out of shared memory", 53200) and lost the rule's alerts.

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("record_findings_locks");
});
after(() => db.drop());

test("a rule's findings are recorded under one advisory lock, however many groups they have", async () => {
  const findings: Finding[] = Array.from({ length: 300 }, (_, i) => ({
    groupValues: { "userIdentity.arn": `arn:aws:iam::111122223333:user/u${i}` },
    groupKey: `arn:aws:iam::111122223333:user/u${i}`,
    firstSeen: new Date(Date.UTC(2026, 10, 20, 10, 0, i)),
    lastSeen: new Date(Date.UTC(2026, 10, 20, 10, 0, i)),
    matchCount: 1,
    events: [{ account: "111122223333", ref: `event-${i}` }],
    reason: { kind: "match" },
  }));
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const changes = await recordFindings(client, rootLogin.rule, findings);
    const locks = await client.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()");
    await client.query("COMMIT");
    assert.equal(changes.filter((c) => c.change === "opened").length, 300, "one alert per group");
    assert.equal(locks.rows[0].n, 1, "one advisory lock for the rule");
  } finally {
    client.release();
  }
  const { rows } = await db.pool.query("SELECT count(*)::int AS alerts, (SELECT count(*)::int FROM alert_events) AS events FROM alerts");
  assert.deepEqual(rows[0], { alerts: 300, events: 300 });
});
