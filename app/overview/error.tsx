"use client";

import { ReportError } from "../../components/report-error";

export default function OverviewError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ReportError title="The overview could not be loaded" error={error} retry={retry} />;
}
