import { loginAuditReport } from "../../../../lib/reports/login-audit";
import { reportRoute } from "../report-route";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/logins: the Login audit (lib/reports/login-audit.ts `LoginAuditReport`); parameters in ../report-route.ts. */
export const GET = guardRoute("GET /api/reports/logins", reportRoute("logins", (scope) => loginAuditReport(scope)));
