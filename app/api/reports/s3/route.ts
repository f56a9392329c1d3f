import { s3Report } from "../../../../lib/reports/s3-data-events";
import { reportRoute } from "../report-route";
import { guardRoute } from "../../../../lib/auth/guard-route";

export const dynamic = "force-dynamic";

/** GET /api/reports/s3: the S3 data events report (lib/reports/s3-data-events.ts `S3Report`); parameters in ../report-route.ts. */
export const GET = guardRoute("GET /api/reports/s3", reportRoute("s3", (scope) => s3Report(scope)));
