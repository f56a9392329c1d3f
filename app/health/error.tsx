"use client";

import { ReportError } from "../../components/report-error";

export default function HealthError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ReportError title="The health report could not be loaded" error={error} retry={retry} />;
}
