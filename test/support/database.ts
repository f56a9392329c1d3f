import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../lib/db/migrate";

/**
 * A fresh, migrated database for one test file, created on the server named by
 * TRAILWATCH_TEST_ADMIN_URL (set by scripts/test.mjs: the local PostgreSQL, or an
 * embedded one on a machine without it). Dropped by `drop()`.
 */
export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return process.env.TRAILWATCH_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  return createMigratedDatabase(adminUrl(), `tw_test_${label.replace(/\W/g, "_")}_${randomBytes(4).toString("hex")}`);
}

/** Creates database `name` on the server of `admin` (a connection string), applies the migrations; `drop()` removes it. Tests and benchmarks. */
export async function createMigratedDatabase(admin: string, name: string): Promise<TestDatabase> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 6 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await dropDatabase(admin, name);
    },
  };
}

/**
 * Drops database `name` on the server of `admin` once its connections have closed (at most 5 s, then by force).
 * pool.end() resolves before the server has seen every socket close; FORCE would then send a late "terminating
 * connection" error to a client that is already gone, which surfaces in whatever test runs next.
 */
export async function dropDatabase(admin: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const open = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (open.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
