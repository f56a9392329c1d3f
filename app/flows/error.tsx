"use client";

import { ReportError } from "../../components/report-error";

export default function FlowsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ReportError title="The flow-log search could not be run" error={error} retry={retry} />;
}
