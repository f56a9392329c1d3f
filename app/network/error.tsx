"use client";

import { ReportError } from "../../components/report-error";

export default function ReportPageError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ReportError title="The network report could not be loaded" error={error} retry={retry} />;
}
