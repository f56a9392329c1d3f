import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pg from "pg";
import { config } from "../config";
import { databaseHealth } from "./database-health";

const pools: pg.Pool[] = [];
function pool(connectionString: string): pg.Pool {
  const p = new pg.Pool({ connectionString, max: 1 });
  p.on("error", () => {}); // an idle client losing its server must not crash the test process
  pools.push(p);
  return p;
}
after(() => Promise.all(pools.map((p) => p.end())));

describe("databaseHealth", () => {
  it("reports up with a latency against the real server", async () => {
    const db = pool(config().DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
    const health = await databaseHealth(() => db);
    assert.equal(health.up, true);
    assert.ok(health.up && health.latencyMs >= 0);
  });

  it("reports down with the reason when nothing listens", async () => {
    const health = await databaseHealth(() => pool("postgresql://postgres@127.0.0.1:1/postgres"));
    assert.equal(health.up, false);
    assert.match(!health.up ? health.reason : "", /ECONNREFUSED/);
  });

  it("reports down when the pool cannot even be created, and when the database is too slow", async () => {
    const missing = await databaseHealth(() => {
      throw new Error("DATABASE_URL is not set");
    });
    assert.deepEqual(missing, { up: false, reason: "DATABASE_URL is not set" });
    const slow = await databaseHealth(() => ({ query: () => new Promise(() => {}) }), 50);
    assert.deepEqual(slow, { up: false, reason: "no answer within 50 ms" });
  });
});
