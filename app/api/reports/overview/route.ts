import { overviewReport } from "../../../../lib/reports/overview";
import { reportRoute } from "../report-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/overview: the Overview report (lib/reports/overview.ts `OverviewReport`); parameters in ../report-route.ts. */
export const GET = reportRoute("overview", (scope) => overviewReport(scope));
