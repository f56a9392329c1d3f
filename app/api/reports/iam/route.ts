import { iamAuditReport } from "../../../../lib/reports/iam-audit";
import { reportRoute } from "../report-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/iam: the IAM audit (lib/reports/iam-audit.ts `IamAuditReport`); parameters in ../report-route.ts. */
export const GET = reportRoute("iam", (scope) => iamAuditReport(scope));
