import { Command, Option } from "commander";
import type { Pool } from "pg";
import { roleSchema, ROLES, type Role } from "../auth/roles";
import { config, ConfigError, requireSetting } from "../config";
import { createLogger } from "../log";

// Each command imports what it runs when it runs (`await import(...)` in its action), so no
// command loads another's modules: the worker never holds the demo's local AWS server and
// generators, the web launcher, argon2 or the rule examples' runner (issue 9, worker memory:
// every module loaded stays in the process's heap, and V8 lets the heap grow in proportion to it).

const program = new Command()
  .name("trailwatch")
  .description("Self-hosted security dashboard for AWS CloudTrail and VPC Flow Logs.")
  .showHelpAfterError();

program
  .command("migrate")
  .description("apply database migrations (no download needed; the embedded database when DATABASE_URL is unset)")
  .action(async () => {
    const { prepareDatabase } = await import("../db/prepare");
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
    const [{ prepareDatabase }, { closePool, getPool }, { importFiles }, { detectOnce }] = await Promise.all([
      import("../db/prepare"),
      import("../db/pool"),
      import("../ingest/import-files"),
      import("../detect/run-detection"),
    ]);
    const cfg = config();
    const log = createLogger("import");
    const db = await prepareDatabase(cfg, log, { migrate: false });
    const summary = await importFiles(
      paths,
      { pool: getPool(), log: log.child({}, { level: "silent" }), batchRows: cfg.TRAILWATCH_COPY_BATCH_ROWS, maxRecordBytes: cfg.TRAILWATCH_MAX_RECORD_BYTES, maxObjectBytes: cfg.TRAILWATCH_MAX_OBJECT_BYTES },
      options.json
        ? undefined
        : (o) => console.log(`${o.status.padEnd(11)} ${o.kind.padEnd(18)} stored ${o.stored}, duplicate ${o.duplicate}, rejected ${o.rejected}  ${o.key}${o.reason ? `  (${o.reason})` : ""}`),
    );
    const detection = await detectOnce({ pool: getPool(), log: log.child({}, { level: "warn" }) });
    const alertsOpened = detection.changes.filter((c) => c.change === "opened").length;
    if (options.json) console.log(JSON.stringify({ ...summary, alertsOpened }, null, 2));
    else console.log(`\n${summary.objects} objects: ${summary.recordsStored} records stored, ${summary.duplicatesSkipped} duplicates skipped, ${summary.recordsRejected} rejected, ${summary.errors.length} objects not ingested; ${alertsOpened} alerts opened`);
    await closePool();
    await db.embedded?.stop();
    if (summary.byStatus.failed) process.exitCode = 1;
  });

program
  .command("backfill")
  .description("list historical objects under s3://bucket/prefix and ingest those the ledger does not hold yet (resumable)")
  .argument("<s3-url>", "s3://bucket/prefix, e.g. s3://my-log-bucket/AWSLogs/111122223333/CloudTrail/")
  .option("--since <ISO>", "only objects from this time on (UTC; the time in the file name, else LastModified)")
  .option("--until <ISO>", "only objects before this time (exclusive)")
  .option("--json", "print a JSON summary instead of progress lines")
  .action(async (url: string, options: { since?: string; until?: string; json?: boolean }) => {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!match) throw new Error(`expected s3://bucket/prefix, got "${url}"`);
    const since = options.since ? isoDate(options.since, "--since") : undefined;
    const until = options.until ? isoDate(options.until, "--until") : undefined;
    const cfg = config();
    requireSetting(cfg, "AWS_REGION", "the AWS region of the bucket, e.g. us-east-1");
    const [{ createS3Client }, { backfill }, { detectOnce }] = await Promise.all([import("../aws/clients"), import("../ingest/backfill"), import("../detect/run-detection")]);
    await withDatabase("backfill", async (log, pool) => {
      const summary = await backfill(
        createS3Client(cfg),
        { pool, log: log.child({}, { level: "warn" }), batchRows: cfg.TRAILWATCH_COPY_BATCH_ROWS, maxRecordBytes: cfg.TRAILWATCH_MAX_RECORD_BYTES, maxObjectBytes: cfg.TRAILWATCH_MAX_OBJECT_BYTES },
        {
          bucket: match[1]!, prefix: match[2] ?? "", since, until, concurrency: cfg.TRAILWATCH_WORKER_CONCURRENCY,
          onObject: options.json
            ? undefined
            : (o, p) => console.log(`[${p.listed - p.outOfRange} in range] ${o.status.padEnd(11)} stored ${o.stored}  ${o.key}${o.reason && o.status !== "already" ? `  (${o.reason})` : ""}`),
        },
      );
      if (options.json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`\n${summary.listed} objects listed, ${summary.outOfRange} out of range, ${summary.alreadyInLedger} already in the ledger; ${summary.recordsStored} records stored; ${summary.errors.length} objects not ingested`);
      await detectOnce({ pool, log: log.child({}, { level: "warn" }) });
      if (summary.byStatus.failed) process.exitCode = 1;
    });
  });

program
  .command("retention")
  .description("delete events older than TRAILWATCH_RETENTION_DAYS (per source) once and exit; the worker also does it hourly")
  .action(async () => {
    const { enforceRetention, retentionPolicy } = await import("../ops/enforce-retention");
    const policy = retentionPolicy(config());
    await withDatabase("retention", async (_log, pool) => {
      const results = await enforceRetention(pool, policy);
      if (results.length === 0) console.log(policy.cloudtrail || policy.vpcflow ? "another process is enforcing retention right now" : "retention is off (TRAILWATCH_RETENTION_DAYS=0): nothing deleted");
      for (const r of results) console.log(`${r.source}: kept ${r.days} days, deleted ${r.rowsDeleted} events before ${r.cutoff.toISOString()}`);
    });
  });

program
  .command("detect")
  .description("evaluate every enabled rule over stored events once and exit (events already behind an alert are not alerted again)")
  .option("--since <ISO>", "start of the range, ISO 8601 (default: 30 days ago)")
  .option("--until <ISO>", "end of the range, exclusive (default: now)")
  .action(async (options: { since?: string; until?: string }) => {
    const from = options.since ? isoDate(options.since, "--since") : new Date(Date.now() - 30 * 86_400_000);
    const to = options.until ? isoDate(options.until, "--until") : undefined;
    const [{ enabledRules }, { detectRange }] = await Promise.all([import("../detect/load-rules"), import("../detect/run-detection")]);
    await withDatabase("detect", async (log, pool) => {
      const rules = await enabledRules(pool);
      const stats = await detectRange({ pool, log, rules }, { from, to });
      const opened = stats.changes.filter((c) => c.change === "opened").length;
      console.log(`${rules.length} rules evaluated from ${from.toISOString()} to ${(to ?? new Date()).toISOString()}: ${opened} alerts opened, ${stats.changes.length - opened} updated`);
      for (const e of stats.ruleErrors) console.error(`rule ${e.ruleId} failed: ${e.reason}`);
      if (stats.ruleErrors.length) process.exitCode = 1;
    });
  });

program
  .command("alerts")
  .description("list alerts, most recently active first")
  .option("--json", "print JSON")
  .option("--state <state>", "open, acknowledged or resolved")
  .option("--limit <n>", "at most this many", "200")
  .action(async (options: { json?: boolean; state?: "open" | "acknowledged" | "resolved"; limit: string }) => {
    const { alertEventRefs, listAlerts } = await import("../detect/alerts");
    await withDatabase("alerts", async (_log, pool) => {
      const alerts = await listAlerts(pool, { state: options.state ? [options.state] : undefined, limit: Number(options.limit) });
      const refs = await alertEventRefs(pool, alerts.map((a) => a.id));
      const rows = alerts.map((a) => ({ ...a, eventIds: refs.get(a.id) ?? [] }));
      if (options.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      for (const a of rows) {
        console.log(`#${a.id} ${a.severity.padEnd(8)} ${a.state.padEnd(12)} ${a.ruleId}  [${a.techniques.join(", ")}]  ${a.groupKey}`);
        console.log(`    ${a.firstSeen.toISOString()} → ${a.lastSeen.toISOString()}  ${a.matchCount} matches  events: ${a.eventIds.slice(0, 5).join(", ")}${a.eventIds.length > 5 ? ", …" : ""}`);
      }
      console.log(`${rows.length} alerts`);
    });
  });

const rules = program.command("rules").description("the detection rules");

rules
  .command("list")
  .description("list every rule with its severity, source and techniques")
  .option("--json", "print JSON")
  .action(async (options: { json?: boolean }) => {
    const { loadRules } = await import("../detect/load-rules");
    await withDatabase("rules", async (_log, pool) => {
      const all = await loadRules(pool);
      if (options.json) {
        console.log(JSON.stringify(all, null, 2));
        return;
      }
      for (const r of all) {
        console.log(`${r.id.padEnd(44)} ${r.severity.padEnd(8)} ${r.source.padEnd(10)} ${r.enabled ? "enabled " : "disabled"} ${r.techniques.join(",").padEnd(20)} ${r.title}`);
      }
      console.log(`${all.length} rules`);
    });
  });

rules
  .command("test")
  .description("run every built-in rule against its positive and negative examples (in a rolled-back transaction; stored data is untouched)")
  .action(async () => {
    const [{ BUILT_IN_RULES }, { testRuleExamples }] = await Promise.all([import("../detect/rules"), import("../detect/test-rule-examples")]);
    await withDatabase("rules", async (_log, pool) => {
      const client = await pool.connect();
      try {
        const results = await testRuleExamples(client, BUILT_IN_RULES);
        const wrong = results.filter((r) => r.error || r.rejected.length || r.fired !== r.expected);
        for (const r of wrong) {
          const why = r.error ?? (r.rejected.length ? `records refused: ${r.rejected.join("; ")}` : r.expected ? "did not fire" : "fired");
          console.log(`FAIL ${r.ruleId} / ${r.example}: ${why}`);
        }
        const failedRules = new Set(wrong.map((r) => r.ruleId));
        console.log(`${BUILT_IN_RULES.length - failedRules.size} of ${BUILT_IN_RULES.length} rules pass (${results.length} examples, ${wrong.length} wrong)`);
        if (wrong.length) process.exitCode = 1;
      } finally {
        client.release();
      }
    });
  });

const users = program.command("users").description("the people who sign in to the web app");

const roleOption = () => new Option("--role <role>", "admin | analyst | viewer").choices(ROLES).makeOptionMandatory();

users
  .command("create")
  .description("create a user; the password is read from standard input when it is not a terminal, else prompted for")
  .requiredOption("--email <email>", "the email they sign in with")
  .addOption(roleOption())
  .option("--name <name>", "display name (default: the email)")
  .action(async (options: { email: string; role: Role; name?: string }) => {
    const [{ readPassword }, { createUser, UserInputError }, { recordAudit }] = await Promise.all([import("./read-password"), import("../auth/users"), import("../audit/record-audit")]);
    const password = await readPassword("Password (12+ characters): ");
    await withDatabase("users", async (_log, pool) => {
      try {
        const user = await createUser(pool, { email: options.email, name: options.name, role: options.role, password });
        await recordAudit(pool, { actor: "cli", action: "user.create", target: user.email, details: { role: user.role, via: "cli" } });
        console.log(`created ${user.email} (${user.role})`);
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error;
        console.error(`trailwatch: ${error.message}`);
        process.exitCode = 1;
      }
    });
  });

users
  .command("list")
  .description("list users with their role, status and live sessions")
  .option("--json", "print JSON")
  .action(async (options: { json?: boolean }) => {
    const { listUsers } = await import("../auth/users");
    await withDatabase("users", async (_log, pool) => {
      const all = await listUsers(pool);
      if (options.json) return void console.log(JSON.stringify(all, null, 2));
      for (const u of all) console.log(`${u.email.padEnd(40)} ${u.role.padEnd(8)} ${u.disabled ? "disabled" : "active  "} ${u.activeSessions} sessions`);
      console.log(`${all.length} users`);
    });
  });

users
  .command("set-role")
  .description("change a user's role")
  .requiredOption("--email <email>", "the user's email")
  .addOption(roleOption())
  .action(async (options: { email: string; role: Role }) => {
    const [{ findUser, setUserRole }, { recordAudit }] = await Promise.all([import("../auth/users"), import("../audit/record-audit")]);
    await withDatabase("users", async (_log, pool) => {
      const user = await findUser(pool, options.email);
      if (!user) throw new Error(`no user with email ${options.email}`);
      await setUserRole(pool, user.id, roleSchema.parse(options.role));
      await recordAudit(pool, { actor: "cli", action: "user.set-role", target: user.email, details: { from: user.role, to: options.role } });
      console.log(`${user.email}: ${user.role} → ${options.role}`);
    });
  });

program
  .command("demo")
  .description("run the whole path locally: embedded Postgres, a local SQS/S3 server, real and generated logs, the worker, the web app")
  .addOption(new Option("--no-web", "ingest the demo data and exit"))
  .action(async (options: { web: boolean }) => {
    const { runDemo } = await import("./demo");
    await runDemo(config(), createLogger("demo"), { web: options.web });
  });

program
  .command("web")
  .description("serve the web app (building it first if needed)")
  .action(async () => {
    const [{ prepareDatabase }, { ensureWebBuild, startWeb }] = await Promise.all([import("../db/prepare"), import("./web")]);
    const cfg = config();
    const log = createLogger("web");
    const db = await prepareDatabase(cfg, log, { migrate: false });
    await ensureWebBuild(log);
    const web = await startWeb({ databaseUrl: db.url, port: cfg.PORT, host: cfg.TRAILWATCH_WEB_HOST, log });
    console.log(`Trailwatch is running at ${web.url}`);
    await new Promise<void>((resolve) => web.child.on("exit", () => resolve()));
    await db.embedded?.stop();
  });

/** Runs `work` with the configured (or embedded) database and the process's pool on it, then closes both. */
async function withDatabase(name: string, work: (log: ReturnType<typeof createLogger>, pool: Pool) => Promise<void>): Promise<void> {
  const [{ prepareDatabase }, { closePool, getPool }] = await Promise.all([import("../db/prepare"), import("../db/pool")]);
  const log = createLogger(name);
  const db = await prepareDatabase(config(), log, { migrate: false });
  try {
    await work(log, getPool());
  } finally {
    await closePool();
    await db.embedded?.stop();
  }
}

function isoDate(value: string, option: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`${option} must be an ISO 8601 date, e.g. 2026-11-01T00:00:00Z (got "${value}")`);
  return date;
}

try {
  await program.parseAsync();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? `trailwatch: ${error.message}` : error);
  process.exit(1);
}
