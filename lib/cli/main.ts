import { Command, Option } from "commander";
import { config, ConfigError } from "../config";
import { closePool, getPool } from "../db/pool";
import { prepareDatabase } from "../db/prepare";
import { importFiles } from "../ingest/import-files";
import { createLogger } from "../log";
import { runDemo } from "./demo";
import { ensureWebBuild, startWeb } from "./web";

const program = new Command()
  .name("trailwatch")
  .description("Self-hosted security dashboard for AWS CloudTrail and VPC Flow Logs.")
  .showHelpAfterError();

program
  .command("migrate")
  .description("apply database migrations (no download needed; the embedded database when DATABASE_URL is unset)")
  .action(async () => {
    const cfg = config();
    const db = await prepareDatabase(cfg, createLogger("migrate"), { migrate: true });
    console.log("database is up to date");
    await db.embedded?.stop();
  });

program
  .command("worker")
  .description("consume S3 event notifications from TRAILWATCH_SQS_QUEUE_URL and ingest the objects")
  .action(async () => {
    const { runIngestWorker } = await import("../../workers/ingest");
    await runIngestWorker();
  });

program
  .command("import")
  .description("ingest local CloudTrail and flow-log files or folders (plain or gzipped)")
  .argument("<paths...>", "files or folders, e.g. one made by `aws s3 sync`")
  .option("--json", "print a JSON summary instead of progress lines")
  .action(async (paths: string[], options: { json?: boolean }) => {
    const cfg = config();
    const log = createLogger("import");
    const db = await prepareDatabase(cfg, log, { migrate: false });
    const summary = await importFiles(
      paths,
      { pool: getPool(), log: log.child({}, { level: "silent" }), batchRows: cfg.TRAILWATCH_COPY_BATCH_ROWS, maxRecordBytes: cfg.TRAILWATCH_MAX_RECORD_BYTES },
      options.json
        ? undefined
        : (o) => console.log(`${o.status.padEnd(11)} ${o.kind.padEnd(18)} stored ${o.stored}, duplicate ${o.duplicate}, rejected ${o.rejected}  ${o.key}${o.reason ? `  (${o.reason})` : ""}`),
    );
    if (options.json) console.log(JSON.stringify(summary, null, 2));
    else console.log(`\n${summary.objects} objects: ${summary.recordsStored} records stored, ${summary.duplicatesSkipped} duplicates skipped, ${summary.recordsRejected} rejected, ${summary.errors.length} objects not ingested`);
    await closePool();
    await db.embedded?.stop();
    if (summary.byStatus.failed) process.exitCode = 1;
  });

program
  .command("demo")
  .description("run the whole path locally: embedded Postgres, a local SQS/S3 server, real and generated logs, the worker, the web app")
  .addOption(new Option("--no-web", "ingest the demo data and exit"))
  .action(async (options: { web: boolean }) => {
    await runDemo(config(), createLogger("demo"), { web: options.web });
  });

program
  .command("web")
  .description("serve the web app (building it first if needed)")
  .action(async () => {
    const cfg = config();
    const log = createLogger("web");
    const db = await prepareDatabase(cfg, log, { migrate: false });
    await ensureWebBuild(log);
    const web = await startWeb({ databaseUrl: db.url, port: cfg.PORT, host: cfg.TRAILWATCH_WEB_HOST, log });
    console.log(`Trailwatch is running at ${web.url}`);
    await new Promise<void>((resolve) => web.child.on("exit", () => resolve()));
    await db.embedded?.stop();
  });

try {
  await program.parseAsync();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? `trailwatch: ${error.message}` : error);
  process.exit(1);
}
