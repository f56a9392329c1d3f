import { SEVERITIES, type Severity } from "../detect/rule-schema";
import type { Routing } from "./channel-schema";

/**
 * Whether a channel's routing takes alerts of `ruleId` at `severity` (the test routeOutbox makes in SQL;
 * the rule page and editor show it). Apart from channel-schema.ts so the rule editor's browser bundle
 * needs no zod schema: building one probes `new Function`, which the CSP reports as a violation.
 */
export function routesRule(routing: Routing, ruleId: string, severity: Severity): boolean {
  return routing.enabled && (routing.ruleIds === null || routing.ruleIds.includes(ruleId)) && SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(routing.minSeverity);
}
