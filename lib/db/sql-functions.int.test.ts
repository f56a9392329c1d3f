import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database";

// SQL functions of the migrations whose results other objects depend on (an index on trailwatch_numeric).

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("sql_functions");
});
after(() => db.drop());

describe("trailwatch_numeric", () => {
  // The definition of 20261122120000_detection, before the digits-only fast path (20261206190400_numeric_fast_path).
  const REGEX = String.raw`^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?\s*$`;
  const INPUTS = ["12", "00012", " 12 ", "-5", "12.50", "1e3", "2E-2", "", " ", "unknown", "0x10", "12 34", "1.", ".5", "+3", "٣", "1e1234", "9".repeat(200), "3\n", null];

  it("reads the same numbers as the regular expression alone, for every kind of input", async () => {
    const { rows } = await db.pool.query<{ v: string | null; fast: string | null; regex: string | null }>(
      `SELECT v, trailwatch_numeric(v)::text AS fast, (CASE WHEN v ~ $2 THEN v::numeric END)::text AS regex FROM unnest($1::text[]) AS v`,
      [INPUTS, REGEX],
    );
    assert.equal(rows.length, INPUTS.length);
    for (const r of rows) assert.equal(r.fast, r.regex, JSON.stringify(r.v));
    const read = new Map(rows.map((r) => [r.v, r.fast]));
    assert.deepEqual([read.get("00012"), read.get(" 12 "), read.get("1e3"), read.get("unknown"), read.get("")], ["12", "12", "1000", null, null]);
  });
});
