import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import pg from "pg";
import { startEmbeddedDatabase } from "../../lib/db/embedded";
import { migrate, MIGRATIONS_DIR } from "../../lib/db/migrate";
import { createTestDatabase } from "../support/database";
import { freePort } from "../support/fault-harness";
import { REPO_ROOT } from "../support/samples";

test("migrations apply once, are recorded as Prisma records them, and re-running applies nothing", async () => {
  const db = await createTestDatabase("migrate"); // already migrated once
  try {
    const again = await migrate(db.url);
    assert.deepEqual(again.applied, []);
    assert.ok(again.alreadyApplied.length >= 1);
    const rows = await db.pool.query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    const first = rows.rows[0]!;
    const sql = await readFile(path.join(MIGRATIONS_DIR, first.migration_name, "migration.sql"));
    assert.equal(first.checksum, createHash("sha256").update(sql).digest("hex"));
    // The migrations build exactly the tables the schema of record names (the partitions of a partitioned one are its storage, not tables of their own).
    const tables = await db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables t WHERE table_schema = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = t.table_name AND c.relispartition) ORDER BY table_name`,
    );
    const schema = await readFile(path.join(REPO_ROOT, "prisma/schema.prisma"), "utf8");
    const mapped = [...schema.matchAll(/@@map\("([a-z0-9_]+)"\)/g)].map((m) => m[1]!);
    assert.ok(mapped.length >= 5);
    assert.deepEqual(tables.rows.map((r) => r.table_name), ["_prisma_migrations", ...mapped].sort());
  } finally {
    await db.drop();
  }
});

test("the embedded PostgreSQL starts from npm-shipped binaries, keeps its data across restarts", async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "trailwatch-embedded-"));
  await chmod(dataDir, 0o755); // mkdtemp makes it private; as root the server runs as `postgres`
  // A port the kernel says is free: a random one in 56000–59000 (inside Linux's ephemeral range) was at times
  // held by an outgoing connection, and the server then failed to start.
  const port = await freePort();
  try {
    const first = await startEmbeddedDatabase({ dataDir, port });
    await migrate(first.url);
    const c1 = new pg.Client({ connectionString: first.url });
    await c1.connect();
    await c1.query("INSERT INTO ingest_objects (bucket, key, etag, kind, status) VALUES ('b', 'k', 'e', 'unknown', 'skipped')");
    await c1.end();
    await first.stop();

    const second = await startEmbeddedDatabase({ dataDir, port });
    const c2 = new pg.Client({ connectionString: second.url });
    await c2.connect();
    const rows = await c2.query("SELECT key FROM ingest_objects");
    await c2.end();
    await second.stop();
    assert.deepEqual(rows.rows, [{ key: "k" }]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
