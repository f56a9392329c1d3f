import { overviewReport } from "../../../../lib/reports/overview";
import { reportRoute } from "../report-route";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/overview: the Overview report (lib/reports/overview.ts `OverviewReport`); parameters in ../report-route.ts. */
export const GET = guardRoute("GET /api/reports/overview", reportRoute("overview", (scope) => overviewReport(scope)));
