import { networkReport } from "../../../../lib/reports/network";
import { reportRoute } from "../report-route";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/network: the Network report (lib/reports/network.ts `NetworkReport`); parameters in ../report-route.ts. */
export const GET = guardRoute("GET /api/reports/network", reportRoute("network", (scope) => networkReport(scope)));
