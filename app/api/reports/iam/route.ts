import { iamAuditReport } from "../../../../lib/reports/iam-audit";
import { reportRoute } from "../report-route";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/iam: the IAM audit (lib/reports/iam-audit.ts `IamAuditReport`); parameters in ../report-route.ts. */
export const GET = guardRoute("GET /api/reports/iam", reportRoute("iam", (scope) => iamAuditReport(scope)));
