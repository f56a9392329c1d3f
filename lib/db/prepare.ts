import path from "node:path";
import type { Config } from "../config";
import type { Logger } from "../log";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";
import { useDatabaseUrl } from "./pool";

export interface PreparedDatabase {
  url: string;
  /** Set when this process started the embedded PostgreSQL (stop it on exit). */
  embedded: EmbeddedDatabase | null;
}

/**
 * Makes the database this process will use ready: `DATABASE_URL` when set,
 * else the embedded PostgreSQL under `TRAILWATCH_DATA_DIR` (started here, and
 * always migrated, since nothing else would migrate it). With `migrate`, the
 * migrations are applied to a configured database too.
 */
export async function prepareDatabase(cfg: Config, log: Logger, options: { migrate: boolean }): Promise<PreparedDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let url = cfg.DATABASE_URL;
  if (!url) {
    const dataDir = path.resolve(cfg.TRAILWATCH_DATA_DIR);
    log.info({ dataDir, port: cfg.TRAILWATCH_EMBEDDED_PG_PORT }, "DATABASE_URL is not set: starting the embedded PostgreSQL");
    embedded = await startEmbeddedDatabase({ dataDir, port: cfg.TRAILWATCH_EMBEDDED_PG_PORT, onLog: (line) => log.debug({ postgres: line }) });
    url = embedded.url;
  }
  useDatabaseUrl(url);
  if (options.migrate || embedded) {
    const result = await migrate(url);
    if (result.applied.length > 0) log.info({ applied: result.applied }, "migrations applied");
  }
  return { url, embedded };
}
