"use client";

import { ReportError } from "../../components/report-error";

export default function IngestError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ReportError title="The ingest status could not be loaded" error={error} retry={retry} />;
}
