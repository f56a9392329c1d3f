import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, MIGRATIONS_DIR } from "../../lib/db/migrate";

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

/**
 * Runs `body` on a new database migrated with the migrations before `migration` (names sort in the order they
 * apply), then drops it. `upgrade()` applies the rest and returns the names it applied.
 */
export async function withDatabaseBefore(migration: string, body: (pool: pg.Pool, upgrade: () => Promise<string[]>) => Promise<void>): Promise<void> {
  const name = `tw_test_upgrade_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const before = await mkdtemp(path.join(os.tmpdir(), "tw-migrations-"));
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  try {
    await cp(MIGRATIONS_DIR, before, { recursive: true, filter: (src) => path.relative(MIGRATIONS_DIR, src).split(path.sep)[0]! < migration });
    await migrate(url.toString(), before);
    await body(pool, async () => (await migrate(url.toString())).applied);
  } finally {
    await pool.end();
    await rm(before, { recursive: true, force: true });
    await dropDatabase(adminUrl(), name);
  }
}
