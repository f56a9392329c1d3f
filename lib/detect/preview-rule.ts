import type pg from "pg";
import { findFindings, type Finding } from "./find-findings";
import { ruleSchema, type Rule } from "./rule-schema";

/** How far back a preview looks. */
export const PREVIEW_RANGES = { "24h": 24 * 3_600_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type PreviewRange = keyof typeof PREVIEW_RANGES;

/** Longest a preview's SQL may run, ms: a heavy rule over 30 days stops here rather than loading the database. */
export const PREVIEW_STATEMENT_TIMEOUT_MS = 20_000;

/** What a rule would have raised over stored history (times UTC). */
export interface RulePreview {
  from: Date;
  to: Date;
  /** Alerts it would have raised: one per group and burst (threshold rules: per run of ALARM periods). */
  alerts: number;
  /** Matching events behind them (exact). */
  matches: number;
  /** Alerts per bucket (an hour for 24 h, a day otherwise), every bucket present, oldest first. */
  overTime: { start: Date; alerts: number; matches: number }[];
  /** Group keys with the most alerts (at most 10). */
  topGroups: { groupKey: string; alerts: number; matches: number }[];
  /** CloudTrail: principals (`userIdentity.arn`, else user name) with the most matching events behind the alerts; flow logs: `srcaddr` (at most 10). */
  topPrincipals: { principal: string; events: number }[];
  durationMs: number;
}

export class PreviewCancelledError extends Error {
  override name = "PreviewCancelledError";
}

/**
 * Runs `input` (validated by ruleSchema; throws its ZodError) over the last
 * `range` of stored events, ending at `now`, with the one evaluator
 * (`findFindings`) — read-only, in a READ ONLY transaction with
 * `statement_timeout` = PREVIEW_STATEMENT_TIMEOUT_MS. Aborting `signal`
 * cancels the running query (pg_cancel_backend) and throws
 * PreviewCancelledError; a timeout throws Postgres' error 57014.
 */
export async function previewRule(pool: pg.Pool, input: unknown, range: PreviewRange, options: { now?: Date; signal?: AbortSignal } = {}): Promise<RulePreview> {
  const rule = ruleSchema.parse(input);
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - PREVIEW_RANGES[range]);
  const started = Date.now();
  if (options.signal?.aborted) throw new PreviewCancelledError("preview cancelled");
  const client = await pool.connect();
  const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    void pool.query("SELECT pg_cancel_backend($1)", [pid]).catch(() => undefined);
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (options.signal?.aborted) throw new PreviewCancelledError("preview cancelled");
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(PREVIEW_STATEMENT_TIMEOUT_MS)}`);
    // Every period evaluated, as the scheduler does: separate runs of ALARM count as separate alerts.
    const { findings } = await findFindings(client, rule, { from, to }, { everyPeriod: true });
    const topPrincipals = await principals(client, rule, findings);
    await client.query("COMMIT");
    return summarise(findings, from, to, range, topPrincipals, Date.now() - started);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (cancelled || error instanceof PreviewCancelledError) throw new PreviewCancelledError("preview cancelled");
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    client.release();
  }
}

function summarise(findings: Finding[], from: Date, to: Date, range: PreviewRange, topPrincipals: RulePreview["topPrincipals"], durationMs: number): RulePreview {
  const bucketMs = range === "24h" ? 3_600_000 : 86_400_000;
  const first = Math.floor(from.getTime() / bucketMs);
  const last = Math.floor((to.getTime() - 1) / bucketMs);
  const overTime = Array.from({ length: last - first + 1 }, (_, i) => ({ start: new Date((first + i) * bucketMs), alerts: 0, matches: 0 }));
  const groups = new Map<string, { groupKey: string; alerts: number; matches: number }>();
  for (const f of findings) {
    const slot = overTime[Math.min(Math.max(Math.floor(f.firstSeen.getTime() / bucketMs) - first, 0), overTime.length - 1)]!;
    slot.alerts += 1;
    slot.matches += f.matchCount;
    const g = groups.get(f.groupKey) ?? { groupKey: f.groupKey, alerts: 0, matches: 0 };
    g.alerts += 1;
    g.matches += f.matchCount;
    groups.set(f.groupKey, g);
  }
  return {
    from,
    to,
    alerts: findings.length,
    matches: findings.reduce((n, f) => n + f.matchCount, 0),
    overTime,
    topGroups: [...groups.values()].sort((a, b) => b.alerts - a.alerts || b.matches - a.matches || a.groupKey.localeCompare(b.groupKey)).slice(0, 10),
    topPrincipals,
    durationMs,
  };
}

/** The principals (or flow source addresses) of the events behind the findings, most frequent first. */
async function principals(client: pg.ClientBase, rule: Rule, findings: Finding[]): Promise<RulePreview["topPrincipals"]> {
  const events = findings.flatMap((f) => f.events).slice(0, 50_000);
  if (events.length === 0) return [];
  const { rows } = rule.source === "cloudtrail"
    ? await client.query<{ principal: string; events: number }>(
        `SELECT coalesce(e.user_identity_arn, e.user_identity_user_name, e.user_identity_invoked_by, '(unknown)') AS principal, count(*)::int AS events
           FROM unnest($1::text[], $2::text[]) AS x(a, r) JOIN cloudtrail_events e ON e.recipient_account_id = x.a AND e.event_id = x.r
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
        [events.map((e) => e.account), events.map((e) => e.ref)],
      )
    : await client.query<{ principal: string; events: number }>(
        `SELECT coalesce(host(f.srcaddr), '(unknown)') AS principal, count(*)::int AS events
           FROM unnest($1::text[]) AS x(r) JOIN flow_records f ON f.object_id = split_part(x.r, ':', 1)::bigint AND f.line_number = split_part(x.r, ':', 2)::int
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
        [events.map((e) => e.ref)],
      );
  return rows;
}
