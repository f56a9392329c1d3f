import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database";
import { TECHNIQUE_ID } from "../rule-schema";
import { testRuleExamples, type ExampleResult } from "../test-rule-examples";
import { BUILT_IN_RULES } from "./index";

// The catalogue test: every built-in rule's examples through the real parser,
// loader and compiled SQL on real Postgres; every rule's metadata checked.
// Both list every offender at once.

const RULES_DIR = fileURLToPath(new URL(".", import.meta.url));
const NOT_RULES = new Set(["index.ts", "examples.ts"]);

describe("built-in rule catalogue", () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  before(async () => {
    testDb = await createTestDatabase("rules");
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await testDb?.drop();
  });

  it("every example fires (positives) or stays quiet (near misses)", async () => {
    const results = await testRuleExamples(client, BUILT_IN_RULES);
    const wrong = results.filter((r) => r.error || r.rejected.length > 0 || r.fired !== r.expected).map(describeResult);
    assert.deepEqual(wrong, [], `${wrong.length} example(s) wrong:\n${wrong.join("\n")}`);
    assert.equal(results.length, BUILT_IN_RULES.reduce((n, r) => n + r.examples.length, 0));
  });

  it("every rule file is in the index, and ids equal file names and are unique", () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !NOT_RULES.has(f)).map((f) => f.replace(/\.ts$/, ""));
    const ids = BUILT_IN_RULES.map((r) => r.rule.id);
    assert.deepEqual([...ids].sort(), [...files].sort(), "lib/detect/rules/index.ts must list exactly the rule files, each exporting the rule whose id is its file name");
    assert.equal(new Set(ids).size, ids.length, "duplicate rule ids");
  });

  it("every rule has metadata and near-miss evidence", () => {
    const problems: string[] = [];
    for (const { rule, examples } of BUILT_IN_RULES) {
      const say = (what: string) => problems.push(`${rule.id}: ${what}`);
      if (!examples.some((e) => e.fires)) say("no positive example");
      if (!examples.some((e) => !e.fires)) say("no negative (near-miss) example");
      if (rule.techniques.some((t) => !TECHNIQUE_ID.test(t))) say(`bad technique id in ${rule.techniques.join(", ")}`);
      if (rule.description.length < 40) say("description too short to say why it matters");
      if (rule.response.length < 40) say("response hint too short to act on");
      if (!/^[A-Z0-9]/.test(rule.title)) say("title should start with a capital");
      if (new Set(examples.map((e) => e.name)).size !== examples.length) say("two examples share a name");
    }
    assert.deepEqual(problems, [], `${problems.length} problem(s):\n${problems.join("\n")}`);
  });
});

function describeResult(r: ExampleResult): string {
  const why = r.error ? `error: ${r.error}` : r.rejected.length ? `records refused: ${r.rejected.join("; ")}` : r.expected ? "did not fire" : "fired";
  return `  ${r.ruleId} / "${r.example}": ${why}`;
}
